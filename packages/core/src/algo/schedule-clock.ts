import { Observable, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { GridSlice, SliceGrid } from './slice-grid.js';

/** What a `scheduleClock` emits: a slice starts, a check inside a slice is due, or the window ends. */
export type ScheduleTick =
  | { readonly kind: 'slice'; readonly time: number; readonly slice: GridSlice }
  | { readonly kind: 'check'; readonly time: number; readonly slice: GridSlice }
  | { readonly kind: 'end'; readonly time: number };

/**
 * The timing of a sliced schedule on a scheduler: a `slice` tick at each slice's start,
 * `check` ticks evenly spaced about `checkIntervalMs` apart inside a slice (none when 0
 * or absent, or when the slice is shorter than 1.5 intervals), and one
 * `end` tick at the grid's end time, then completion. Ticks already due when subscribed
 * are skipped except the current slice, which starts at once. Teardown cancels the timer.
 */
export function scheduleClock(grid: SliceGrid, scheduler: SchedulerLike, checkIntervalMs = 0): Observable<ScheduleTick> {
  return new Observable<ScheduleTick>((subscriber) => {
    const ticks = buildTicks(grid, checkIntervalMs);
    const now = scheduler.now();
    let next = 0;
    // Skip what is already past, but keep the slice in force now so it starts at once.
    while (next < ticks.length - 1 && ticks[next + 1]!.time <= now && ticks[next]!.kind !== 'end') next++;
    if (ticks[next]!.kind === 'check') {
      const current = ticks[next] as Extract<ScheduleTick, { kind: 'check' }>;
      ticks[next] = { kind: 'slice', time: current.time, slice: current.slice };
    }
    /** Emits every tick due now; returns the delay to the next one, or −1 when done. */
    const emitDue = (): number => {
      while (next < ticks.length && ticks[next]!.time <= scheduler.now()) {
        const tick = ticks[next++]!;
        subscriber.next(tick);
        if (tick.kind === 'end') {
          subscriber.complete();
          return -1;
        }
        if (subscriber.closed) return -1;
      }
      return next < ticks.length ? Math.max(0, ticks[next]!.time - scheduler.now()) : -1;
    };
    const first = emitDue();
    if (first < 0) return undefined;
    // One scheduler action, rescheduled for each tick (as RxJS's own timers do).
    return scheduler.schedule(function (this: SchedulerAction<unknown>) {
      const delay = emitDue();
      if (delay >= 0) this.schedule(undefined, delay);
    }, first);
  });
}

function buildTicks(grid: SliceGrid, checkIntervalMs: number): ScheduleTick[] {
  const ticks: ScheduleTick[] = [];
  for (const slice of grid.slices) {
    ticks.push({ kind: 'slice', time: slice.startTime, slice });
    if (checkIntervalMs > 0) {
      // Evenly spaced, about checkIntervalMs apart, none right before the next slice.
      const length = slice.endTime - slice.startTime;
      const checks = Math.max(0, Math.round(length / checkIntervalMs) - 1);
      for (let index = 1; index <= checks; index++) ticks.push({ kind: 'check', time: slice.startTime + Math.round((index * length) / (checks + 1)), slice });
    }
  }
  ticks.push({ kind: 'end', time: grid.endTime });
  return ticks;
}
