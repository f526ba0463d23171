import { inject, injectable, optional } from 'inversify';
import type { Observable, Subscription } from 'rxjs';
import {
  Clock,
  Logger,
  MarketDataSource,
  NoopLogger,
  SharedBooks,
  TERMINAL_CHILD_STATUSES,
  TrancheError,
  floorToIncrement,
  parseInput,
  type Balance,
  type BookSide,
  type BookSnapshotEvent,
  type BookView,
  type ChildOrder,
  type Fill,
  type MarketEvent,
  type MarketInfo,
  type TickerEvent,
  type TradeEvent,
  type Venue,
  type VenueOrderRequest,
} from '@tranche/core';
import { BalanceLedger } from './balance-ledger.js';
import { OrderRules } from './order-rules.js';
import { OrderSettlement } from './order-settlement.js';
import { toChildOrder, type PaperOrder } from './paper-order.js';
import { PaperVenueConfig, PaperVenueConfigSchema, type PaperVenueConfigInput } from './paper-venue-config.schema.js';
import { RequestPipeline } from './request-pipeline.js';
import { RestingOrderMatcher } from './resting-order-matcher.js';

/** Recent public trades kept per symbol for `fetchTrades`. */
const RECENT_TRADES = 500;

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
 *   never processed in the middle of a market event (`RequestPipeline`).
 * - Marketable orders take the visible book at arrival, never beyond its depth; taken
 *   quantity stays consumed until the book next updates that level.
 * - Resting orders queue behind the visible size at their price and fill as maker when
 *   recorded trades reach them, or when the opposite side moves through their price
 *   (`RestingOrderMatcher`).
 * - Balances are locked per order and settled per fill; fees are paid in the quote
 *   (`OrderSettlement`).
 *
 * Every fill is emitted on `fills$` before the order update it causes.
 */
@injectable()
export class PaperVenue implements Venue {
  readonly id = 'paper';
  readonly orderUpdates$: Observable<ChildOrder>;
  readonly fills$: Observable<Fill>;

  private readonly marketList: MarketInfo[];
  private readonly marketsBySymbol = new Map<string, MarketInfo>();
  private readonly orders = new Map<string, PaperOrder>();
  private readonly trades = new Map<string, TradeEvent[]>();
  private readonly log: Logger;
  private readonly pipeline: RequestPipeline;
  private readonly rules: OrderRules;
  private readonly settlement: OrderSettlement;
  private readonly matcher: RestingOrderMatcher;
  private subscription?: Subscription;
  private closed = false;
  private orderSequence = 0;

  constructor(
    @inject(PaperVenueConfig) config: PaperVenueConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
    @inject(SharedBooks) @optional() books?: SharedBooks,
  ) {
    this.log = logger.child({ component: 'venue', venue: 'paper' });
    this.marketList = config.markets.map((market) => ({
      ...market,
      makerFeeBps: config.fees.makerBps ?? market.makerFeeBps,
      takerFeeBps: config.fees.takerBps ?? market.takerFeeBps,
    }));
    for (const market of this.marketList) this.marketsBySymbol.set(market.symbol, market);
    this.pipeline = new RequestPipeline(clock, config.latencyMs, this.log);
    this.rules = new OrderRules(this.log);
    // Settlement and matcher need each other (a fill ends resting, matching fills), hence the late-bound arrows.
    this.settlement = new OrderSettlement(new BalanceLedger(config.balances), clock, this.log, (order) => this.matcher.remove(order));
    // The recorded book is the one the asset cache and the market-state monitor read (SharedBooks, when bound): rebuilt once per event.
    this.matcher = new RestingOrderMatcher(config.queueModel, (order, price, quantity, liquidity) => this.settlement.fill(order, price, quantity, liquidity), books);
    this.orderUpdates$ = this.settlement.orderUpdates$;
    this.fills$ = this.settlement.fills$;
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
    // Tickers and candles carry nothing the L2 matching needs.
    if (event.type === 'book-snapshot' || event.type === 'book-delta' || event.type === 'trade') this.pipeline.serially(this.applyMarketEvent, event);
  }

  /** Matching work of one book or trade event (run by the pipeline, one piece of work at a time). */
  private readonly applyMarketEvent = (event: MarketEvent): void => {
    if (event.type === 'trade') {
      this.matcher.applyTrade(event);
      this.rememberTrade(event);
    } else if (event.type === 'book-snapshot' || event.type === 'book-delta') this.matcher.applyBook(event);
  };

  /**
   * Tells the venue that no more market data will come (virtual time can no longer
   * advance): requests still travelling are processed now, later ones at once.
   */
  onMarketDataEnd(): void {
    this.pipeline.endOfData();
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
    return this.pipeline.request(() => this.place(copy));
  }

  cancelOrder(symbol: string, clientOrderId: string): Promise<ChildOrder> {
    return this.pipeline.request(() => this.cancel(symbol, clientOrderId));
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
    return this.settlement.balances();
  }

  /** Stops following market data; requests still travelling fail as `venue-unavailable`. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscription?.unsubscribe();
    this.pipeline.close();
    this.settlement.complete();
  }

  /** The venue's book as a REST snapshot would give it: at most `depth` levels a side. */
  async fetchOrderBook(symbol: string, depth = 100): Promise<BookSnapshotEvent> {
    const book = this.requireBook(symbol);
    return { type: 'book-snapshot', symbol, ts: this.clock.now(), sequence: book.sequence, bids: book.top('bids', depth), asks: book.top('asks', depth) };
  }

