import { inject, injectable } from 'inversify';
import type { Observable } from 'rxjs';
import {
  TrancheError,
  type Balance,
  type BookSnapshotEvent,
  type ChildOrder,
  type Fill,
  type MarketInfo,
  type TickerEvent,
  type TradeEvent,
  type Venue,
  type VenueOrderRequest,
} from '@tranche/core';
import type { CcxtOrder } from './ccxt-exchange.js';
import { CcxtConnection } from './ccxt-connection.js';
import { toBookSnapshot, toTickerEvent, toTradeEvent } from './market-mapping.js';
import { prepareOrder, rejection } from './order-checks.js';
import { toBalances, toChildOrder } from './order-mapping.js';
import { OrderSync, type OrderSyncStats } from './order-sync.js';
import { OrderTracker } from './order-tracker.js';

/** Kinds after which the exchange may hold the order: it stays expected (a stream or a look-up may reveal it). */
const MAYBE_PLACED: ReadonlySet<string> = new Set(['timeout-ambiguous', 'venue-unavailable', 'internal']);

/**
 * Any ccxt exchange as a Tranche venue (id `ccxt`; first-class: Binance spot).
 *
 * - Orders are checked against the market's rules before sending (client id, minimum
 *   quantity, step, tick, minimum notional: a `venue-rejected` error naming the rule,
 *   no round trip) and sent with the deterministic client id as ccxt `clientOrderId`.
 * - A submit that times out or loses its connection is `timeout-ambiguous`: the
 *   router looks the order up by client id (`fetchOrder`) before anything is re-sent,
 *   because Binance accepts a client id again once the first order is no longer open.
 * - Order updates and fills come from ccxt pro streams where the exchange has them
 *   and, always, from polling (`OrderSync`); each fill is published once (`OrderTracker`).
 * - Errors are `TrancheError`s (`mapCcxtError`); secrets never reach a log line or a message.
 */
@injectable()
export class CcxtVenue implements Venue {
  readonly id = 'ccxt';
  readonly orderUpdates$: Observable<ChildOrder>;
  readonly fills$: Observable<Fill>;
  private readonly tracker = new OrderTracker();
  private readonly sync: OrderSync;
  private closed = false;

  constructor(@inject(CcxtConnection) private readonly connection: CcxtConnection) {
    this.orderUpdates$ = this.tracker.updates.asObservable();
    this.fills$ = this.tracker.fills.asObservable();
    this.sync = new OrderSync(connection, this.tracker, (symbol) => connection.findMarket(symbol)?.stepSize ?? 0);
    // Every fill is a price seen: the reference of later market orders' min-notional check.
    this.fills$.subscribe((fill) => connection.notePrice(fill.symbol, fill.price));
  }

  /** Loads credentials and markets, and starts polling working orders. */
  async initialize(): Promise<void> {
    if (this.closed) throw new TrancheError('venue-unavailable', 'the ccxt venue is closed', { retryable: false });
    await this.connection.initialize();
    this.sync.start();
  }

  /** Counters of the order synchronisation (polls, fills recovered by polling, stream failures). */
  syncStats(): Readonly<OrderSyncStats> & { duplicateFillsDropped: number } {
    return { ...this.sync.stats, duplicateFillsDropped: this.tracker.duplicatesDropped };
  }

  async markets(): Promise<MarketInfo[]> {
    await this.connection.initialize();
    return this.connection.markets();
  }

  async market(symbol: string): Promise<MarketInfo> {
    await this.connection.initialize();
    return this.connection.market(symbol);
  }

  async placeOrder(request: VenueOrderRequest): Promise<ChildOrder> {
    await this.connection.initialize();
    const market = this.connection.findMarket(request.symbol);
    if (!market) throw rejection(request, 'symbol', `unknown symbol "${request.symbol}" on ${this.connection.config.exchange}`);
    const known = this.tracker.get(request.clientOrderId);
    if (known?.acknowledged) {
      // The re-send of an ambiguous submit that the exchange did take (a stream told us meanwhile): the same order, not a new one.
      if (known.submitAmbiguous && known.order && sameOrder(known.request, request)) return known.order;
      throw rejection(request, 'client id', `duplicate client order id "${request.clientOrderId}": the exchange already has an order with it`);
    }
    const prepared = prepareOrder(this.connection.exchange, request, market, this.connection.lastPrice(request.symbol));
    this.tracker.expect(request);
    this.sync.ensureStreams();
    let answer: CcxtOrder;
    const sentAt = this.connection.clock.now();
    try {
      answer = await this.connection.call('submit', `createOrder ${request.clientOrderId}`, (exchange) =>
        exchange.createOrder(request.symbol, request.type, request.side, prepared.amount, prepared.price, prepared.params),
      );
    } catch (error) {
      const failure = TrancheError.from(error);
      if (!MAYBE_PLACED.has(failure.kind)) {
        this.tracker.forget(request.clientOrderId);
        throw failure;
      }
      this.tracker.expect(request).submitAmbiguous = true;
      throw this.withReceiveWindow(failure, sentAt);
    }
    const now = this.connection.clock.now();
    // Answers that omit what we sent (some exchanges echo only an id) are completed from the request.
    const state = this.tracker.applyOrder({ ...answer, clientOrderId: answer.clientOrderId ?? request.clientOrderId, amount: answer.amount ?? prepared.amount }, now);
    this.connection.log.debug('order placed', { clientOrderId: request.clientOrderId, venueOrderId: answer.id, status: state?.status });
    return state ?? toChildOrder(answer, now, request);
  }

