import { firstValueFrom, interval, timer, type Subscription } from 'rxjs';
import { TrancheError, type MarketEvent, type TradeEvent } from '@tranche/core';
import type { CcxtConnection } from './ccxt-connection.js';
import { BookDiffer } from './book-differ.js';
import { toBookSnapshot, toTickerEvent, toTradeEvent } from './market-mapping.js';

/** Counters of one symbol's feed. */
export interface SymbolFeedStats {
  /** How the symbol is fed now. */
  mode: 'stream' | 'poll' | 'stopped';
  /** Stream failures followed by a re-connection. */
  reconnects: number;
  /** Gaps detected after a re-connection (book sequence or trade ids jumped). */
  gaps: number;
  /** Trades known to be missing across those gaps (by trade id), where ids are sequential. */
  missedTrades: number;
  /** Events emitted. */
  events: number;
}

/** Trade ids remembered per symbol to drop repeats (polls overlap, streams replay). */
const REMEMBERED_TRADES = 2_000;

/**
 * The market data of one symbol: ccxt pro `watchOrderBook` / `watchTrades` /
 * `watchTicker` loops (re-connected with back-off, with a fresh snapshot after each
 * re-connection and a gap report when sequence numbers or trade ids jumped), or a
 * poll of `fetchOrderBook` / `fetchTrades` / `fetchTicker` every `pollIntervalMs` on
 * the clock's scheduler — from the start (`poll`), or after repeated stream failures
 * (`auto`), which the log says.
 */
export class SymbolFeed {
  readonly stats: SymbolFeedStats = { mode: 'stopped', reconnects: 0, gaps: 0, missedTrades: 0, events: 0 };
  private readonly differ: BookDiffer;
  private readonly seenTrades = new Set<string>();
  private readonly tradeOrder: string[] = [];
  private lastTradeId?: number;
  private lastTradeTs = 0;
  private lastBookSequence?: number;
  private bookSequence = 0;
  private streamFailures = 0;
  private pollSubscription?: Subscription;
  private polling = false;
  private generation = 0;

  constructor(
    readonly symbol: string,
    private readonly connection: CcxtConnection,
    private readonly emit: (event: MarketEvent) => void,
  ) {
    this.differ = new BookDiffer(connection.config.bookDepth);
  }

  /** Starts streaming or polling according to `marketData` and what the exchange has. */
  start(): void {
    const { config, exchange, log } = this.connection;
    const canStream = typeof exchange.watchOrderBook === 'function' && exchange.has['watchOrderBook'] === true;
    if (config.marketData === 'poll' || !canStream) {
      if (config.marketData === 'stream') log.warn('the exchange has no market data streams: polling instead', { symbol: this.symbol, pollIntervalMs: config.pollIntervalMs });
      else if (config.marketData === 'auto') log.info('market data streams unavailable: polling', { symbol: this.symbol, pollIntervalMs: config.pollIntervalMs });
      this.startPolling();
      return;
    }
    this.startStreaming();
  }

  /** Stops every loop and timer of the symbol. */
  stop(): void {
    this.generation++;
    this.stats.mode = 'stopped';
    this.pollSubscription?.unsubscribe();
    this.pollSubscription = undefined;
  }

  /** One poll of book, trades and ticker (the timer runs it every `pollIntervalMs`). */
  async pollOnce(): Promise<void> {
    if (this.polling || this.connection.backoffRemainingMs() > 0) return;
    this.polling = true;
    const { connection, symbol } = this;
    try {
      const depth = connection.config.bookDepth;
      const book = await connection.call('market-data', `fetchOrderBook ${symbol}`, (exchange) => exchange.fetchOrderBook(symbol, depth));
      const snapshot = toBookSnapshot(symbol, book, depth, connection.clock.now(), ++this.bookSequence);
      this.publish(snapshot);
      const since = this.lastTradeTs > 0 ? this.lastTradeTs : undefined;
      const trades = await connection.call('market-data', `fetchTrades ${symbol}`, (exchange) => exchange.fetchTrades(symbol, since, 100));
      this.publishTrades(trades.map((trade) => toTradeEvent(symbol, trade, connection.clock.now())), false);
      if (connection.exchange.has['fetchTicker'] !== false) {
        const ticker = await connection.call('market-data', `fetchTicker ${symbol}`, (exchange) => exchange.fetchTicker(symbol));
        this.publish(toTickerEvent(symbol, ticker, connection.clock.now()));
      }
    } catch (error) {
      connection.log.warn('market data poll failed', { symbol, error: TrancheError.from(error).message });
    } finally {
      this.polling = false;
    }
  }

  private startPolling(): void {
    this.generation++;
    this.stats.mode = 'poll';
    const { clock, config } = this.connection;
    void this.pollOnce();
    this.pollSubscription = interval(config.pollIntervalMs, clock.scheduler).subscribe(() => void this.pollOnce());
  }

