import { firstValueFrom, interval, timer, type Subscription } from 'rxjs';
import { TrancheError } from '@tranche/core';
import type { CcxtOrder, CcxtTrade } from './ccxt-exchange.js';
import type { CcxtConnection } from './ccxt-connection.js';
import type { OrderTracker, TrackedOrder } from './order-tracker.js';

/** Counters of the order synchronisation, for tests and diagnostics. */
export interface OrderSyncStats {
  /** Poll rounds run. */
  polls: number;
  /** Fills that reached Tranche through polling (a stream missed or had not yet delivered them). */
  fillsRecoveredByPolling: number;
  /** Order and trade stream failures (each followed by a re-connection). */
  streamFailures: number;
  /** Whether the order streams are running. */
  streaming: boolean;
}

/**
 * Keeps the tracker in step with the exchange: ccxt pro `watchOrders` /
 * `watchMyTrades` loops where the exchange has them (re-connected with back-off on
 * the clock), and — always — a poll every `pollIntervalMs` on the clock's scheduler
 * that fetches each working order by id and, when its fills fall short of its filled
 * quantity, its trades. The tracker drops whatever one path already brought, so a
 * missed stream message cannot lose a fill and a repeated one cannot count twice.
 */
export class OrderSync {
  readonly stats: OrderSyncStats = { polls: 0, fillsRecoveredByPolling: 0, streamFailures: 0, streaming: false };
  private pollSubscription?: Subscription;
  private polling = false;
  private streamsStarted = false;
  private stopped = false;

  constructor(
    private readonly connection: CcxtConnection,
    private readonly tracker: OrderTracker,
    private readonly stepOf: (symbol: string) => number,
  ) {}

  /** Starts the poll (idempotent). Streams start with the first order (`ensureStreams`). */
  start(): void {
    if (this.pollSubscription || this.stopped) return;
    const { clock, config } = this.connection;
    this.pollSubscription = interval(config.pollIntervalMs, clock.scheduler).subscribe(() => void this.pollOnce());
  }

  /** Starts the order streams if configured, credentials are loaded and the exchange has them. */
  ensureStreams(): void {
    if (this.streamsStarted || this.stopped) return;
    this.streamsStarted = true;
    const { exchange, config, log } = this.connection;
    if (!config.orderStreams || !this.connection.hasCredentials) return;
    const watchOrders = exchange.has['watchOrders'] && typeof exchange.watchOrders === 'function';
    const watchMyTrades = exchange.has['watchMyTrades'] && typeof exchange.watchMyTrades === 'function';
    if (!watchOrders && !watchMyTrades) {
      log.info('the exchange has no order streams: order updates and fills come from polling', { pollIntervalMs: config.pollIntervalMs });
      return;
    }
    this.stats.streaming = true;
    if (watchOrders) void this.loop('watchOrders', async () => this.onOrders(await exchange.watchOrders!()));
    if (watchMyTrades) void this.loop('watchMyTrades', async () => this.onTrades(await exchange.watchMyTrades!()));
  }

  /**
   * One poll round: each working order fetched by exchange id, its trades fetched when
   * its fills are short. Overlapping rounds are skipped; nothing runs during a
   * rate-limit back-off.
   */
  async pollOnce(): Promise<void> {
    if (this.polling || this.stopped || this.connection.backoffRemainingMs() > 0) return;
    this.polling = true;
    try {
      this.stats.polls++;
      const targets = this.tracker.pollTargets(
        (tracked) => this.stepOf(tracked.request.symbol) / 2,
        (tracked) =>
          this.connection.log.error('fills of a finished order stay short of its filled quantity: giving up on them', {
            clientOrderId: tracked.clientOrderId,
            filledQuantity: tracked.order?.filledQuantity,
            filledByFills: tracked.filledByFills,
          }),
      );
      for (const tracked of targets) {
        if (this.stopped) return;
        await this.pollOrder(tracked);
      }
    } finally {
      this.polling = false;
    }
  }

  /** Stops the poll and the stream loops. */
  stop(): void {
    this.stopped = true;
    this.stats.streaming = false;
    this.pollSubscription?.unsubscribe();
  }

  private async pollOrder(tracked: TrackedOrder): Promise<void> {
    const { connection, tracker } = this;
    const symbol = tracked.request.symbol;
    try {
      const order = await connection.call('query', `fetchOrder ${tracked.clientOrderId}`, (exchange) =>
        tracked.venueOrderId === undefined
          ? exchange.fetchOrder(undefined, symbol, { clientOrderId: tracked.clientOrderId })
          : exchange.fetchOrder(tracked.venueOrderId, symbol),
      );
      const before = tracked.filledByFills;
      // Fills the exchange had already delivered before the order's state count as maker unless ccxt says otherwise.
      tracker.applyOrder({ ...order, trades: [] }, connection.clock.now());
      if (tracker.fillsShort(tracked, this.stepOf(symbol) / 2)) await this.pollTrades(tracked);
      const recovered = tracked.filledByFills - before;
      if (recovered > 0) connection.log.info('fills recovered by polling', { clientOrderId: tracked.clientOrderId, quantity: recovered });
    } catch (error) {
      const failure = TrancheError.from(error);
      connection.log.warn('order poll failed', { clientOrderId: tracked.clientOrderId, kind: failure.kind, error: failure.message });
    }
  }

  private async pollTrades(tracked: TrackedOrder): Promise<void> {
    const { connection, tracker } = this;
    const symbol = tracked.request.symbol;
    const venueOrderId = tracked.venueOrderId;
    if (venueOrderId === undefined) return;
    const trades = await connection.call('query', `order trades ${tracked.clientOrderId}`, (exchange) =>
      exchange.has['fetchOrderTrades'] && exchange.fetchOrderTrades
        ? exchange.fetchOrderTrades(venueOrderId, symbol)
        : exchange.fetchMyTrades(symbol, tracked.order ? tracked.order.createdAt - 1_000 : undefined),
    );
    const now = connection.clock.now();
    for (const trade of trades) {
      if (trade.order !== undefined && String(trade.order) !== venueOrderId) continue;
      if (tracker.applyTrade({ ...trade, order: venueOrderId }, now, undefined, tracked)) this.stats.fillsRecoveredByPolling++;
    }
  }

  private onOrders(orders: readonly CcxtOrder[]): void {
    const now = this.connection.clock.now();
    for (const order of orders) this.tracker.applyOrder({ ...order, trades: order.trades ?? [] }, now, 'maker');
  }

  private onTrades(trades: readonly CcxtTrade[]): void {
    const now = this.connection.clock.now();
    for (const trade of trades) this.tracker.applyTrade(trade, now);
  }

  /** Runs one stream's `watch*` call in a loop, re-connecting with doubling back-off on the clock. */
  private async loop(name: string, step: () => Promise<void>): Promise<void> {
    const { config, clock, log } = this.connection;
    let delayMs = config.reconnectDelayMs;
    while (!this.stopped) {
      try {
        await step();
        delayMs = config.reconnectDelayMs;
      } catch (error) {
        if (this.stopped || this.connection.isClosed) return;
        this.stats.streamFailures++;
        const failure = this.connection.mapError(error, 'market-data');
        if (failure.kind === 'venue-rejected') {
          log.warn(`${name} is not available: order updates and fills come from polling`, { error: failure.message });
          return;
        }
        log.warn(`${name} failed: re-connecting (polling covers the gap)`, { error: failure.message, delayMs });
        await firstValueFrom(timer(delayMs, clock.scheduler));
        delayMs = Math.min(config.maxReconnectDelayMs, Math.max(1, delayMs * 2));
      }
    }
  }
}
