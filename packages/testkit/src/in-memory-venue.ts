import { Subject, type Observable, type Subscription } from 'rxjs';
import {
  L2Book,
  TERMINAL_CHILD_STATUSES,
  TrancheError,
  isMultipleOf,
  type Balance,
  type ChildOrder,
  type Clock,
  type Fill,
  type MarketDataSource,
  type MarketEvent,
  type MarketInfo,
  type Venue,
  type VenueOrderRequest,
} from '@tranche/core';

/**
 * A small, immediate venue for tests of strategies and of the engine: marketable
 * orders fill at once against the current book (never beyond its visible depth),
 * resting limit orders fill when a trade prints at or through their price (up to the
 * trade's size). No latency, no queue model, no balances: use `@tranche/venue-paper`
 * for realistic simulation. `failNext()` injects errors for retry tests.
 */
export class InMemoryVenue implements Venue {
  readonly id: string;
  private readonly orders = new Map<string, ChildOrder>();
  private readonly books = new Map<string, L2Book>();
  private readonly updates = new Subject<ChildOrder>();
  private readonly fillSubject = new Subject<Fill>();
  private readonly injected: Array<{ error: TrancheError; after: boolean }> = [];
  private subscription?: Subscription;
  private fillSequence = 0;
  /** Every order request received, including rejected and duplicate ones. */
  readonly received: VenueOrderRequest[] = [];

  readonly orderUpdates$: Observable<ChildOrder> = this.updates.asObservable();
  readonly fills$: Observable<Fill> = this.fillSubject.asObservable();

  constructor(
    private readonly marketList: readonly MarketInfo[],
    private readonly clock: Clock,
    private readonly source?: MarketDataSource,
    id = 'in-memory',
  ) {
    this.id = id;
  }

  async initialize(): Promise<void> {
    this.subscription ??= this.source?.events$.subscribe((event) => this.onMarketEvent(event));
  }

  /** Feeds one market event (book updates move the book; trades fill resting orders). */
  onMarketEvent(event: MarketEvent): void {
    if (event.type === 'book-snapshot' || event.type === 'book-delta') this.book(event.symbol).apply(event);
    else if (event.type === 'trade') {
      for (const order of this.orders.values()) {
        if (order.symbol !== event.symbol || order.type !== 'limit' || TERMINAL_CHILD_STATUSES.has(order.status)) continue;
        const crosses = order.side === 'buy' ? event.price <= order.price! : event.price >= order.price!;
        if (crosses && event.takerSide !== order.side) this.fill(order, order.price!, Math.min(event.quantity, order.quantity - order.filledQuantity), 'maker');
      }
    }
  }

  /**
   * Makes the next venue call fail with `error`; with `after`, the call takes effect
   * first and then fails (a timeout after the exchange acted).
   */
  failNext(error: TrancheError, options: { after?: boolean } = {}): void {
    this.injected.push({ error, after: options.after ?? false });
  }

  async markets(): Promise<MarketInfo[]> {
    return [...this.marketList];
  }

  async market(symbol: string): Promise<MarketInfo> {
    const market = this.marketList.find((candidate) => candidate.symbol === symbol);
    if (!market) throw new TrancheError('validation', `unknown symbol "${symbol}"`, { field: 'symbol', retryable: false });
    return market;
  }

  async placeOrder(request: VenueOrderRequest): Promise<ChildOrder> {
    this.received.push(request);
    const injected = this.injected.shift();
    if (injected && !injected.after) throw injected.error;
    const order = this.doPlace(request);
    if (injected) throw injected.error;
    return order;
  }

