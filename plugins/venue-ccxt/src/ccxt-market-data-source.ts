import { inject, injectable, optional } from 'inversify';
import { Subject, type Observable } from 'rxjs';
import { TrancheConfig, TrancheError, type CoreConfig, type MarketDataSource, type MarketEvent } from '@tranche/core';
import { CcxtConnection } from './ccxt-connection.js';
import { SymbolFeed, type SymbolFeedStats } from './symbol-feed.js';

/**
 * Live market data of a ccxt exchange (source id `ccxt`): per symbol, ccxt pro
 * streams of the book, trades and ticker where the exchange has them, polling
 * otherwise or after repeated stream failures (`marketData`: `stream`, `poll`,
 * `auto`). Book events start with a snapshot, and again after each re-connection;
 * gaps after a re-connection are logged (`alert: market-data-gap`) and counted.
 * Symbols: the config's `symbols`, else the core `asset_cache.default_symbols`.
 */
@injectable()
export class CcxtMarketDataSource implements MarketDataSource {
  readonly id = 'ccxt';
  readonly events$: Observable<MarketEvent>;
  private readonly subject = new Subject<MarketEvent>();
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly symbolList: readonly string[];
  private started = false;
  private closed = false;

  constructor(
    @inject(CcxtConnection) private readonly connection: CcxtConnection,
    @inject(TrancheConfig) @optional() core?: CoreConfig,
  ) {
    this.events$ = this.subject.asObservable();
    const configured = connection.config.symbols;
    this.symbolList = Object.freeze([...new Set(configured.length > 0 ? configured : (core?.assetCache.defaultSymbols ?? []))]);
  }

  symbols(): readonly string[] {
    return this.symbolList;
  }

  /** Connects (credentials, markets) and checks that the exchange lists every symbol. */
  async initialize(): Promise<void> {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the ccxt market data source is closed', { retryable: false });
    await this.connection.initialize();
    const unknown = this.symbolList.filter((symbol) => this.connection.findMarket(symbol) === undefined);
    if (unknown.length > 0) {
      throw new TrancheError('validation', `invalid config: venue-ccxt.symbols: ${this.connection.config.exchange} does not list ${unknown.join(', ')}`, {
        field: 'venue-ccxt.symbols',
        retryable: false,
      });
    }
    if (this.symbolList.length === 0) this.connection.log.warn('no symbols to stream: set venue-ccxt.symbols or asset_cache.default_symbols');
  }

  /** Starts each symbol's streams (or polls). Idempotent. */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    await this.connection.initialize();
    for (const symbol of this.symbolList) {
      const feed = new SymbolFeed(symbol, this.connection, (event) => {
        if (!this.closed) this.subject.next(event);
      });
      this.feeds.set(symbol, feed);
      feed.start();
    }
    this.connection.log.info('market data started', { symbols: this.symbolList, marketData: this.connection.config.marketData });
  }

  /** Counters per symbol: mode (stream / poll), re-connections, gaps, missed trades, events. */
  stats(): Record<string, Readonly<SymbolFeedStats>> {
    const result: Record<string, SymbolFeedStats> = {};
    for (const [symbol, feed] of this.feeds) result[symbol] = { ...feed.stats };
    return result;
  }

  /** Runs one poll of every polled symbol now (tests; the clock's scheduler runs them every `pollIntervalMs`). */
  async pollNow(): Promise<void> {
    await Promise.all([...this.feeds.values()].filter((feed) => feed.stats.mode === 'poll').map((feed) => feed.pollOnce()));
  }

  /** Stops every feed, completes `events$` and closes the exchange's connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const feed of this.feeds.values()) feed.stop();
    this.subject.complete();
    await this.connection.close();
  }
}