  private startStreaming(): void {
    const generation = ++this.generation;
    this.stats.mode = 'stream';
    const { exchange } = this.connection;
    const symbol = this.symbol;
    const depth = this.connection.config.bookDepth;
    void this.loop(generation, 'watchOrderBook', async () => {
      const book = await exchange.watchOrderBook!(symbol);
      const snapshot = toBookSnapshot(symbol, book, depth, this.connection.clock.now(), ++this.bookSequence);
      if (this.differ.needsSnapshot) this.checkBookGap(snapshot.sequence);
      this.lastBookSequence = snapshot.sequence;
      const event = this.differ.next(snapshot);
      if (event) this.publish(event);
    });
    if (typeof exchange.watchTrades === 'function' && exchange.has['watchTrades']) {
      void this.loop(generation, 'watchTrades', async () => {
        const trades = await exchange.watchTrades!(symbol);
        this.publishTrades(trades.map((trade) => toTradeEvent(symbol, trade, this.connection.clock.now())), true);
      });
    }
    if (typeof exchange.watchTicker === 'function' && exchange.has['watchTicker']) {
      void this.loop(generation, 'watchTicker', async () => {
        this.publish(toTickerEvent(symbol, await exchange.watchTicker!(symbol), this.connection.clock.now()));
      });
    }
  }

  /** Runs one stream in a loop until stopped; a failure re-connects after a back-off, or switches to polling (`auto`). */
  private async loop(generation: number, name: string, step: () => Promise<void>): Promise<void> {
    const { config, clock, log } = this.connection;
    let delayMs = config.reconnectDelayMs;
    while (generation === this.generation && !this.connection.isClosed) {
      try {
        await step();
        delayMs = config.reconnectDelayMs;
        this.streamFailures = 0;
      } catch (error) {
        if (generation !== this.generation || this.connection.isClosed) return;
        this.stats.reconnects++;
        this.streamFailures++;
        this.differ.reset();
        const failure = this.connection.mapError(error, 'market-data');
        if (config.marketData === 'auto' && (this.streamFailures >= config.streamFailuresBeforePolling || failure.kind === 'venue-rejected')) {
          log.warn('market data streams keep failing: falling back to polling', { symbol: this.symbol, stream: name, error: failure.message, pollIntervalMs: config.pollIntervalMs });
          this.startPolling();
          return;
        }
        log.warn('market data stream failed: re-connecting', { symbol: this.symbol, stream: name, error: failure.message, delayMs });
        await firstValueFrom(timer(delayMs, clock.scheduler));
        delayMs = Math.min(config.maxReconnectDelayMs, Math.max(1, delayMs * 2));
      }
    }
  }

  private checkBookGap(sequence: number): void {
    const last = this.lastBookSequence;
    if (last !== undefined && this.stats.reconnects > 0 && sequence > last + 1) this.reportGap('book', { lastSequence: last, resumedAt: sequence });
  }

  private publishTrades(trades: readonly (TradeEvent | undefined)[], streamed: boolean): void {
    const fresh = trades.filter((trade): trade is TradeEvent => trade !== undefined && !this.seenTrades.has(trade.tradeId));
    fresh.sort((a, b) => a.ts - b.ts);
    for (const trade of fresh) {
      const id = Number(trade.tradeId);
      if (streamed && Number.isSafeInteger(id) && this.lastTradeId !== undefined && this.stats.reconnects > 0 && id > this.lastTradeId + 1) {
        this.stats.missedTrades += id - this.lastTradeId - 1;
        this.reportGap('trades', { lastTradeId: this.lastTradeId, resumedAt: id, missing: id - this.lastTradeId - 1 });
      }
      if (Number.isSafeInteger(id)) this.lastTradeId = Math.max(this.lastTradeId ?? id, id);
      this.remember(trade.tradeId);
      this.lastTradeTs = Math.max(this.lastTradeTs, trade.ts);
      this.publish(trade);
    }
  }

  private reportGap(stream: 'book' | 'trades', fields: Record<string, unknown>): void {
    this.stats.gaps++;
    this.connection.log.warn('market data gap after a re-connection', { alert: 'market-data-gap', symbol: this.symbol, stream, gaps: this.stats.gaps, ...fields });
  }

  private remember(tradeId: string): void {
    this.seenTrades.add(tradeId);
    this.tradeOrder.push(tradeId);
    if (this.tradeOrder.length > REMEMBERED_TRADES) this.seenTrades.delete(this.tradeOrder.shift()!);
  }

  private publish(event: MarketEvent): void {
    this.stats.events++;
    if (event.type === 'trade') this.connection.notePrice(this.symbol, event.price);
    else if (event.type === 'ticker') this.connection.notePrice(this.symbol, event.last ?? (event.bid > 0 && event.ask > 0 ? (event.bid + event.ask) / 2 : undefined));
    this.emit(event);
  }
}
