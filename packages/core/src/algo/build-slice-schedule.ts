import type { MarketInfo } from '../model/market.schema.js';
import { floorToIncrement } from '../util/rounding.js';
import { minimumChildQuantity } from './minimum-child-quantity.js';
import { planSliceTarget } from './plan-slice-target.js';
import type { SliceGrid } from './slice-grid.js';
import type { TargetCurve } from './target-curve.js';

/** One slice of a planned schedule. */
export interface PlannedSlice {
  readonly index: number;
  readonly startTime: number;
  readonly endTime: number;
  /** Cumulative quantity the schedule wants filled by the slice's end. */
  readonly targetQuantity: number;
  /** Quantity sent in this slice if everything fills on schedule (0 when merged into the next). */
  readonly quantity: number;
  /** True when the slice's share was below the minimum child and moved to the next slice. */
  readonly merged: boolean;
}

/** Options of `buildSliceSchedule`. */
export interface SliceScheduleOptions {
  readonly grid: SliceGrid;
  readonly curve: TargetCurve;
  readonly quantity: number;
  readonly market: MarketInfo;
  /** Price used for the minimum notional. */
  readonly referencePrice: number;
}

/**
 * The schedule an execution would follow if every child filled on time: per slice,
 * the cumulative target (`planSliceTarget`) and the quantity sent. A slice whose share is
 * below the minimum child (`minimumChildQuantity`) is merged into the next one (quantity
 * 0, `merged`), and a slice that would leave an unsendable remainder takes it: an order
 * of 0.003 BTC over 10 slices still completes, in fewer, larger children. For static
 * curves this is exactly what `scheduledExecution` plans; a curve that follows the market
 * may differ at run time.
 */
export function buildSliceSchedule(options: SliceScheduleOptions): PlannedSlice[] {
  const { grid, curve, quantity, market } = options;
  const minimum = minimumChildQuantity(market, options.referencePrice);
  const total = floorToIncrement(quantity, market.stepSize);
  const planned: PlannedSlice[] = [];
  let target = 0;
  let sent = 0;
  for (const slice of grid.slices) {
    const isLast = slice.index === grid.slices.length - 1;
    target = planSliceTarget({ previousTarget: target, curveTarget: quantity * curve.fractionAt(slice.endTime), quantity, sizeJitter: slice.sizeJitter, isLast, stepSize: market.stepSize });
    let send = floorToIncrement(target - sent, market.stepSize);
    const after = floorToIncrement(total - sent - send, market.stepSize);
    if (after > 0 && after < minimum) send = floorToIncrement(total - sent, market.stepSize);
    const merged = send < minimum && !(isLast && send > 0 && total - sent < minimum);
    if (merged) send = 0;
    sent = floorToIncrement(sent + send, market.stepSize);
    planned.push({ index: slice.index, startTime: slice.startTime, endTime: slice.endTime, targetQuantity: target, quantity: send, merged });
  }
  return planned;
}