  /**
   * An exchange with a receive window (Binance `recvWindow`: a signed request arriving
   * later than `timestamp + recvWindow` is refused) can no longer execute a lost submit
   * once the window has passed: the error asks the router to wait until then, so that
   * its look-up by client id is the final word before a re-send.
   */
  private withReceiveWindow(failure: TrancheError, sentAt: number): TrancheError {
    const window = this.connection.exchange.options?.['recvWindow'];
    if (failure.kind !== 'timeout-ambiguous' && failure.kind !== 'venue-unavailable') return failure;
    if (typeof window !== 'number' || !(window > 0)) return failure;
    const waitMs = Math.max(failure.retryAfterMs ?? 0, Math.ceil(sentAt + window - this.connection.clock.now()));
    if (waitMs <= (failure.retryAfterMs ?? 0)) return failure;
    return new TrancheError(failure.kind, `${failure.message} (the order cannot reach the exchange after its ${window} ms receive window: look it up in ${waitMs} ms)`, {
      retryable: failure.retryable,
      retryAfterMs: waitMs,
    });
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<ChildOrder> {
    await this.connection.initialize();
    const tracked = this.tracker.get(clientOrderId);
    const venueOrderId = tracked?.venueOrderId;
    let answer: CcxtOrder | undefined;
    try {
      answer = await this.connection.call('cancel', `cancelOrder ${clientOrderId}`, (exchange) =>
        venueOrderId === undefined ? exchange.cancelOrder(undefined, symbol, { clientOrderId }) : exchange.cancelOrder(venueOrderId, symbol),
      );
    } catch (error) {
      const failure = TrancheError.from(error);
      if (failure.kind !== 'venue-rejected') throw failure;
      // "Unknown order" for an order that is done: its final state is the answer (a second cancel is harmless).
      const found = await this.fetchOrder(symbol, clientOrderId);
      if (found && (found.status === 'cancelled' || found.status === 'filled' || found.status === 'expired' || found.status === 'rejected')) return found;
      throw new TrancheError('venue-rejected', `cannot cancel order "${clientOrderId}" on ${symbol}: ${failure.message}`, { retryable: false });
    }
    const now = this.connection.clock.now();
    const state = this.tracker.applyOrder({ ...answer, clientOrderId: answer.clientOrderId ?? clientOrderId, trades: [] }, now);
    if (state) return state;
    return toChildOrder({ ...answer, status: answer.status ?? 'canceled' }, now);
  }

  async fetchOrder(symbol: string, clientOrderId: string): Promise<ChildOrder | undefined> {
    await this.connection.initialize();
    const tracked = this.tracker.get(clientOrderId);
    let answer: CcxtOrder;
    try {
      answer = await this.connection.call('query', `fetchOrder ${clientOrderId}`, (exchange) =>
        tracked?.venueOrderId === undefined ? exchange.fetchOrder(undefined, symbol, { clientOrderId }) : exchange.fetchOrder(tracked.venueOrderId, symbol),
      );
    } catch (error) {
      if (isOrderNotFound(error)) return undefined;
      if (tracked?.venueOrderId !== undefined || !cannotFetchByClientId(error)) throw error;
      // An exchange that cannot fetch by client id: search its open, then its recent orders.
      const found = await this.searchByClientId(symbol, clientOrderId);
      if (!found) return undefined;
      answer = found;
    }
    const now = this.connection.clock.now();
    const ours = { ...answer, clientOrderId: answer.clientOrderId ?? clientOrderId, trades: [] };
    // An order found after an ambiguous submit becomes ours: polling now follows it.
    const state = tracked ? this.tracker.applyOrder(ours, now) : undefined;
    return state ?? toChildOrder(ours, now);
  }

  /** The order with a client id among the open orders of a symbol, then its closed (or all recent) orders. */
  private async searchByClientId(symbol: string, clientOrderId: string): Promise<CcxtOrder | undefined> {
    const open = await this.connection.call('query', `fetchOpenOrders ${symbol}`, (exchange) => exchange.fetchOpenOrders(symbol));
    const match = (orders: readonly CcxtOrder[]): CcxtOrder | undefined => orders.find((order) => order.clientOrderId === clientOrderId);
    const inOpen = match(open);
    if (inOpen) return inOpen;
    const exchange = this.connection.exchange;
    const since = this.connection.clock.now() - 24 * 3_600_000;
    if (exchange.has['fetchClosedOrders'] && exchange.fetchClosedOrders) {
      return match(await this.connection.call('query', `fetchClosedOrders ${symbol}`, (ccxt) => ccxt.fetchClosedOrders!(symbol, since)));
    }
    if (exchange.has['fetchOrders'] && exchange.fetchOrders) return match(await this.connection.call('query', `fetchOrders ${symbol}`, (ccxt) => ccxt.fetchOrders!(symbol, since)));
    throw new TrancheError('venue-unavailable', `${this.connection.config.exchange} can look order "${clientOrderId}" up neither by client id nor among its closed orders`, {
      retryable: false,
    });
  }

  async openOrders(symbol?: string): Promise<ChildOrder[]> {
    await this.connection.initialize();
    const orders = await this.connection.call('query', 'fetchOpenOrders', (exchange) => exchange.fetchOpenOrders(symbol));
    const now = this.connection.clock.now();
    return orders.map((order) => {
      const tracked = order.clientOrderId === undefined ? undefined : this.tracker.get(order.clientOrderId);
      return (tracked && this.tracker.applyOrder({ ...order, trades: [] }, now)) ?? toChildOrder(order, now, tracked?.request);
    });
  }

  async balances(): Promise<Balance[]> {
    await this.connection.initialize();
    return toBalances(await this.connection.call('query', 'fetchBalance', (exchange) => exchange.fetchBalance()));
  }

  /** REST snapshot of the book (at most `depth` levels a side, default `bookDepth`). */
  async fetchOrderBook(symbol: string, depth = this.connection.config.bookDepth): Promise<BookSnapshotEvent> {
    await this.connection.initialize();
    this.connection.market(symbol);
    const book = await this.connection.call('market-data', `fetchOrderBook ${symbol}`, (exchange) => exchange.fetchOrderBook(symbol, depth));
    const snapshot = toBookSnapshot(symbol, book, depth, this.connection.clock.now(), 0);
    const bid = snapshot.bids[0]?.[0];
    const ask = snapshot.asks[0]?.[0];
    this.connection.notePrice(symbol, bid !== undefined && ask !== undefined ? (bid + ask) / 2 : (bid ?? ask));
    return snapshot;
  }

  /** Best bid and offer with the last price. */
  async fetchTicker(symbol: string): Promise<TickerEvent> {
    await this.connection.initialize();
    this.connection.market(symbol);
    const ticker = toTickerEvent(symbol, await this.connection.call('market-data', `fetchTicker ${symbol}`, (exchange) => exchange.fetchTicker(symbol)), this.connection.clock.now());
    this.connection.notePrice(symbol, ticker.last ?? (ticker.bid > 0 && ticker.ask > 0 ? (ticker.bid + ticker.ask) / 2 : undefined));
    return ticker;
  }

  /** Recent public trades, oldest first. */
  async fetchTrades(symbol: string, limit = 100): Promise<TradeEvent[]> {
    await this.connection.initialize();
    this.connection.market(symbol);
    const now = this.connection.clock.now();
    const trades = await this.connection.call('market-data', `fetchTrades ${symbol}`, (exchange) => exchange.fetchTrades(symbol, undefined, limit));
    const events = trades.map((trade) => toTradeEvent(symbol, trade, now)).filter((event): event is TradeEvent => event !== undefined);
    events.sort((a, b) => a.ts - b.ts);
    this.connection.notePrice(symbol, events.at(-1)?.price);
    return events;
  }

  /** Runs one poll round now (tests; the clock's scheduler runs them every `pollIntervalMs`). */
  pollNow(): Promise<void> {
    return this.sync.pollOnce();
  }

  /** Stops polling and streams, closes the exchange's connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sync.stop();
    this.tracker.complete();
    await this.connection.close();
  }
}

/** True when two requests ask for the same order (a re-send, not a different order under a used id). */
function sameOrder(first: VenueOrderRequest, second: VenueOrderRequest): boolean {
  return (
    first.symbol === second.symbol &&
    first.side === second.side &&
    first.type === second.type &&
    first.timeInForce === second.timeInForce &&
    first.quantity === second.quantity &&
    first.price === second.price
  );
}

/** True when the exchange cannot fetch an order by client id (ccxt `NotSupported` / `ArgumentsRequired`). */
function cannotFetchByClientId(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\((NotSupported|ArgumentsRequired)\b/.test(message);
}

/** True for ccxt's "order not found" (by class, or Binance's -2013 / -2011 codes against another host). */
function isOrderNotFound(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\(OrderNotFound\b|code -201[13]\b|-201[13]\)|order not found|order does not exist|unknown order/i.test(message);
}
