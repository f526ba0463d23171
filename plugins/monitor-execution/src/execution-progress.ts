import type { OrderSide, ParentOrderStatus } from '@tranche/core';

/** Where an execution's end time comes from: its params (`endTime`, `durationMs`), or the pace of its schedule. */
export type EndTimeSource = 'params' | 'schedule-pace';

/** Live progress of one execution, as the execution monitor sees it (times in epoch ms of data time). */
export interface ExecutionProgress {
  executionId: string;
  symbol: string;
  side: OrderSide;
  strategy: string;
  /** `working` until the execution ends, then its terminal status. */
  status: ParentOrderStatus;
  startedAt: number;
  /** Start of the algorithm's window (`params.startTime`, else the start). */
  windowStart: number;
  /** When this view was computed. */
  asOf: number;
  requestedQuantity: number;
  filledQuantity: number;
  /** Quantity resting in working child orders. */
  workingQuantity: number;
  /** requested − filled. */
  remainingQuantity: number;
  /** filled / requested. */
  filledRatio: number;
  /** What the strategy's schedule wanted filled by now (its latest `schedule`), `null` without a schedule. */
  scheduledQuantity: number | null;
  /** filled − scheduled (base units): negative is behind schedule. */
  scheduleDeviation: number | null;
  /** (filled − scheduled) / requested. */
  scheduleDeviationRatio: number | null;
  /** Child orders not yet in a terminal state. */
  workingOrders: number;
  /** The algorithm's end time, `null` when unknown. */
  endTime: number | null;
  endTimeSource: EndTimeSource | null;
  /** endTime − now (0 once passed), `null` when the end time is unknown. */
  timeLeftMs: number | null;
  /** Filled base units per second over the trailing `fillRateWindowMs`. */
  recentFillRate: number;
  /** now + remaining / recent fill rate; `null` when nothing filled recently or nothing remains. */
  projectedCompletionAt: number | null;
  lastFillAt: number | null;
  /** Last fill or child-order event (or the start). */
  lastActivityAt: number;
  /** Kinds of the alerts raised and not yet cleared (`stalled`, `deadline-at-risk`). */
  activeAlerts: string[];
}
