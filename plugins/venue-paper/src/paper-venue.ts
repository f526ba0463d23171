import { inject, injectable, optional } from 'inversify';
import { Subject, timer, type Observable, type Subscription } from 'rxjs';
import {
  Clock,
  Logger,
  MarketDataSource,
  NoopLogger,
  TERMINAL_CHILD_STATUSES,
  TrancheError,
  floorToIncrement,
  parseInput,
  roundToIncrement,
  type Balance,
  type BookEvent,
  type BookSide,
  type BookView,
  type ChildOrder,
  type ChildOrderStatus,
  type ChildOrderType,
  type Fill,
  type Liquidity,
  type MarketEvent,
  type MarketInfo,
  type OrderSide,
  type TimeInForce,
  type TradeEvent,
  type Venue,
  type VenueOrderRequest,
} from '@tranche/core';
import { BalanceLedger } from './balance-ledger.js';
import { PaperVenueConfig, PaperVenueConfigSchema, type PaperVenueConfigInput } from './paper-venue-config.schema.js';
import { SymbolState } from './symbol-state.js';

/** Relative tolerance of the minimum-quantity, maximum-quantity and notional checks (float noise). */
const RELATIVE_TOLERANCE = 1e-9;

/** The venue's own record of an order (mutable; callers only ever see `ChildOrder` copies). */
interface PaperOrder {
  readonly clientOrderId: string;
  readonly parentId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: ChildOrderType;
  readonly timeInForce: TimeInForce;
  readonly price: number | undefined;
  readonly quantity: number;
  readonly market: MarketInfo;
  /** Arrival order at the matching engine: time priority among our own orders. */
  readonly sequence: number;
  readonly createdAt: number;
  filledQuantity: number;
  /** Σ price × quantity of the fills. */
  filledNotional: number;
  status: ChildOrderStatus;
  updatedAt: number;
  reason?: string;
  /** Visible quantity ahead of this order at its price level (resting orders). */
  queueAhead: number;
  /** Asset locked for this order, the amount still locked, and how much one unit filled releases. */
  readonly reservedAsset: string;
  reserved: number;
  readonly reservedPerUnit: number;
}

/** A request on its way to the matching engine. */
interface PendingRequest {
  run(): void;
  fail(error: TrancheError): void;
  subscription?: Subscription;
}

/** Options of `PaperVenue.create`, for use without a DI container. */
export interface PaperVenueOptions {
  /** The clock whose scheduler carries the latency (a `VirtualClock` in tests and backtests). */
  clock: Clock;
  /** The `venue-paper` config section as a user writes it (default: every default). */
  config?: PaperVenueConfigInput;
  logger?: Logger;
  /** Market data to follow from `initialize()`; without one, feed `onMarketEvent` by hand. */
  source?: MarketDataSource;
}

/**
 * The embedded paper exchange (venue id `paper`): it keeps its own L2 book per symbol
 * from the market data source and matches orders against it.
 *
 * - Requests (orders, cancels) reach the matching engine `latencyMs` after the call, on
 *   the clock's scheduler; once the data has ended they are processed at once. They are
 *   never processed in the middle of a market event.
 * - Marketable orders take the visible book at arrival, never beyond its depth; taken
 *   quantity stays consumed until the book next updates that level.
 * - Resting orders queue behind the visible size at their price and fill as maker when
 *   recorded trades reach them, or when the opposite side moves through their price.
 * - Balances are locked per order and settled per fill; fees are paid in the quote.
 *
 * Every fill is emitted on `fills$` before the order update it causes.
 */
@injectable()
export class PaperVenue implements Venue {
  readonly id = 'paper';
  private readonly updates = new Subject<ChildOrder>();
  private readonly fillSubject = new Subject<Fill>();
  readonly orderUpdates$: Observable<ChildOrder> = this.updates.asObservable();
  readonly fills$: Observable<Fill> = this.fillSubject.asObservable();

