import type { AlgoWindow } from './algo-window.js';
import type { ParticipationTracker } from './participation-tracker.js';
import { clampFraction, linearTargetCurve, type TargetCurve } from './target-curve.js';

/**
 * A schedule that follows the market volume the session actually trades: by time `t`
 * it wants the share `V / (V + projected remaining volume)` done, where `V` is the
 * volume traded since the start and the remaining volume is projected from the
 * session's own trades — the average of its recent rate (the tracker's trailing window)
 * and its rate since the start — spread over the rest of the window in the shape of
 * `forecast` (flat by default). A busy market pulls the schedule forward, a quiet one
 * holds it back; before any trade it is `forecast`. For times before `now()` the
 * observed volume is apportioned by the forecast (the tracker keeps no history).
 */
export function observedVolumeCurve(
  tracker: ParticipationTracker,
  window: AlgoWindow,
  now: () => number,
  forecast: TargetCurve = linearTargetCurve(window),
): TargetCurve {
  return {
    description: 'the market volume traded in the session',
    fractionAt: (time) => {
      if (time <= window.startTime) return 0;
      if (time >= window.endTime) return 1;
      const current = Math.min(Math.max(now(), window.startTime), window.endTime);
      const observed = tracker.volume;
      const forecastNow = forecast.fractionAt(current);
      if (!(observed > 0) || !(forecastNow > 0)) return forecast.fractionAt(time);
      const sessionRate = observed / forecastNow;
      const windowStart = tracker.recentWindowStart(current);
      const forecastSpan = forecastNow - forecast.fractionAt(windowStart);
      const recentRate = forecastSpan > 1e-9 ? tracker.recentVolume(current) / forecastSpan : sessionRate;
      // Volume per unit of forecast fraction, from the session's own trades.
      const rate = (sessionRate + recentRate) / 2;
      const expectedTotal = observed + rate * (1 - forecastNow);
      if (time <= current) return clampFraction((observed * (forecast.fractionAt(time) / forecastNow)) / expectedTotal);
      return clampFraction((observed + rate * (forecast.fractionAt(time) - forecastNow)) / expectedTotal);
    },
  };
}
