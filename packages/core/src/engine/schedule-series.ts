import type { SchedulePoint } from '../model/execution.schema.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/** Most points an execution's schedule series keeps before it is thinned. */
const MAX_SCHEDULE_POINTS = 2_000;

/**
 * An execution's schedule-versus-actual series: one point per `schedule` action of its
 * strategy (the last one per timestamp) and one at the end, thinned evenly past 2,000
 * points so a long execution stays compact.
 */
export class ScheduleSeries {
  /** What the strategy's schedule wants filled by now, once it has said. */
  scheduledQuantity: number | undefined;
  /** The points so far. */
  readonly points: SchedulePoint[] = [];
  private roundedFilledFor = Number.NaN;
  private roundedFilled = 0;

  /** Adds (or, at the same timestamp, replaces) a point with the filled quantity then. */
  record(ts: number, filledQuantity: number): void {
    if (this.scheduledQuantity === undefined) return;
    if (filledQuantity !== this.roundedFilledFor) {
      this.roundedFilledFor = filledQuantity;
      this.roundedFilled = toFixedNumber(filledQuantity, 12);
    }
    const point: SchedulePoint = { ts, scheduledQuantity: this.scheduledQuantity, filledQuantity: this.roundedFilled };
    const points = this.points;
    if (points.length > 0 && points[points.length - 1]!.ts === ts) points[points.length - 1] = point;
    else points.push(point);
    if (points.length > MAX_SCHEDULE_POINTS) {
      // Keep every other point and the latest one.
      const thinned = points.filter((_, index) => index % 2 === 0 || index === points.length - 1);
      points.splice(0, points.length, ...thinned);
    }
  }
}