  private readonly marketList: MarketInfo[];
  private readonly marketsBySymbol = new Map<string, MarketInfo>();
  private readonly ledger: BalanceLedger;
  private readonly states = new Map<string, SymbolState>();
  private readonly orders = new Map<string, PaperOrder>();
  private readonly resting = new Map<string, PaperOrder[]>();
  private readonly inFlight = new Set<PendingRequest>();
  private readonly backlog: Array<() => void> = [];
  private readonly log: Logger;
  private subscription?: Subscription;
  private busy = false;
  private dataEnded = false;
  private closed = false;
  private orderSequence = 0;
  private fillSequence = 0;

  constructor(
    @inject(PaperVenueConfig) private readonly config: PaperVenueConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
  ) {
    this.log = logger.child({ venue: 'paper' });
    this.marketList = config.markets.map((market) => ({
      ...market,
      makerFeeBps: config.fees.makerBps ?? market.makerFeeBps,
      takerFeeBps: config.fees.takerBps ?? market.takerFeeBps,
    }));
    for (const market of this.marketList) this.marketsBySymbol.set(market.symbol, market);
    this.ledger = new BalanceLedger(config.balances);
  }

  /** Builds a paper venue without a container; `config` is parsed (defaults applied, unknown keys rejected). */
  static create(options: PaperVenueOptions): PaperVenue {
    const config = parseInput(PaperVenueConfigSchema, options.config ?? {}, 'config section "venue-paper"');
    return new PaperVenue(config, options.clock, options.logger ?? new NoopLogger(), options.source);
  }

