import { floorToIncrement } from '../util/rounding.js';

/** Input of `planSliceTarget`. */
export interface SliceTargetInput {
  /** Cumulative target of the previous slice (0 before the first). */
  readonly previousTarget: number;
  /** Cumulative quantity the curve wants filled by the end of this slice. */
  readonly curveTarget: number;
  /** Parent quantity. */
  readonly quantity: number;
  /** The slice's size factor from the grid (1 = exact). */
  readonly sizeJitter: number;
  /** The last slice always targets the whole quantity. */
  readonly isLast: boolean;
  /** Lot step: targets are multiples of it. */
  readonly stepSize: number;
}

/**
 * The cumulative quantity a slice should bring the execution to: the curve's target,
 * with this slice's increment scaled by its jitter factor. Targets never decrease, never
 * exceed the parent quantity and are whole steps; since each slice aims at the curve
 * itself, one slice's jitter is corrected by the next (the schedule never drifts).
 */
export function planSliceTarget(input: SliceTargetInput): number {
  const { previousTarget, quantity, stepSize } = input;
  if (input.isLast) return floorToIncrement(quantity, stepSize);
  const increment = Math.max(0, input.curveTarget - previousTarget) * input.sizeJitter;
  const target = Math.min(quantity, previousTarget + increment);
  return Math.max(previousTarget, floorToIncrement(target, stepSize));
}
