import type { SchedulerLike } from 'rxjs';

/**
 * The only source of time in Tranche. `now()` is epoch milliseconds; `scheduler` is the
 * RxJS scheduler every timer must use (`timer(ms, clock.scheduler)`), so the same code
 * runs live on the async scheduler and in backtests on virtual time.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** The scheduler that owns time for every timer and delay. */
  readonly scheduler: SchedulerLike;
  /** True for a clock that only moves when the data moves it (backtests, replays, tests). */
  readonly virtual: boolean;
}
/** Token of the `Clock` contract. */
export const Clock = Symbol.for('tranche.Clock');