  /** Subscribes to the data source's events (if one is bound). Idempotent. */
  async initialize(): Promise<void> {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false });
    if (this.subscription || !this.source) return;
    this.subscription = this.source.events$.subscribe({
      next: (event) => this.onMarketEvent(event),
      complete: () => this.onMarketDataEnd(),
      error: (error: unknown) => {
        this.log.error('market data failed; the paper venue now processes requests at once', { error: TrancheError.from(error).message });
        this.onMarketDataEnd();
      },
    });
  }

  /**
   * Applies one market event: book snapshots and deltas move the venue's book (and the
   * queue positions of resting orders), trades fill resting orders they reach. The
   * data source's events arrive here; tests may call it directly.
   */
  onMarketEvent(event: MarketEvent): void {
    if (this.closed) return;
    this.serially(() => {
      if (event.type === 'book-snapshot' || event.type === 'book-delta') this.applyBook(event);
      else if (event.type === 'trade') this.applyTrade(event);
      // Tickers carry nothing the L2 matching needs.
    });
  }

  /**
   * Tells the venue that no more market data will come (virtual time can no longer
   * advance): requests still travelling are processed now, later ones at once.
   */
  onMarketDataEnd(): void {
    if (this.dataEnded) return;
    this.dataEnded = true;
    for (const pending of [...this.inFlight]) {
      pending.subscription?.unsubscribe();
      this.arrive(pending);
    }
  }

  async markets(): Promise<MarketInfo[]> {
    return this.marketList.map((market) => ({ ...market }));
  }

  async market(symbol: string): Promise<MarketInfo> {
    const market = this.marketsBySymbol.get(symbol);
    if (!market) {
      throw new TrancheError('validation', `unknown symbol "${symbol}": the paper venue trades ${this.symbolList()}`, {
        field: 'symbol',
        retryable: false,
      });
    }
    return { ...market };
  }

  placeOrder(request: VenueOrderRequest): Promise<ChildOrder> {
    const copy: VenueOrderRequest = { ...request };
    return this.request(() => this.place(copy));
  }

  cancelOrder(symbol: string, clientOrderId: string): Promise<ChildOrder> {
    return this.request(() => this.cancel(symbol, clientOrderId));
  }

  async fetchOrder(symbol: string, clientOrderId: string): Promise<ChildOrder | undefined> {
    const order = this.orders.get(clientOrderId);
    return order && order.symbol === symbol ? toChildOrder(order) : undefined;
  }

  async openOrders(symbol?: string): Promise<ChildOrder[]> {
    const open: ChildOrder[] = [];
    for (const order of this.orders.values()) {
      if (!TERMINAL_CHILD_STATUSES.has(order.status) && (symbol === undefined || order.symbol === symbol)) open.push(toChildOrder(order));
    }
    return open;
  }

  async balances(): Promise<Balance[]> {
    return this.ledger.snapshot();
  }

  /** Stops following market data; requests still travelling fail as `venue-unavailable`. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscription?.unsubscribe();
    for (const pending of [...this.inFlight]) {
      pending.subscription?.unsubscribe();
      pending.fail(new TrancheError('venue-unavailable', 'the paper venue closed before the request reached it', { retryable: false }));
    }
    this.inFlight.clear();
    this.updates.complete();
    this.fillSubject.complete();
  }

  /** The venue's book of a symbol (what its matching sees), `undefined` before any data. */
  book(symbol: string): BookView | undefined {
    return this.states.get(symbol)?.book;
  }

  /** Visible quantity still ahead of a resting order in its price level's queue, `undefined` if it is not resting. */
  queueAhead(clientOrderId: string): number | undefined {
    const order = this.orders.get(clientOrderId);
    return order && !TERMINAL_CHILD_STATUSES.has(order.status) && order.type === 'limit' ? order.queueAhead : undefined;
  }

  // --- requests -------------------------------------------------------------------

  /** Sends `work` to the matching engine: after the latency, or at once when the data has ended. */
  private request<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false }));
    return new Promise<T>((resolve, reject) => {
      const pending: PendingRequest = {
        run: () => {
          try {
            resolve(work());
          } catch (error) {
            reject(TrancheError.from(error));
          }
        },
        fail: reject,
      };
      if (this.dataEnded) {
        this.serially(pending.run);
        return;
      }
      this.inFlight.add(pending);
      pending.subscription = timer(this.config.latencyMs, this.clock.scheduler).subscribe(() => this.arrive(pending));
    });
  }

  private arrive(pending: PendingRequest): void {
    if (!this.inFlight.delete(pending)) return;
    this.serially(pending.run);
  }

  /**
   * Runs matching-engine work one item at a time: work that shows up while another item
   * runs (an order sent from a fill handler, say) waits until that item is done.
   */
  private serially(work: () => void): void {
    this.backlog.push(work);
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.backlog.length > 0) {
        const next = this.backlog.shift()!;
        try {
          next();
        } catch (error) {
          this.log.error('the paper venue failed to process an event', { error: TrancheError.from(error).message });
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private place(request: VenueOrderRequest): ChildOrder {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false });
    const market = this.marketsBySymbol.get(request.symbol);
    if (!market) throw this.rejected(request, `unknown symbol "${request.symbol}" (the paper venue trades ${this.symbolList()})`);
    if (this.orders.has(request.clientOrderId)) throw this.rejected(request, `duplicate client order id "${request.clientOrderId}"`);
    const quantity = this.checkQuantity(request, market);
    const price = request.type === 'limit' ? this.checkPrice(request, market) : undefined;
    if (request.type === 'market' && request.timeInForce === 'GTX') throw this.rejected(request, 'a market order cannot be post-only (GTX)');
    const state = this.state(request.symbol);
    const roundDown = (value: number): number => floorToIncrement(value, market.stepSize);
    const plan = state.planTake(request.side, quantity, price, roundDown);
    const referencePrice = price ?? plan[0]?.price ?? state.lastTradePrice;
    if (Number.isFinite(referencePrice) && referencePrice * quantity < market.minNotional * (1 - RELATIVE_TOLERANCE)) {
      throw this.rejected(request, `notional ${referencePrice * quantity} is below the minimum ${market.minNotional} ${market.quote}`);
    }
    if (request.timeInForce === 'GTX' && plan.length > 0) {
      throw this.rejected(request, `post-only (GTX) order at ${price} would take liquidity (best ${request.side === 'buy' ? 'ask' : 'bid'} ${plan[0]!.price})`);
    }

    // Lock what the order may spend: the quote (with the worst fee) for a buy, the base for a sell.
    const reserveFeeRate = Math.max(0, market.makerFeeBps, market.takerFeeBps) / 10_000;
    let reservedAsset: string;
    let reserved: number;
    let reservedPerUnit: number;
    if (request.side === 'sell') {
      reservedAsset = market.base;
      reserved = quantity;
      reservedPerUnit = 1;
    } else if (price !== undefined) {
      reservedAsset = market.quote;
      reservedPerUnit = price * (1 + reserveFeeRate);
      reserved = quantity * reservedPerUnit;
    } else {
      // A market buy costs what it takes from the visible book, which is known at arrival.
      const takerRate = Math.max(0, market.takerFeeBps) / 10_000;
      reservedAsset = market.quote;
      reservedPerUnit = (plan.at(-1)?.price ?? 0) * (1 + takerRate);
      reserved = plan.reduce((sum, take) => sum + take.price * take.quantity, 0) * (1 + takerRate);
    }
    if (!this.ledger.reserve(reservedAsset, reserved)) {
      const free = this.ledger.free(reservedAsset);
      this.log.debug('order refused: insufficient funds', { clientOrderId: request.clientOrderId, asset: reservedAsset, needed: reserved, free });
      throw new TrancheError('insufficient-funds', `insufficient ${reservedAsset} for order ${request.clientOrderId}: needs ${reserved}, ${free} free`, {
        retryable: false,
      });
    }

    const now = this.now();
    const order: PaperOrder = {
      clientOrderId: request.clientOrderId,
      parentId: request.parentId,
      venueOrderId: String(++this.orderSequence),
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce,
      price,
      quantity,
      market,
      sequence: this.orderSequence,
      createdAt: now,
      filledQuantity: 0,
      filledNotional: 0,
      status: 'open',
      updatedAt: now,
      queueAhead: 0,
      reservedAsset,
      reserved,
      reservedPerUnit,
    };
    this.orders.set(order.clientOrderId, order);
    this.log.debug('order accepted', { clientOrderId: order.clientOrderId, side: order.side, type: order.type, quantity, price });
    this.updates.next(toChildOrder(order));

    const planned = plan.reduce((sum, take) => sum + take.quantity, 0);
    if (request.timeInForce === 'FOK' && planned < quantity - market.stepSize / 2) {
      this.end(order, 'cancelled', `fill-or-kill: the visible book holds only ${roundDown(planned)} of ${quantity}${price === undefined ? '' : ` up to ${price}`}`);
      return toChildOrder(order);
    }
    const takenSide: BookSide = order.side === 'buy' ? 'asks' : 'bids';
    for (const take of plan) {
      state.consume(takenSide, take.price, take.quantity);
      this.fill(order, take.price, take.quantity, 'taker');
    }
    if (!TERMINAL_CHILD_STATUSES.has(order.status)) {
      if (order.type === 'market') this.end(order, 'cancelled', 'market order: the visible book ran out, the rest is cancelled');
      else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') this.end(order, 'cancelled', 'immediate-or-cancel: the rest is cancelled');
      else {
        order.queueAhead = state.book.quantityAtPrice(order.side === 'buy' ? 'bids' : 'asks', price!);
        this.restingOf(order.symbol).push(order);
      }
    }
    return toChildOrder(order);
  }

  private cancel(symbol: string, clientOrderId: string): ChildOrder {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false });
    const order = this.orders.get(clientOrderId);
    if (!order || order.symbol !== symbol) {
      throw new TrancheError('venue-rejected', `cannot cancel order "${clientOrderId}": unknown on ${symbol}`, { retryable: false });
    }
    if (!TERMINAL_CHILD_STATUSES.has(order.status)) this.end(order, 'cancelled', 'cancelled by request');
    return toChildOrder(order);
  }

  private checkQuantity(request: VenueOrderRequest, market: MarketInfo): number {
    const quantity = request.quantity;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw this.rejected(request, `quantity must be a positive number, got ${String(quantity)}`);
    if (quantity < market.minQuantity * (1 - RELATIVE_TOLERANCE)) throw this.rejected(request, `quantity ${quantity} is below the minimum ${market.minQuantity}`);
    if (!isOnGrid(quantity, market.stepSize)) throw this.rejected(request, `quantity ${quantity} is not a multiple of the step size ${market.stepSize}`);
    if (market.maxQuantity !== undefined && quantity > market.maxQuantity * (1 + RELATIVE_TOLERANCE)) {
      throw this.rejected(request, `quantity ${quantity} is above the maximum ${market.maxQuantity}`);
    }
    return roundToIncrement(quantity, market.stepSize);
  }

  private checkPrice(request: VenueOrderRequest, market: MarketInfo): number {
    const price = request.price;
    if (price === undefined) throw this.rejected(request, 'a limit order needs a price');
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) throw this.rejected(request, `price must be a positive number, got ${String(price)}`);
    if (!isOnGrid(price, market.tickSize)) throw this.rejected(request, `price ${price} is not a multiple of the tick size ${market.tickSize}`);
    return roundToIncrement(price, market.tickSize);
  }

  private rejected(request: VenueOrderRequest, reason: string): TrancheError {
    this.log.debug('order rejected', { clientOrderId: request.clientOrderId, reason });
    return new TrancheError('venue-rejected', `order ${request.clientOrderId} rejected: ${reason}`, { retryable: false });
  }

  // --- market data ----------------------------------------------------------------

  private applyBook(event: BookEvent): void {
    const state = this.state(event.symbol);
    const resting = this.resting.get(event.symbol) ?? [];
    if (resting.length > 0 && event.type === 'book-delta') {
      for (const [price, quantity] of event.bids) this.moveQueues(state, resting, 'bids', price, quantity);
      for (const [price, quantity] of event.asks) this.moveQueues(state, resting, 'asks', price, quantity);
    }
    state.apply(event);
    if (resting.length === 0) return;
    if (event.type === 'book-snapshot') {
      for (const order of resting) order.queueAhead = Math.min(order.queueAhead, state.book.quantityAtPrice(order.side === 'buy' ? 'bids' : 'asks', order.price!));
    }
    this.fillCrossed(state, resting);
  }

  /**
   * A level of our side changed from its current size to `quantity`: whatever trades
   * printed there since its last update explain part of a decrease; the rest are
   * cancellations, ahead of us pro rata (`pro-rata`) or all behind us (`conservative`).
   * Either way no more can be ahead of us than the level now shows.
   */
  private moveQueues(state: SymbolState, resting: readonly PaperOrder[], side: BookSide, price: number, quantity: number): void {
    const orderSide: OrderSide = side === 'bids' ? 'buy' : 'sell';
    let previous: number | undefined;
    for (const order of resting) {
      if (order.side !== orderSide || order.price !== price) continue;
      previous ??= state.book.quantityAtPrice(side, price);
      if (this.config.queueModel === 'pro-rata' && previous > 0 && quantity < previous) {
        const cancelled = Math.max(0, previous - quantity - state.tradedSinceUpdate(side, price));
        order.queueAhead -= cancelled * (order.queueAhead / previous);
      }
      order.queueAhead = Math.max(0, Math.min(order.queueAhead, quantity));
    }
  }

  /**
   * A resting order the opposite side has moved through (no trade needed: the book
   * shows liquidity at or beyond its price) fills as maker at its own price, at most
   * the crossing quantity, which then counts as consumed.
   */
  private fillCrossed(state: SymbolState, resting: readonly PaperOrder[]): void {
    for (const order of byPriority(resting)) {
      if (TERMINAL_CHILD_STATUSES.has(order.status)) continue;
      const price = order.price!;
      const opposite: BookSide = order.side === 'buy' ? 'asks' : 'bids';
      const step = order.market.stepSize;
      let remaining = remainingOf(order);
      let total = 0;
      for (let index = 0; index < state.book.depth(opposite) && remaining > 0; index++) {
        const levelPrice = state.book.priceAt(opposite, index);
        if (order.side === 'buy' ? levelPrice > price : levelPrice < price) break;
        const take = floorToIncrement(Math.min(remaining, state.available(opposite, index)), step);
        if (take <= 0) continue;
        state.consume(opposite, levelPrice, take);
        total = roundToIncrement(total + take, step);
        remaining = floorToIncrement(remaining - take, step);
      }
      if (total > 0) {
        order.queueAhead = 0;
        this.fill(order, price, total, 'maker');
      }
    }
  }

  /**
   * A recorded trade reaches our resting orders on its passive side: an order priced
   * better than the trade fills at once; an order at the trade's price fills only with
   * what is left of the trade after the visible queue ahead of it. Together our orders
   * never get more than the trade's size.
   */
  private applyTrade(trade: TradeEvent): void {
    const state = this.state(trade.symbol);
    const passiveSide: BookSide = trade.takerSide === 'sell' ? 'bids' : 'asks';
    state.recordTrade(passiveSide, trade.price, trade.quantity);
    const resting = this.resting.get(trade.symbol);
    if (!resting || resting.length === 0) return;
    const makerSide: OrderSide = trade.takerSide === 'sell' ? 'buy' : 'sell';
    const reached = resting.filter(
      (order) => order.side === makerSide && (makerSide === 'buy' ? order.price! >= trade.price : order.price! <= trade.price),
    );
    let budget = trade.quantity;
    let queueConsumed = 0;
    for (const order of byPriority(reached)) {
      if (TERMINAL_CHILD_STATUSES.has(order.status)) continue;
      if (order.price === trade.price) {
        const ahead = Math.max(0, order.queueAhead - queueConsumed);
        const fromQueue = Math.min(budget, ahead);
        budget -= fromQueue;
        queueConsumed += fromQueue;
        order.queueAhead = ahead - fromQueue;
      }
      const quantity = floorToIncrement(Math.min(budget, remainingOf(order)), order.market.stepSize);
      if (quantity <= 0) continue;
      budget -= quantity;
      this.fill(order, order.price!, quantity, 'maker');
    }
  }

  // --- fills and balances ---------------------------------------------------------

  /** Books one fill: balances, the order's state, then `fills$` and `orderUpdates$` (in that order). */
  private fill(order: PaperOrder, price: number, quantity: number, liquidity: Liquidity): void {
    const market = order.market;
    const notional = price * quantity;
    const fee = (notional * (liquidity === 'maker' ? market.makerFeeBps : market.takerFeeBps)) / 10_000;
    this.settle(order, price, quantity, fee);
    const now = this.now();
    order.filledQuantity = roundToIncrement(order.filledQuantity + quantity, market.stepSize);
    order.filledNotional += notional;
    order.updatedAt = now;
    if (order.filledQuantity >= order.quantity - market.stepSize / 2) {
      order.status = 'filled';
      this.releaseReservation(order);
      this.removeResting(order);
    } else {
      order.status = 'partially_filled';
    }
    this.fillSubject.next({
      fillId: `paper-${++this.fillSequence}`,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      ts: now,
      price,
      quantity,
      fee,
      feeCurrency: market.quote,
      liquidity,
    });
    this.updates.next(toChildOrder(order));
  }

  /** Pays for a fill out of the order's reservation: a buy spends quote and gets base, a sell the reverse. */
  private settle(order: PaperOrder, price: number, quantity: number, fee: number): void {
    const { base, quote } = order.market;
    if (order.side === 'buy') {
      const cost = price * quantity + fee;
      const portion = Math.min(order.reserved, quantity * order.reservedPerUnit);
      order.reserved -= portion;
      this.ledger.spendLocked(quote, Math.min(cost, portion));
      if (portion > cost) this.ledger.release(quote, portion - cost);
      else if (cost > portion) this.ledger.credit(quote, portion - cost);
      this.ledger.credit(base, quantity);
    } else {
      const portion = Math.min(order.reserved, quantity);
      order.reserved -= portion;
      this.ledger.spendLocked(base, portion);
      if (quantity > portion) this.ledger.credit(base, portion - quantity);
      this.ledger.credit(quote, price * quantity - fee);
    }
  }

  private releaseReservation(order: PaperOrder): void {
    this.ledger.release(order.reservedAsset, order.reserved);
    order.reserved = 0;
  }

  /** Ends an order that did not fill completely. */
  private end(order: PaperOrder, status: 'cancelled' | 'expired', reason: string): void {
    order.status = status;
    order.reason = reason;
    order.updatedAt = this.now();
    this.releaseReservation(order);
    this.removeResting(order);
    this.log.debug('order ended', { clientOrderId: order.clientOrderId, status, reason, filledQuantity: order.filledQuantity });
    this.updates.next(toChildOrder(order));
  }

  // --- helpers --------------------------------------------------------------------

  private state(symbol: string): SymbolState {
    let state = this.states.get(symbol);
    if (!state) {
      state = new SymbolState(symbol);
      this.states.set(symbol, state);
    }
    return state;
  }

  private restingOf(symbol: string): PaperOrder[] {
    let list = this.resting.get(symbol);
    if (!list) {
      list = [];
      this.resting.set(symbol, list);
    }
    return list;
  }

  private removeResting(order: PaperOrder): void {
    const list = this.resting.get(order.symbol);
    const index = list?.indexOf(order) ?? -1;
    if (index >= 0) list!.splice(index, 1);
  }

  private symbolList(): string {
    return this.marketList.map((market) => market.symbol).join(', ');
  }

  private now(): number {
    return Math.floor(this.clock.now());
  }
}

