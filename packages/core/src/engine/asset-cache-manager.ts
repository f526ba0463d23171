import { inject, injectable, optional } from 'inversify';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { L2Book, type BookView } from '../book/l2-book.js';
import { MarketDataSource } from '../contracts/market-data-source.js';
import { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { CoreConfig } from '../model/config.schema.js';
import type { MarketEvent, MarketInfo, TickerEvent, TradeEvent } from '../model/market.schema.js';
import { ActiveVenue, TrancheConfig } from './tokens.js';

/** Size of the per-symbol ring of recent trades. */
const RECENT_TRADES = 1024;

interface SymbolEntry {
  readonly book: L2Book;
  readonly events: Subject<MarketEvent>;
  readonly trades: TradeEvent[];
  tradeCursor: number;
  ticker?: TickerEvent;
  lastTrade?: TradeEvent;
  market?: MarketInfo;
}

/**
 * Holds the latest market data per symbol: the L2 book rebuilt from the source's
 * snapshots and deltas, recent trades (a bounded ring), the last ticker, and the
 * venue's market rules. Strategies read it through their `ExecutionContext`.
 */
@injectable()
export class AssetCacheManager {
  private readonly entries = new Map<string, SymbolEntry>();
  private readonly marketLoads = new Map<string, Promise<MarketInfo>>();
  private subscription?: Subscription;

  constructor(
    @inject(TrancheConfig) private readonly config: CoreConfig,
    @inject(ActiveVenue) private readonly venue: Venue,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
  ) {}

  /** Subscribes to the market data source and loads the rules of `default_symbols`. */
  async initialize(): Promise<void> {
    if (this.source && !this.subscription) {
      this.subscription = this.source.events$.subscribe((event) => this.onEvent(event));
    }
    await Promise.all(this.config.assetCache.defaultSymbols.map((symbol) => this.market(symbol)));
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

  /** The current book of a symbol (empty until the source sends a snapshot). */
  book(symbol: string): BookView {
    return this.entry(symbol).book;
  }

  /** True once a book snapshot for the symbol has been received. */
  hasBook(symbol: string): boolean {
    const book = this.entries.get(symbol)?.book;
    return book !== undefined && book.depth('bids') > 0 && book.depth('asks') > 0;
  }

  /** Market events of one symbol. */
  events$(symbol: string): Observable<MarketEvent> {
    return this.entry(symbol).events.asObservable();
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

  /** Releases the subscription. */
  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    for (const entry of this.entries.values()) entry.events.complete();
  }

  private onEvent(event: MarketEvent): void {
    const entry = this.entry(event.symbol);
    switch (event.type) {
      case 'book-snapshot':
      case 'book-delta':
        entry.book.apply(event);
        break;
      case 'trade':
        entry.lastTrade = event;
        if (entry.trades.length < RECENT_TRADES) entry.trades.push(event);
        else {
          entry.trades[entry.tradeCursor] = event;
          entry.tradeCursor = (entry.tradeCursor + 1) % RECENT_TRADES;
        }
        break;
      case 'ticker':
        entry.ticker = event;
        break;
    }
    entry.events.next(event);
  }

  private entry(symbol: string): SymbolEntry {
    let entry = this.entries.get(symbol);
    if (!entry) {
      entry = { book: new L2Book(symbol), events: new Subject<MarketEvent>(), trades: [], tradeCursor: 0 };
      this.entries.set(symbol, entry);
    }
    return entry;
  }
}
