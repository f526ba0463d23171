import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { MarketInfo } from '../model/market.schema.js';
import type { ChildOrderType, OrderRequest, TimeInForce } from '../model/order.schema.js';
import type { ExecutionContext } from './execution-context.js';

/** Place a child order. The engine rounds, risk-checks, journals and sends it. */
export interface PlaceAction {
  kind: 'place';
  /** From `ctx.nextClientOrderId()`; the engine refuses an id it has seen. */
  clientOrderId: string;
  type: ChildOrderType;
  quantity: number;
  /** Required for `limit`. */
  price?: number;
  /** Defaults to `GTC` for limit and `IOC` for market orders. */
  timeInForce?: TimeInForce;
  /** Why this order, now, at this price. */
  reason: string;
}

/** Cancel a working child order. */
export interface CancelAction {
  kind: 'cancel';
  clientOrderId: string;
  reason: string;
}

/** Replace a working child order's price and/or quantity (cancel, then place under a new id). */
export interface AmendAction {
  kind: 'amend';
  clientOrderId: string;
  /** Id of the replacement, from `ctx.nextClientOrderId()`. */
  newClientOrderId: string;
  price?: number;
  /** New total quantity of the replacement; defaults to the old order's unfilled quantity. */
  quantity?: number;
  reason: string;
}

/** An explained decision, recorded as a `note` event. */
export interface NoteAction {
  kind: 'note';
  message: string;
  data?: Record<string, unknown>;
}

/** Tells the engine how much the strategy's schedule wants filled by now (for progress). */
export interface ScheduleAction {
  kind: 'schedule';
  scheduledQuantity: number;
}

/**
 * Ends the execution's active phase with a chosen status once no child is working;
 * without it, completion of the action stream ends the execution as `filled`,
 * `partially_filled` or `expired` according to what filled.
 */
export interface FinishAction {
  kind: 'finish';
  status: 'expired' | 'cancelled';
  reason: string;
}

/** Everything a strategy can ask of the engine. */
export type StrategyAction = PlaceAction | CancelAction | AmendAction | NoteAction | ScheduleAction | FinishAction;

/**
 * An execution algorithm. It never calls a venue: it turns the execution context
 * (market data, its own fills and child orders, the clock) into actions, and the
 * engine carries them out, so journaling, risk checks, retries and metrics apply to
 * every strategy alike. Completing the returned Observable means "no more actions";
 * the engine ends the parent order once no child order is working.
 */
export interface ExecutionStrategy<P = unknown> {
  /** Kebab-case id, used as the order request's `type` (`market`, `limit`, `twap`). */
  readonly id: string;
  /** One-line description for `tranche strategies` and the docs. */
  readonly description: string;
  /** zod schema of the request's `params` (strict: unknown keys are errors). */
  readonly paramsSchema: z.ZodType<P>;
  /** Extra checks of a request against the market, throwing a validation `TrancheError`. */
  validate?(request: OrderRequest, params: P, market: MarketInfo): void;
  /** Runs the algorithm. Subscribed once per parent order; unsubscribed when it ends. */
  execute(ctx: ExecutionContext<P>): Observable<StrategyAction>;
}
/** Token of the `ExecutionStrategy` contract (multi-bound, selected by `id`). */
export const ExecutionStrategy = Symbol.for('tranche.ExecutionStrategy');
