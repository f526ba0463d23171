import {
  NoopLogger,
  VirtualClock,
  type SharedBooks,
  type BookLevel,
  type ChildOrder,
  type Fill,
  type MarketEvent,
  type OrderSide,
  type VenueOrderRequest,
} from '@tranche/core';
import { PaperVenue, PaperVenueConfigSchema, type PaperVenueConfigInput } from '../src/index.js';

/** What the venue pushed, in the order it pushed it. */
export type Emission = { kind: 'fill'; fill: Fill } | { kind: 'update'; order: ChildOrder };

/**
 * Drives a `PaperVenue` without a data source, on a `VirtualClock`: market events go
 * in through `onMarketEvent` at the clock's time; `place`/`cancel` let the latency pass.
 */
export class PaperScenario {
  readonly clock: VirtualClock;
  readonly venue: PaperVenue;
  readonly emissions: Emission[] = [];
  readonly latencyMs: number;
  private sequence = 0;
  private tradeId = 0;
  private orderId = 0;

  constructor(
    config: PaperVenueConfigInput = {},
    readonly symbol = 'BTC/USDT',
    startMs = 1_723_161_600_000,
    /** Books shared with another reader that applies every book event before the venue sees it (the asset cache). */
    private readonly sharedBooks?: SharedBooks,
  ) {
    this.clock = new VirtualClock(startMs);
    this.venue = sharedBooks
      ? new PaperVenue(PaperVenueConfigSchema.parse(config), this.clock, new NoopLogger(), undefined, sharedBooks)
      : PaperVenue.create({ clock: this.clock, config });
    this.latencyMs = config.latencyMs ?? 20;
    this.venue.fills$.subscribe((fill) => this.emissions.push({ kind: 'fill', fill }));
    this.venue.orderUpdates$.subscribe((order) => this.emissions.push({ kind: 'update', order }));
  }

  /** Every fill so far. */
  get fills(): Fill[] {
    return this.emissions.flatMap((emission) => (emission.kind === 'fill' ? [emission.fill] : []));
  }

  /** Fills of one order. */
  fillsOf(clientOrderId: string): Fill[] {
    return this.fills.filter((fill) => fill.clientOrderId === clientOrderId);
  }

  /** Updates of one order. */
  updatesOf(clientOrderId: string): ChildOrder[] {
    return this.emissions.flatMap((emission) => (emission.kind === 'update' && emission.order.clientOrderId === clientOrderId ? [emission.order] : []));
  }

  /** Feeds any market event at the clock's current time (or its own `ts` when later). */
  event(event: MarketEvent): void {
    this.clock.advanceTo(event.ts);
    if (this.sharedBooks && (event.type === 'book-snapshot' || event.type === 'book-delta')) this.sharedBooks.apply(event);
    this.venue.onMarketEvent(event);
  }

  snapshot(bids: BookLevel[], asks: BookLevel[]): void {
    this.event({ type: 'book-snapshot', symbol: this.symbol, ts: this.clock.now(), sequence: ++this.sequence, bids, asks });
  }

  delta(bids: BookLevel[], asks: BookLevel[]): void {
    this.event({ type: 'book-delta', symbol: this.symbol, ts: this.clock.now(), sequence: ++this.sequence, bids, asks });
  }

  trade(price: number, quantity: number, takerSide: OrderSide): void {
    this.event({ type: 'trade', symbol: this.symbol, ts: this.clock.now(), price, quantity, takerSide, tradeId: String(++this.tradeId) });
  }

  /** Moves virtual time on (firing due timers: requests reach the venue). */
  advance(ms: number): void {
    this.clock.advanceBy(ms);
  }

  /** A complete request with defaults (limit GTC buy of the scenario's symbol). */
  request(overrides: Partial<VenueOrderRequest>): VenueOrderRequest {
    const type = overrides.type ?? 'limit';
    return {
      clientOrderId: `o${++this.orderId}`,
      parentId: 'p',
      symbol: this.symbol,
      side: 'buy',
      type,
      quantity: 0.01,
      timeInForce: type === 'market' ? 'IOC' : 'GTC',
      ...overrides,
    };
  }

  /** Sends an order and lets the latency pass; resolves with the acknowledgement. */
  place(overrides: Partial<VenueOrderRequest>): Promise<ChildOrder> {
    const promise = this.venue.placeOrder(this.request(overrides));
    this.advance(this.latencyMs);
    return promise;
  }

  /** Cancels and lets the latency pass. */
  cancel(clientOrderId: string, symbol = this.symbol): Promise<ChildOrder> {
    const promise = this.venue.cancelOrder(symbol, clientOrderId);
    this.advance(this.latencyMs);
    return promise;
  }

  /** A book around 60,000 (BTC/USDT-like): bids 59,999.99 down, asks 60,000.01 up, 0.5 each level, 1 tick apart. */
  standardBook(levels = 5, size = 0.5): void {
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let index = 0; index < levels; index++) {
      bids.push([Math.round((59_999.99 - index * 0.01) * 100) / 100, size]);
      asks.push([Math.round((60_000.01 + index * 0.01) * 100) / 100, size]);
    }
    this.snapshot(bids, asks);
  }
}
