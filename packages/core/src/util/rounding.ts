import { toFixedNumber } from './to-fixed-number.js';
/** Decimals of the increments seen so far: a market has two (tick and step), rounding runs on every decision. */
const knownDecimals = new Map<number, number>();
/** Bound of `knownDecimals` (cleared when exceeded; only a run with many markets gets there). */
const KNOWN_DECIMALS_LIMIT = 4096;

/** Number of decimals needed to write `increment` exactly (0.001 → 3, 1e-8 → 8). */
export function decimalsOf(increment: number): number {
  let decimals = knownDecimals.get(increment);
  if (decimals === undefined) {
    if (knownDecimals.size >= KNOWN_DECIMALS_LIMIT) knownDecimals.clear();
    decimals = countDecimals(increment);
    knownDecimals.set(increment, decimals);
  }
  return decimals;
}

function countDecimals(increment: number): number {
  if (!Number.isFinite(increment) || increment <= 0) return 0;
  const text = increment.toExponential();
  const [mantissa, exponentText] = text.split('e');
  const exponent = Number(exponentText);
  const mantissaDecimals = (mantissa?.split('.')[1] ?? '').length;
  return Math.max(0, mantissaDecimals - exponent);
}

/** Rounds `value` to the nearest multiple of `increment`, cleaned of float noise. */
export function roundToIncrement(value: number, increment: number): number {
  return clean(Math.round(value / increment) * increment, increment);
}

/** Rounds `value` down to a multiple of `increment` (a tiny epsilon absorbs float noise). */
export function floorToIncrement(value: number, increment: number): number {
  return clean(Math.floor(value / increment + 1e-9) * increment, increment);
}

/** Rounds `value` up to a multiple of `increment` (a tiny epsilon absorbs float noise). */
export function ceilToIncrement(value: number, increment: number): number {
  return clean(Math.ceil(value / increment - 1e-9) * increment, increment);
}

/** True when `value` is a multiple of `increment` within float noise. */
export function isMultipleOf(value: number, increment: number): boolean {
  const nearest = Math.round(value / increment) * increment;
  // Tolerance in value units: a fraction of the increment, or float noise of large values.
  return Math.abs(value - nearest) <= Math.max(increment * 1e-7, Math.abs(value) * 1e-12);
}

function clean(value: number, increment: number): number {
  return toFixedNumber(value, Math.min(decimalsOf(increment), 15));
}
