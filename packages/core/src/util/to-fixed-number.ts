/** Powers of ten that are exact doubles, by exponent. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
/** Largest scaled magnitude for the arithmetic path: integers below it are exact doubles. */
const MAX_SCALED = 2 ** 52;

/**
 * `Number(value.toFixed(decimals))`, exactly (same double, same sign of zero), without
 * the string round trip where arithmetic decides it: the nearest integer to
 * `value × 10^decimals` is taken from the scaled double unless that product is within
 * its own rounding error of a half (where `toFixed`'s tie rule could differ), and
 * `integer / 10^decimals` is the double nearest to that decimal, as parsing it would be.
 * Rounding and note formatting run several times per decision.
 */
export function toFixedNumber(value: number, decimals: number): number {
  if (value === 0) return 0;
  const power = POWERS_OF_TEN[decimals];
  if (power !== undefined && Number.isInteger(decimals)) {
    const scaled = value * power;
    const magnitude = Math.abs(scaled);
    if (magnitude < MAX_SCALED) {
      const fraction = magnitude - Math.floor(magnitude);
      // The product is off by at most half an ulp of it (≤ magnitude × 2⁻⁵³): far enough from .5, both round alike.
      if (Math.abs(fraction - 0.5) > magnitude * 2.3e-16 + 1e-300) {
        const integer = fraction < 0.5 ? Math.floor(magnitude) : Math.floor(magnitude) + 1;
        return scaled < 0 ? -integer / power : integer / power;
      }
    }
  }
  return Number(value.toFixed(decimals));
}
