import type { ChildOrder, OrderRequest } from '../model/order.schema.js';

/** What the engine knows when a risk check runs: the time and the market around the order. */
export interface RiskContext {
  /** Epoch milliseconds on the injected clock. */
  readonly now: number;
  /** The base asset of the order's symbol (`BTC` for `BTC/USDT`). */
  readonly asset: string;
  /**
   * The reference price of the symbol: the mid of the cached book, or the last trade
   * when the book has no two sides; `null` when neither is known.
   */
  readonly referencePrice: number | null;
  /**
   * The position of this process in `asset`: `filled` is the signed sum of its fills
   * (buys positive), `openBuy` / `openSell` the unfilled quantity of its child orders
   * the gate let through and that are not terminal yet.
   */
  readonly position: RiskPosition;
}

/** The position of this process in one asset, as the risk gate tracks it. */
export interface RiskPosition {
  /** Signed filled quantity (buys positive, sells negative). */
  readonly filled: number;
  /** Unfilled quantity of working buy child orders. */
  readonly openBuy: number;
  /** Unfilled quantity of working sell child orders. */
  readonly openSell: number;
}

/**
 * The answer of a risk check: `ok`, or a breach naming the `limit` (a kebab-case id
 * such as `max-order-notional`) and a `reason` with the values that broke it.
 */
export type RiskVerdict = { readonly ok: true } | { readonly ok: false; readonly limit: string; readonly reason: string };

/** The verdict that lets an order through. */
export const RISK_OK: RiskVerdict = Object.freeze({ ok: true });

/**
 * A pre-trade risk check. Multi-bound: the `RiskGate` runs every bound check before
 * each child order reaches the journal and the venue, so `check` must be synchronous
 * and cheap (it is on the path of every order). A breach is never retried.
 */
export interface RiskCheck {
  /** Kebab-case id, used in logs and reasons. */
  readonly id: string;
  /** Checks one child order about to be sent. */
  check(order: ChildOrder, context: RiskContext): RiskVerdict;
  /** Checks a parent order before its execution starts (nothing is sent when it fails). */
  checkParent?(request: OrderRequest, context: RiskContext): RiskVerdict;
  /** Told about a child order every check let through (rate windows count these). */
  onAccepted?(order: ChildOrder, context: RiskContext): void;
}
/** Token of the `RiskCheck` contract. */
export const RiskCheck = Symbol.for('tranche.RiskCheck');
