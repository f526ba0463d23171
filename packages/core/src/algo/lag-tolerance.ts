import type { Urgency } from './algo-params.schema.js';

/** How many average slices behind schedule each urgency tolerates before crossing the spread. */
export const URGENCY_LAG_SLICES: Readonly<Record<Urgency, number>> = { low: 2, medium: 1, high: 0.25 };

/**
 * The quantity an execution may lag its schedule before it crosses the spread to catch
 * up: `low` two average slices, `medium` one, `high` a quarter of one.
 */
export function lagTolerance(urgency: Urgency, averageSliceQuantity: number): number {
  return URGENCY_LAG_SLICES[urgency] * averageSliceQuantity;
}
