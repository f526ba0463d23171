// The rules of the execution monitor's alerts, as pure functions of an execution's state.

/** Filled base units per second over `(now − windowMs, now]`, the window cut at `since` (the execution's start). */
export function recentFillRate(fills: ReadonlyArray<{ ts: number; quantity: number }>, now: number, windowMs: number, since: number): number {
  const from = Math.max(now - windowMs, since);
  const seconds = (now - from) / 1_000;
  if (!(seconds > 0)) return 0;
  let quantity = 0;
  for (const fill of fills) if (fill.ts > from && fill.ts <= now) quantity += fill.quantity;
  return quantity / seconds;
}

/** `stalled`: working, past the window start, and no fill or child-order activity for `stalledAfterMs`. */
export function isStalled(input: { now: number; windowStart: number; lastActivityAt: number; stalledAfterMs: number }): boolean {
  return input.now >= input.windowStart && input.now - Math.max(input.lastActivityAt, input.windowStart) >= input.stalledAfterMs;
}

/** The verdict on an execution's deadline. */
export interface DeadlineAssessment {
  /** now + remaining / rate; `Infinity` when the rate is 0 and something remains; `null` when nothing remains. */
  projectedCompletionAt: number | null;
  /** The projection overruns the end time by more than the tolerance. */
  atRisk: boolean;
  /** The end time has passed with quantity left. */
  pastEnd: boolean;
}

/**
 * `deadline-at-risk`: with `remaining` left and the recent fill rate, the execution would
 * finish after `endTime + tolerance × (endTime − windowStart)`. It is judged only once the
 * execution has run `minElapsedMs` from its window start (the first fills say little about the pace).
 */
export function assessDeadline(input: {
  now: number;
  windowStart: number;
  endTime: number;
  remaining: number;
  rate: number;
  minElapsedMs: number;
  tolerance: number;
}): DeadlineAssessment {
  const { now, windowStart, endTime, remaining, rate } = input;
  if (!(remaining > 0)) return { projectedCompletionAt: null, atRisk: false, pastEnd: false };
  const projectedCompletionAt = rate > 0 ? now + (remaining / rate) * 1_000 : Number.POSITIVE_INFINITY;
  const pastEnd = now > endTime;
  if (now - windowStart < input.minElapsedMs) return { projectedCompletionAt, atRisk: false, pastEnd };
  const allowance = input.tolerance * Math.max(0, endTime - windowStart);
  return { projectedCompletionAt, atRisk: projectedCompletionAt > endTime + allowance, pastEnd };
}
