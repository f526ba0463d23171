import { floorToIncrement } from '../util/rounding.js';

/** Input of `nextDisplayQuantity`. */
export interface DisplayQuantityInput {
  /** The most an iceberg may show at a time. */
  readonly displayQuantity: number;
  /** 0–1: how much smaller than `displayQuantity` a refill may be (up to half of it at 1). */
  readonly randomization: number;
  /** A uniform draw in [0, 1) from the seeded generator. */
  readonly draw: number;
  /** Unfilled quantity of the parent. */
  readonly remaining: number;
  /** What the participation cap still allows (`Infinity` without one). */
  readonly allowance: number;
  /** Smallest child worth sending. */
  readonly minimum: number;
  readonly stepSize: number;
}

/**
 * The quantity of an iceberg's next visible order: `displayQuantity`, shrunk by up to
 * `randomization / 2` of it (never grown: an iceberg never shows more than its display
 * size), then bounded by the remainder; under a participation cap it is 0 (wait) until
 * the allowance covers it, so the iceberg never shows slivers. It never leaves
 * a remainder too small to send: the last refill takes it when it fits the display
 * size, otherwise this refill leaves exactly the minimum for the next. Returns 0 when
 * nothing can be shown now (below the minimum; wait for volume or for the end).
 */
export function nextDisplayQuantity(input: DisplayQuantityInput): number {
  const { displayQuantity, randomization, draw, remaining, allowance, minimum, stepSize } = input;
  const jittered = displayQuantity * (1 - 0.5 * Math.min(1, Math.max(0, randomization)) * Math.min(1, Math.max(0, draw)));
  let shown = floorToIncrement(Math.min(jittered, remaining), stepSize);
  // Under a participation cap, wait until the cap allows the whole display rather than show slivers.
  if (shown > allowance) return 0;
  const rest = floorToIncrement(remaining - shown, stepSize);
  if (rest > 0 && rest < minimum) {
    // Take the remainder now if it fits the display size; otherwise leave exactly the minimum.
    shown = remaining <= displayQuantity ? floorToIncrement(remaining, stepSize) : floorToIncrement(remaining - minimum, stepSize);
    // Under a participation cap, keep within it (give or take the minimum) and leave room for a later child.
    if (shown > allowance + minimum) shown = floorToIncrement(Math.min(allowance, remaining - minimum), stepSize);
  }
  return shown >= minimum ? shown : 0;
}
