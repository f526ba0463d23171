import { injectable } from 'inversify';
import { Observable, defer } from 'rxjs';
import {
  ParticipationTracker,
  SeededRandom,
  buildSliceGrid,
  buildSliceSchedule,
  formatAlgoNumber,
  linearTargetCurve,
  resolveAlgoWindow,
  scheduledExecution,
  seedFromText,
  type ExecutionContext,
  type ExecutionStrategy,
  type StrategyAction,
} from '@tranche/core';
import { TwapParamsSchema, type TwapParams } from './twap-params.schema.js';

/**
 * Time-weighted average price: the window is cut into equal time slices (jittered in
 * size and timing by `randomization`, from a seed), each slice's share rests passively
 * at the touch, and the algorithm crosses the spread only when fills lag the schedule by
 * more than the urgency allows. Built on core's `scheduledExecution` with a linear curve.
 */
@injectable()
export class TwapStrategy implements ExecutionStrategy<TwapParams> {
  readonly id = 'twap';
  readonly description = 'Time-weighted: equal time slices, passive first, catching up by urgency, within a limit price and participation cap';
  readonly paramsSchema = TwapParamsSchema;

  execute(ctx: ExecutionContext<TwapParams>): Observable<StrategyAction> {
    return defer(() => {
      const { params } = ctx;
      const window = resolveAlgoWindow(params, ctx.clock.now());
      const seed = params.seed ?? seedFromText(ctx.executionId);
      const random = new SeededRandom(seed);
      const grid = buildSliceGrid({
        startTime: window.startTime,
        endTime: window.endTime,
        ...(params.slices === undefined ? {} : { slices: params.slices }),
        ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
        randomization: params.randomization,
        random: random.fork('grid'),
      });
      const curve = linearTargetCurve(window);
      const plan = buildSliceSchedule({ grid, curve, quantity: ctx.request.quantity, market: ctx.market, referencePrice: ctx.arrivalPrice ?? ctx.limitPrice ?? Number.NaN });
      const merged = plan.filter((slice) => slice.merged).length;
      const sent = plan.filter((slice) => slice.quantity > 0);
      const planNote: StrategyAction = {
        kind: 'note',
        message:
          `TWAP plan (seed ${seed}): ${sent.length} child slices of ${formatAlgoNumber(Math.min(...sent.map((slice) => slice.quantity)))}–${formatAlgoNumber(Math.max(...sent.map((slice) => slice.quantity)))}` +
          `${merged > 0 ? `; ${merged} of ${plan.length} slices are below the venue minimum and merged into the next` : ''}`,
        data: { seed, plan: plan.map((slice) => ({ start: slice.startTime, end: slice.endTime, target: slice.targetQuantity, quantity: slice.quantity })) },
      };
      const run = scheduledExecution(ctx, { params, window, grid, curve, tracker: new ParticipationTracker(window.startTime), label: 'TWAP' });
      // The plan note, then the run's actions straight to the engine (no concat layer on every action of the run).
      return new Observable<StrategyAction>((subscriber) => {
        subscriber.next(planNote);
        return subscriber.closed ? undefined : run.subscribe(subscriber);
      });
    });
  }
}