  /** Best bid and offer of the venue's book, with the last recorded trade price. */
  async fetchTicker(symbol: string): Promise<TickerEvent> {
    const book = this.requireBook(symbol);
    const last = this.trades.get(symbol)?.at(-1)?.price;
    return {
      type: 'ticker',
      symbol,
      ts: this.clock.now(),
      bid: book.bestBid(),
      bidQuantity: book.quantityAt('bids', 0),
      ask: book.bestAsk(),
      askQuantity: book.quantityAt('asks', 0),
      ...(last === undefined ? {} : { last }),
    };
  }

  /** The last recorded public trades of a symbol, oldest first (at most 500 are kept). */
  async fetchTrades(symbol: string, limit = 500): Promise<TradeEvent[]> {
    await this.market(symbol);
    return (this.trades.get(symbol) ?? []).slice(-limit);
  }

  /** The venue's book of a symbol (what its matching sees), `undefined` before any data. */
  book(symbol: string): BookView | undefined {
    return this.matcher.book(symbol);
  }

  private requireBook(symbol: string): BookView {
    if (!this.marketsBySymbol.has(symbol)) {
      throw new TrancheError('validation', `unknown symbol "${symbol}" on the paper venue (markets: ${[...this.marketsBySymbol.keys()].join(', ')})`, {
        field: 'symbol',
        retryable: false,
      });
    }
    const book = this.matcher.book(symbol);
    if (!book || book.depth('bids') + book.depth('asks') === 0) throw new TrancheError('venue-unavailable', `the paper venue has no market data for ${symbol} yet`);
    return book;
  }

  private rememberTrade(trade: TradeEvent): void {
    let trades = this.trades.get(trade.symbol);
    if (!trades) this.trades.set(trade.symbol, (trades = []));
    trades.push(trade);
    if (trades.length > RECENT_TRADES * 2) trades.splice(0, trades.length - RECENT_TRADES);
  }

  /** Visible quantity still ahead of a resting order in its price level's queue, `undefined` if it is not resting. */
  queueAhead(clientOrderId: string): number | undefined {
    const order = this.orders.get(clientOrderId);
    return order && !TERMINAL_CHILD_STATUSES.has(order.status) && order.type === 'limit' ? order.queueAhead : undefined;
  }

  // --- matching-engine work ------------------------------------------------------

  private place(request: VenueOrderRequest): ChildOrder {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false });
    const market = this.marketsBySymbol.get(request.symbol);
    if (!market) throw this.rules.rejected(request, `unknown symbol "${request.symbol}" (the paper venue trades ${this.symbolList()})`);
    if (this.orders.has(request.clientOrderId)) throw this.rules.rejected(request, `duplicate client order id "${request.clientOrderId}"`);
    const quantity = this.rules.checkQuantity(request, market);
    const price = request.type === 'limit' ? this.rules.checkPrice(request, market) : undefined;
    if (request.type === 'market' && request.timeInForce === 'GTX') throw this.rules.rejected(request, 'a market order cannot be post-only (GTX)');
    const state = this.matcher.state(request.symbol);
    const roundDown = (value: number): number => floorToIncrement(value, market.stepSize);
    const plan = state.planTake(request.side, quantity, price, roundDown);
    this.rules.checkNotional(request, market, price ?? plan[0]?.price ?? state.lastTradePrice, quantity);
    if (request.timeInForce === 'GTX' && plan.length > 0) {
      throw this.rules.rejected(request, `post-only (GTX) order at ${price} would take liquidity (best ${request.side === 'buy' ? 'ask' : 'bid'} ${plan[0]!.price})`);
    }
    const reservation = this.settlement.reserve(request, market, quantity, price, plan);

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
      ...reservation,
    };
    this.orders.set(order.clientOrderId, order);
    this.log.debug('order accepted', { clientOrderId: order.clientOrderId, side: order.side, type: order.type, quantity, price });
    this.settlement.publish(order);

    const planned = plan.reduce((sum, take) => sum + take.quantity, 0);
    if (request.timeInForce === 'FOK' && planned < quantity - market.stepSize / 2) {
      this.settlement.end(order, 'cancelled', `fill-or-kill: the visible book holds only ${roundDown(planned)} of ${quantity}${price === undefined ? '' : ` up to ${price}`}`);
      return toChildOrder(order);
    }
    const takenSide: BookSide = order.side === 'buy' ? 'asks' : 'bids';
    for (const take of plan) {
      state.consume(takenSide, take.price, take.quantity);
      this.settlement.fill(order, take.price, take.quantity, 'taker');
    }
    if (!TERMINAL_CHILD_STATUSES.has(order.status)) {
      if (order.type === 'market') this.settlement.end(order, 'cancelled', 'market order: the visible book ran out, the rest is cancelled');
      else if (order.timeInForce === 'IOC' || order.timeInForce === 'FOK') this.settlement.end(order, 'cancelled', 'immediate-or-cancel: the rest is cancelled');
      else {
        order.queueAhead = state.book.quantityAtPrice(order.side === 'buy' ? 'bids' : 'asks', price!);
        this.matcher.rest(order);
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
    if (!TERMINAL_CHILD_STATUSES.has(order.status)) this.settlement.end(order, 'cancelled', 'cancelled by request');
    return toChildOrder(order);
  }

  // --- helpers --------------------------------------------------------------------

  private symbolList(): string {
    return this.marketList.map((market) => market.symbol).join(', ');
  }

  private now(): number {
    return Math.floor(this.clock.now());
  }
}