  private doPlace(request: VenueOrderRequest): ChildOrder {
    const market = this.marketList.find((candidate) => candidate.symbol === request.symbol);
    if (!market) throw new TrancheError('venue-rejected', `unknown symbol "${request.symbol}"`);
    if (this.orders.has(request.clientOrderId)) throw new TrancheError('venue-rejected', `duplicate client order id ${request.clientOrderId}`);
    if (request.quantity < market.minQuantity || !isMultipleOf(request.quantity, market.stepSize)) {
      throw new TrancheError('venue-rejected', `quantity ${request.quantity} violates the lot size`);
    }
    if (request.price !== undefined && !isMultipleOf(request.price, market.tickSize)) {
      throw new TrancheError('venue-rejected', `price ${request.price} is not a multiple of the tick ${market.tickSize}`);
    }
    const now = this.clock.now();
    let order: ChildOrder = {
      clientOrderId: request.clientOrderId,
      parentId: request.parentId,
      venueOrderId: String(this.orders.size + 1),
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      quantity: request.quantity,
      filledQuantity: 0,
      averagePrice: 0,
      status: 'open',
      createdAt: now,
      updatedAt: now,
      ...(request.price === undefined ? {} : { price: request.price }),
    };
    this.orders.set(order.clientOrderId, order);
    this.takeLiquidity(order, market);
    order = this.orders.get(order.clientOrderId)!;
    if (order.status === 'open' || order.status === 'partially_filled') {
      if (request.type === 'market' || request.timeInForce === 'IOC' || request.timeInForce === 'FOK') order = this.setStatus(order, 'cancelled');
    }
    return order;
  }

  async cancelOrder(_symbol: string, clientOrderId: string): Promise<ChildOrder> {
    this.throwInjected();
    const order = this.orders.get(clientOrderId);
    if (!order) throw new TrancheError('venue-rejected', `unknown order ${clientOrderId}`);
    if (TERMINAL_CHILD_STATUSES.has(order.status)) return order;
    return this.setStatus(order, 'cancelled');
  }

  async fetchOrder(_symbol: string, clientOrderId: string): Promise<ChildOrder | undefined> {
    this.throwInjected();
    return this.orders.get(clientOrderId);
  }

  async openOrders(symbol?: string): Promise<ChildOrder[]> {
    return [...this.orders.values()].filter((order) => !TERMINAL_CHILD_STATUSES.has(order.status) && (symbol === undefined || order.symbol === symbol));
  }

  async balances(): Promise<Balance[]> {
    return [];
  }

  async close(): Promise<void> {
    this.subscription?.unsubscribe();
  }

  /** Orders the venue holds (for assertions). */
  allOrders(): ChildOrder[] {
    return [...this.orders.values()];
  }

  private book(symbol: string): L2Book {
    let book = this.books.get(symbol);
    if (!book) {
      book = new L2Book(symbol);
      this.books.set(symbol, book);
    }
    return book;
  }

  private takeLiquidity(order: ChildOrder, market: MarketInfo): void {
    const book = this.book(order.symbol);
    const side = order.side === 'buy' ? 'asks' : 'bids';
    for (let index = 0; index < book.depth(side); index++) {
      const current = this.orders.get(order.clientOrderId)!;
      const remaining = current.quantity - current.filledQuantity;
      if (remaining <= market.stepSize / 2) break;
      const price = book.priceAt(side, index);
      if (order.type === 'limit' && (order.side === 'buy' ? price > order.price! : price < order.price!)) break;
      this.fill(current, price, Math.min(remaining, book.quantityAt(side, index)), 'taker');
    }
  }

  private fill(order: ChildOrder, price: number, quantity: number, liquidity: 'maker' | 'taker'): void {
    if (quantity <= 0) return;
    const market = this.marketList.find((candidate) => candidate.symbol === order.symbol)!;
    const filledQuantity = order.filledQuantity + quantity;
    const fill: Fill = {
      fillId: `${this.id}-${++this.fillSequence}`,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      ts: this.clock.now(),
      price,
      quantity,
      fee: (price * quantity * (liquidity === 'maker' ? market.makerFeeBps : market.takerFeeBps)) / 10_000,
      feeCurrency: market.quote,
      liquidity,
    };
    const updated: ChildOrder = {
      ...order,
      filledQuantity,
      averagePrice: (order.averagePrice * order.filledQuantity + price * quantity) / filledQuantity,
      status: filledQuantity >= order.quantity - market.stepSize / 2 ? 'filled' : 'partially_filled',
      updatedAt: this.clock.now(),
    };
    this.orders.set(order.clientOrderId, updated);
    this.fillSubject.next(fill);
    this.updates.next(updated);
  }

  private setStatus(order: ChildOrder, status: ChildOrder['status']): ChildOrder {
    const updated = { ...order, status, updatedAt: this.clock.now() };
    this.orders.set(order.clientOrderId, updated);
    this.updates.next(updated);
    return updated;
  }

  private throwInjected(): void {
    const injected = this.injected.shift();
    if (injected) throw injected.error;
  }
}
