import { injectable } from 'inversify';
import { Observable, defer } from 'rxjs';
import {
  ParticipationTracker,
  SeededRandom,
  blendTargetCurves,
  buildSliceGrid,
  formatAlgoNumber,
  formatUtcTime,
  linearTargetCurve,
  observedVolumeCurve,
  resolveAlgoWindow,
  scheduledExecution,
  seedFromText,
  volumeProfileCurve,
  type ExecutionContext,
  type ExecutionStrategy,
  type StrategyAction,
  type TargetCurve,
  type VolumeProfile,
} from '@tranche/core';
import { BUNDLED_VOLUME_PROFILE } from './bundled-volume-profile.js';
import { VwapParamsSchema, type VwapParams } from './vwap-params.schema.js';

/**
 * Volume-weighted average price: the target curve is the share of the window's market
 * volume expected by each time — from a 24h volume profile of historical 1-minute
 * candles (by minute of the day, optionally by weekday), blended with the volume the
 * market actually trades during the execution (`volumeTracking`), or from the session's
 * own trades alone (`profile: 'session'`). Children are worked like TWAP's (passive
 * first, catching up by urgency) within the participation cap and limit price; the
 * report compares the fill price with the market VWAP of the window.
 */
@injectable()
export class VwapStrategy implements ExecutionStrategy<VwapParams> {
  readonly id = 'vwap';
  readonly description = 'Volume-weighted: follows a 24h volume profile and the volume actually traded, within a participation cap and limit price';
  readonly paramsSchema = VwapParamsSchema;

  /** The historical volume profile: the bundled BTC/USDT one (a subclass may use another). */
  protected readonly profile: VolumeProfile = BUNDLED_VOLUME_PROFILE;

  execute(ctx: ExecutionContext<VwapParams>): Observable<StrategyAction> {
    return defer(() => {
      const { params } = ctx;
      const window = resolveAlgoWindow(params, ctx.clock.now());
      const seed = params.seed ?? seedFromText(ctx.executionId);
      const grid = buildSliceGrid({
        startTime: window.startTime,
        endTime: window.endTime,
        ...(params.slices === undefined ? {} : { slices: params.slices }),
        ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
        randomization: params.randomization,
        random: new SeededRandom(seed).fork('grid'),
      });
      const tracker = new ParticipationTracker(window.startTime);
      const forecast: TargetCurve =
        params.profile === 'session' ? linearTargetCurve(window) : volumeProfileCurve(this.profile, window, { dayOfWeek: params.profile === 'day-of-week' });
      const observed = observedVolumeCurve(tracker, window, () => ctx.clock.now(), forecast);
      const curve = params.profile === 'session' ? observed : blendTargetCurves(forecast, observed, params.volumeTracking);
      const share = (from: number, to: number): string => `${formatAlgoNumber((forecast.fractionAt(to) - forecast.fractionAt(from)) * 100, 2)}%`;
      const planNote: StrategyAction = {
        kind: 'note',
        message:
          `VWAP plan (seed ${seed}): ${grid.slices.length} slices following ${curve.description}` +
          (params.profile === 'session'
            ? ''
            : `; the profile expects ${share(window.startTime, window.startTime + window.durationMs / 2)} of the window's volume in its first half`),
        data: {
          seed,
          profile: params.profile,
          volumeTracking: params.volumeTracking,
          expectedShares: grid.slices.map((slice) => Number((forecast.fractionAt(slice.endTime) - forecast.fractionAt(slice.startTime)).toFixed(6))),
        },
      };
      const run = scheduledExecution(ctx, {
        params,
        window,
        grid,
        curve,
        tracker,
        label: 'VWAP',
        explainSlice: (slice) =>
          `${params.profile === 'session' ? 'no historical profile' : `the ${params.profile} profile expects ${share(slice.startTime, slice.endTime)} of the window's volume in this slice`}; ` +
          `the market traded ${formatAlgoNumber(tracker.volume)} since ${formatUtcTime(window.startTime)} (${formatAlgoNumber(tracker.recentVolume(ctx.clock.now()))} in the last ${formatAlgoNumber(tracker.rateWindowMs / 1_000)} s)`,
      });
      // The plan note, then the run's actions straight to the engine (no concat layer on every action of the run).
      return new Observable<StrategyAction>((subscriber) => {
        subscriber.next(planNote);
        return subscriber.closed ? undefined : run.subscribe(subscriber);
      });
    });
  }
}
