import { clampFraction, type TargetCurve } from './target-curve.js';

/**
 * `(1 − weight) × base + weight × other`: e.g. a historical volume profile corrected
 * by the volume the market actually trades (`weight` 0 = only `base`, 1 = only `other`).
 */
export function blendTargetCurves(base: TargetCurve, other: TargetCurve, weight: number): TargetCurve {
  const share = clampFraction(weight);
  if (share === 0) return base;
  if (share === 1) return other;
  return {
    description: `${Math.round((1 - share) * 100)}% ${base.description}, ${Math.round(share * 100)}% ${other.description}`,
    fractionAt: (time) => clampFraction((1 - share) * base.fractionAt(time) + share * other.fractionAt(time)),
  };
}
