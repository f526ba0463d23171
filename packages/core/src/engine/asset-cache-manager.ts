import { inject, injectable, optional } from 'inversify';
import { Subject, interval, type Observable, type Subscription } from 'rxjs';
import type { BookView, L2Book } from '../book/l2-book.js';
import { SharedBooks } from '../book/shared-books.js';
import { Clock } from '../contracts/clock.js';
import { Logger } from '../contracts/logger.js';
import { MarketDataSource } from '../contracts/market-data-source.js';
import { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { CoreConfig } from '../model/config.schema.js';
import type { MarketEvent, MarketInfo, TickerEvent, TradeEvent } from '../model/market.schema.js';
import { ActiveVenue, TrancheConfig } from './tokens.js';

/** Size of the per-symbol ring of recent trades. */
const RECENT_TRADES = 1024;

/** How fresh a symbol's market data is. */
export interface MarketDataFreshness {
  /** Time of the last update (exchange time for streamed events, fetch time for refreshes). */
  updatedAt: number | undefined;
  /** `now − updatedAt`; `Infinity` when nothing was ever received. */
  ageMs: number;
  /** True when older than `asset_cache.cache_ttl` (or never received). */
  stale: boolean;
  /** Where the last update came from. */
  via: 'stream' | 'refresh' | 'none';
}

/** A cached value with its freshness. */
export interface Cached<T> extends MarketDataFreshness {
  value: T;
}

interface SymbolEntry {
  readonly book: L2Book;
  readonly events: Subject<MarketEvent>;
  readonly books: Subject<BookView>;
  readonly tradeStream: Subject<TradeEvent>;
  readonly tickers: Subject<TickerEvent>;
  readonly trades: TradeEvent[];
  tradeCursor: number;
  ticker?: TickerEvent;
  lastTrade?: TradeEvent;
  market?: MarketInfo;
  updatedAt?: number;
  via: 'stream' | 'refresh' | 'none';
  refreshing?: Promise<void>;
}

/**
 * Holds the latest market data per symbol: the L2 book rebuilt from the source's
 * snapshots and deltas, recent trades (a bounded ring), the last ticker, and the
 * venue's market rules. A market-data stream keeps entries fresh; a symbol no stream
 * updated within `refresh_interval` is refreshed through the venue (`fetchOrderBook`,
 * `fetchTicker`, `fetchTrades`, where the venue has them). An entry older than
 * `cache_ttl` is stale: the `get*` getters and `freshness()` say so and trigger a
 * refresh, and concurrent refreshes of one symbol share one fetch.
 */
@injectable()
export class AssetCacheManager {
  private readonly entries = new Map<string, SymbolEntry>();
  private readonly marketLoads = new Map<string, Promise<MarketInfo>>();
  private readonly tracked = new Set<string>();
  private readonly subscriptions: Subscription[] = [];
  private readonly ttlMs: number;
  private readonly refreshIntervalMs: number;
  private readonly books: SharedBooks;
  private initialized = false;

  private readonly logger: Logger;

  constructor(
    @inject(TrancheConfig) private readonly config: CoreConfig,
    @inject(ActiveVenue) private readonly venue: Venue,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
    @inject(SharedBooks) @optional() books?: SharedBooks,
  ) {
    this.logger = logger.child({ component: 'asset-cache' });
    // Shared with the market-state monitor when bound (createTranche binds one): each event rebuilds one book, not two.
    this.books = books ?? new SharedBooks();
    this.ttlMs = config.assetCache.cacheTtl * 1_000;
    this.refreshIntervalMs = config.assetCache.refreshInterval * 1_000;
  }

  /**
   * Subscribes to the market data source, loads the rules of `default_symbols` and
   * starts the periodic refresh of symbols that no stream keeps fresh.
   */
  async initialize(): Promise<void> {
    if (this.initialized) return;
    this.initialized = true;
    if (this.source) this.subscriptions.push(this.source.events$.subscribe((event) => this.onEvent(event)));
    for (const symbol of this.config.assetCache.defaultSymbols) this.tracked.add(symbol);
    await Promise.all(this.config.assetCache.defaultSymbols.map((symbol) => this.market(symbol)));
    if (this.canRefresh()) {
      this.subscriptions.push(interval(this.refreshIntervalMs, this.clock.scheduler).subscribe(() => this.refreshDue()));
    }
  }

  /** The venue's rules for a symbol (loaded once, shared by concurrent callers). */
  market(symbol: string): Promise<MarketInfo> {
    const known = this.entry(symbol).market;
    if (known) return Promise.resolve(known);
    let load = this.marketLoads.get(symbol);
    if (!load) {
      load = this.venue.market(symbol).then(
        (info) => {
          this.entry(symbol).market = info;
          return info;
        },
        (error: unknown) => {
          this.marketLoads.delete(symbol);
          throw error;
        },
      );
      this.marketLoads.set(symbol, load);
    }
    return load;
  }

  /** The live book of a symbol (empty until a snapshot arrives); see `getBook` for its freshness. */
  book(symbol: string): BookView {
    return this.entry(symbol).book;
  }

  /** True once the book of the symbol has both sides. */
  hasBook(symbol: string): boolean {
    const book = this.entries.get(symbol)?.book;
    return book !== undefined && book.depth('bids') > 0 && book.depth('asks') > 0;
  }

  /** How fresh a symbol's data is; a stale symbol gets a refresh (not awaited). */
  freshness(symbol: string): MarketDataFreshness {
    this.tracked.add(symbol);
    const entry = this.entry(symbol);
    const ageMs = entry.updatedAt === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.clock.now() - entry.updatedAt);
    const stale = ageMs > this.ttlMs;
    if (stale) void this.refresh(symbol).catch(() => undefined);
    return { updatedAt: entry.updatedAt, ageMs, stale, via: entry.via };
  }

  /** The book with its freshness. */
  getBook(symbol: string): Cached<BookView> {
    return { value: this.book(symbol), ...this.freshness(symbol) };
  }

  /** The last ticker with its freshness. */
  getTicker(symbol: string): Cached<TickerEvent | undefined> {
    return { value: this.entries.get(symbol)?.ticker, ...this.freshness(symbol) };
  }

  /** Recent trades (oldest first) with their freshness. */
  getTrades(symbol: string): Cached<TradeEvent[]> {
    return { value: this.recentTrades(symbol), ...this.freshness(symbol) };
  }

  /**
   * Fetches the symbol's book, ticker and recent trades from the venue. Concurrent
   * calls for one symbol share one fetch. Rejects with `venue-unavailable` when the
   * venue offers no market-data fetches.
   */
  refresh(symbol: string): Promise<void> {
    const entry = this.entry(symbol);
    entry.refreshing ??= this.fetch(symbol, entry).finally(() => {
      entry.refreshing = undefined;
    });
    return entry.refreshing;
  }

  /** Market events of one symbol. */
  events$(symbol: string): Observable<MarketEvent> {
    return this.entry(symbol).events.asObservable();
  }

  /** The book of a symbol after each update (stream or refresh). */
  book$(symbol: string): Observable<BookView> {
    return this.entry(symbol).books.asObservable();
  }

  /** New trades of a symbol. */
  trades$(symbol: string): Observable<TradeEvent> {
    return this.entry(symbol).tradeStream.asObservable();
  }

  /** Tickers of a symbol. */
  ticker$(symbol: string): Observable<TickerEvent> {
    return this.entry(symbol).tickers.asObservable();
  }

  /** The last trade seen for a symbol. */
  lastTrade(symbol: string): TradeEvent | undefined {
    return this.entries.get(symbol)?.lastTrade;
  }

  /** The last ticker seen for a symbol. */
  ticker(symbol: string): TickerEvent | undefined {
    return this.entries.get(symbol)?.ticker;
  }

  /** Recent trades of a symbol, oldest first (at most 1024). */
  recentTrades(symbol: string): TradeEvent[] {
    const entry = this.entries.get(symbol);
    if (!entry) return [];
    if (entry.trades.length < RECENT_TRADES) return entry.trades.slice();
    return [...entry.trades.slice(entry.tradeCursor), ...entry.trades.slice(0, entry.tradeCursor)];
  }

  /** Symbols the data source provides, or the ones seen so far. */
  symbols(): string[] {
    return this.source ? [...this.source.symbols()] : [...this.entries.keys()];
  }

  /** Requires a symbol to be known to the data source; throws a validation error naming it. */
  assertKnownSymbol(symbol: string): void {
    if (this.source && !this.source.symbols().includes(symbol)) {
      throw new TrancheError('validation', `invalid order: symbol "${symbol}" has no market data (available: ${this.source.symbols().join(', ')})`, {
        field: 'symbol',
        retryable: false,
      });
    }
  }

  /** Stops the subscriptions and timers; completes the per-symbol streams. */
  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    for (const entry of this.entries.values()) {
      entry.events.complete();
      entry.books.complete();
      entry.tradeStream.complete();
      entry.tickers.complete();
    }
  }

  private onEvent(event: MarketEvent): void {
    const entry = this.entry(event.symbol);
    switch (event.type) {
      case 'book-snapshot':
      case 'book-delta':
        this.books.apply(event);
        this.touch(entry, event.ts, 'stream');
        entry.events.next(event);
        entry.books.next(entry.book);
        return;
      case 'trade':
        this.pushTrade(entry, event);
        this.touch(entry, event.ts, 'stream');
        entry.events.next(event);
        entry.tradeStream.next(event);
        return;
      case 'ticker':
        entry.ticker = event;
        this.touch(entry, event.ts, 'stream');
        entry.events.next(event);
        entry.tickers.next(event);
        return;
      case 'candle':
        this.touch(entry, event.ts, 'stream');
        entry.events.next(event);
        return;
    }
  }

  private async fetch(symbol: string, entry: SymbolEntry): Promise<void> {
    const { venue } = this;
    if (!this.canRefresh()) {
      throw new TrancheError('venue-unavailable', `cannot refresh ${symbol}: venue ${venue.id} offers no market-data fetches and no stream updates it`);
    }
    const [book, ticker, trades] = await Promise.all([
      venue.fetchOrderBook?.(symbol),
      venue.fetchTicker?.(symbol),
      venue.fetchTrades?.(symbol),
    ]);
    const now = this.clock.now();
    // A snapshot of the very update the book holds adds nothing, and with shared books it may be this book's own top
    // levels (the paper venue reads the same book): applying it would only cut the depth every reader sees.
    const sameUpdate = book !== undefined && book.sequence > 0 && book.sequence === entry.book.sequence && entry.book.depth('bids') + entry.book.depth('asks') > 0;
    if (book && !sameUpdate) {
      entry.book.applySnapshot({ ...book, ts: Math.max(book.ts, entry.book.ts) });
      entry.books.next(entry.book);
    }
    if (ticker) {
      entry.ticker = ticker;
      entry.tickers.next(ticker);
    }
    if (trades) {
      const after = entry.lastTrade?.ts ?? Number.NEGATIVE_INFINITY;
      const seen = new Set(this.recentTrades(symbol).filter((trade) => trade.ts >= after).map((trade) => trade.tradeId));
      for (const trade of trades) {
        if (trade.ts < after || seen.has(trade.tradeId)) continue;
        this.pushTrade(entry, trade);
        entry.tradeStream.next(trade);
      }
    }
    this.touch(entry, now, 'refresh');
    this.logger.debug('market data refreshed through the venue', { symbol, venue: venue.id });
  }

  private refreshDue(): void {
    const now = this.clock.now();
    for (const symbol of this.tracked) {
      const entry = this.entry(symbol);
      if (entry.updatedAt !== undefined && now - entry.updatedAt < this.refreshIntervalMs) continue;
      this.refresh(symbol).catch((error: unknown) => {
        this.logger.warn('market data refresh failed', { symbol, error: TrancheError.from(error).message });
      });
    }
  }

  private canRefresh(): boolean {
    return typeof this.venue.fetchOrderBook === 'function' || typeof this.venue.fetchTicker === 'function';
  }

  private touch(entry: SymbolEntry, ts: number, via: 'stream' | 'refresh'): void {
    if (entry.updatedAt === undefined || ts >= entry.updatedAt) entry.updatedAt = ts;
    entry.via = via;
  }

  private pushTrade(entry: SymbolEntry, trade: TradeEvent): void {
    entry.lastTrade = trade;
    if (entry.trades.length < RECENT_TRADES) entry.trades.push(trade);
    else {
      entry.trades[entry.tradeCursor] = trade;
      entry.tradeCursor = (entry.tradeCursor + 1) % RECENT_TRADES;
    }
  }

  private entry(symbol: string): SymbolEntry {
    let entry = this.entries.get(symbol);
    if (!entry) {
      entry = {
        book: this.books.book(symbol),
        events: new Subject<MarketEvent>(),
        books: new Subject<BookView>(),
        tradeStream: new Subject<TradeEvent>(),
        tickers: new Subject<TickerEvent>(),
        trades: [],
        tradeCursor: 0,
        via: 'none',
      };
      this.entries.set(symbol, entry);
    }
    return entry;
  }
}