/**
 * True when `value` is a multiple of `increment` up to float noise. Compares in value
 * space, not as a ratio, so large multiples (9,000 BTC in steps of 0.00001) still pass.
 */
function isOnGrid(value: number, increment: number): boolean {
  return Math.abs(value - roundToIncrement(value, increment)) <= increment * 1e-6;
}

/** Unfilled quantity of an order. */
function remainingOf(order: PaperOrder): number {
  return floorToIncrement(order.quantity - order.filledQuantity, order.market.stepSize);
}

/** Orders by price priority (best first per side), then time priority. */
function byPriority(orders: readonly PaperOrder[]): PaperOrder[] {
  return [...orders].sort((left, right) => {
    if (left.side !== right.side) return left.side === 'buy' ? -1 : 1;
    if (left.price !== right.price) return left.side === 'buy' ? right.price! - left.price! : left.price! - right.price!;
    return left.sequence - right.sequence;
  });
}

/** The plain, serializable view of an order that callers see. */
function toChildOrder(order: PaperOrder): ChildOrder {
  return {
    clientOrderId: order.clientOrderId,
    parentId: order.parentId,
    venueOrderId: order.venueOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    ...(order.price === undefined ? {} : { price: order.price }),
    quantity: order.quantity,
    filledQuantity: order.filledQuantity,
    averagePrice: order.filledQuantity > 0 ? order.filledNotional / order.filledQuantity : 0,
    status: order.status,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...(order.reason === undefined ? {} : { reason: order.reason }),
  };
}
