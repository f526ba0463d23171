import { injectable } from 'inversify';
import { defer, type Observable } from 'rxjs';
import { type ExecutionContext, type ExecutionStrategy, type StrategyAction } from '@tranche/core';
import { adaptiveExecution } from './adaptive-execution.js';
import { AdaptiveParamsSchema, type AdaptiveParams } from './adaptive-params.schema.js';

/**
 * Adaptive execution: the window is sliced as TWAP's, and the way each slice is worked —
 * the tactic — follows the market state on `ctx.state$` (from the market-state monitor)
 * and the schedule drift: `passive` in ranging markets, `aggressive` when a trend runs
 * against the order or when behind schedule, `slow` or `pause` in illiquid or volatile
 * spells (bounded so the deadline is still met), `twap` otherwise. Without a state monitor
 * it runs the `normal` tactic and says so. Built on core's `scheduledExecution` and its
 * `tactics$`: one driver, one set of children and one end-time completion across switches.
 */
@injectable()
export class AdaptiveStrategy implements ExecutionStrategy<AdaptiveParams> {
  readonly id = 'adaptive';
  readonly description = 'Adaptive: switches between passive, TWAP, VWAP, aggressive, slow and pause tactics as the market state and schedule drift change';
  readonly paramsSchema = AdaptiveParamsSchema;

  execute(ctx: ExecutionContext<AdaptiveParams>): Observable<StrategyAction> {
    return defer(() => adaptiveExecution(ctx));
  }
}
