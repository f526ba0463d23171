import type { AlgoWindow } from './algo-window.js';
import { formatAlgoNumber } from './format-algo.js';
import { clampFraction, type TargetCurve } from './target-curve.js';

/** Options of `pacedTargetCurve`. */
export interface PacedTargetCurveOptions {
  /** When the new pace starts (epoch ms); clamped into the window. */
  readonly from: number;
  /** Fraction of the quantity the schedule wants done at `from` (usually the previous curve's value then). */
  readonly fraction: number;
  /**
   * Speed relative to the pace that finishes exactly at the end: 1 spreads the rest over
   * the rest of the window, 0.5 goes half as fast (the deferred part is due at the end
   * time), 0 holds (a pause), above 1 runs ahead (and reaches the whole quantity early).
   */
  readonly pace?: number;
}

/**
 * A schedule that continues from `fraction` at `from` in the shape of `base`, at `pace`
 * times the speed that reaches the whole quantity exactly at the window's end: with
 * pace 1, the rest of the quantity is spread over the rest of the window as `base`
 * spreads it (a re-plan after a pause or a delay, without catching up at once). A slower
 * pace wants the deferred rest at the end time (where the end-time completion decides
 * on it), so a caller that slows down must switch back to pace 1 before the end to
 * finish on schedule. Before `from` the curve scales `base` to meet `fraction` at `from`.
 * Non-decreasing, 0 before the window and 1 from its end.
 */
export function pacedTargetCurve(base: TargetCurve, window: AlgoWindow, options: PacedTargetCurveOptions): TargetCurve {
  const from = Math.min(Math.max(options.from, window.startTime), window.endTime);
  const fraction = clampFraction(options.fraction);
  const pace = Math.max(0, options.pace ?? 1);
  const baseAtFrom = base.fractionAt(from);
  const baseLeft = 1 - baseAtFrom;
  // Quantity fraction per unit of base fraction that finishes exactly at the end.
  const fit = baseLeft > 1e-12 ? (1 - fraction) / baseLeft : Number.POSITIVE_INFINITY;
  const rate = pace === 0 ? 0 : pace * fit;
  const at = `from ${formatAlgoNumber(fraction * 100, 2)}% of the order`;
  const description =
    pace === 0
      ? `holding at ${formatAlgoNumber(fraction * 100, 2)}% of the order`
      : pace === 1
        ? from <= window.startTime && fraction === 0
          ? base.description
          : `${base.description} over the rest of the window, ${at}`
        : `${formatAlgoNumber(pace, 3)}× the on-time pace of ${base.description}, ${at}`;
  return {
    description,
    fractionAt: (time) => {
      if (time <= window.startTime) return 0;
      if (time >= window.endTime) return 1;
      if (time < from) return baseAtFrom > 0 ? clampFraction(fraction * (base.fractionAt(time) / baseAtFrom)) : 0;
      if (rate === 0) return fraction;
      if (!Number.isFinite(rate)) return 1;
      return clampFraction(fraction + rate * (base.fractionAt(time) - baseAtFrom));
    },
  };
}
