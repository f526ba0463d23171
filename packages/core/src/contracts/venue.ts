import type { Observable } from 'rxjs';
import type { OrderSide } from '../model/common.schema.js';
import type { Balance, Fill } from '../model/fill.schema.js';
import type { BookSnapshotEvent, MarketInfo, TickerEvent, TradeEvent } from '../model/market.schema.js';
import type { ChildOrder, ChildOrderType, TimeInForce } from '../model/order.schema.js';

/** What the router asks a venue to place. Prices and quantities are already rounded. */
export interface VenueOrderRequest {
  /** Deterministic client order id; the venue must refuse a second open order with it. */
  clientOrderId: string;
  /** The parent order this child belongs to. */
  parentId: string;
  symbol: string;
  side: OrderSide;
  type: ChildOrderType;
  quantity: number;
  /** Required for limit orders. */
  price?: number;
  timeInForce: TimeInForce;
}

/**
 * An exchange adapter. Only the `OrderRouter` calls it. Failures are thrown as
 * `TrancheError`s with the right `kind` (`venue-rejected`, `insufficient-funds`,
 * `rate-limited`, `venue-unavailable`, `timeout-ambiguous`, …).
 */
export interface Venue {
  /** Kebab-case id, matching the config's `venue` key (`paper`, `ccxt`). */
  readonly id: string;
  /** Loads markets and connects; called once by `ExecutionManager.initialize()`. */
  initialize(): Promise<void>;
  /** Every market the venue trades. */
  markets(): Promise<MarketInfo[]>;
  /** One market's rules; throws a validation error for an unknown symbol. */
  market(symbol: string): Promise<MarketInfo>;
  /** Sends an order; resolves with its state right after the venue accepted it. */
  placeOrder(request: VenueOrderRequest): Promise<ChildOrder>;
  /** Cancels by client id; resolves with the final state (which may be `filled`). */
  cancelOrder(symbol: string, clientOrderId: string): Promise<ChildOrder>;
  /** Looks an order up by client id; `undefined` when the venue never received it. */
  fetchOrder(symbol: string, clientOrderId: string): Promise<ChildOrder | undefined>;
  /** Orders still working. */
  openOrders(symbol?: string): Promise<ChildOrder[]>;
  /** Account balances. */
  balances(): Promise<Balance[]>;
  /**
   * The current L2 book (REST snapshot), at most `depth` levels a side. Optional: the
   * asset cache uses it to refresh a symbol that no market-data stream keeps fresh.
   */
  fetchOrderBook?(symbol: string, depth?: number): Promise<BookSnapshotEvent>;
  /** The current best bid and offer. Optional, as `fetchOrderBook`. */
  fetchTicker?(symbol: string): Promise<TickerEvent>;
  /** Recent public trades, oldest first. Optional, as `fetchOrderBook`. */
  fetchTrades?(symbol: string, limit?: number): Promise<TradeEvent[]>;
  /** Every change of an order's state, pushed by the venue. */
  readonly orderUpdates$: Observable<ChildOrder>;
  /** Every fill, pushed by the venue. Fills carry a unique `fillId`. */
  readonly fills$: Observable<Fill>;
  /** Disconnects; idempotent. */
  close(): Promise<void>;
}
/** Token of the `Venue` contract (multi-bound: one binding per installed venue). */
export const Venue = Symbol.for('tranche.Venue');
