import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Clock } from '../contracts/clock.js';

/** Wall-clock time on RxJS's async scheduler, for live trading. */
export class LiveClock implements Clock {
  readonly virtual = false;
  readonly scheduler: SchedulerLike = asyncScheduler;

  now(): number {
    return Date.now();
  }
}

/**
 * Paces a replay against the wall clock: `waitUntil(ts)` resolves when `ts` of the
 * recorded timeline is due at `speed` × real time (speed 1 = as recorded).
 */
export class WallClockPacer {
  private originData?: number;
  private originWall = 0;

  /** @param speed replay speed factor (> 0). */
  constructor(private readonly speed: number) {}

  /** Waits (in real time) until the data time `ts` is due. */
  async waitUntil(ts: number): Promise<void> {
    const wallNow = Date.now();
    if (this.originData === undefined) {
      this.originData = ts;
      this.originWall = wallNow;
      return;
    }
    const dueWall = this.originWall + (ts - this.originData) / this.speed;
    const waitMs = dueWall - wallNow;
    if (waitMs > 1) await new Promise<void>((resolve) => setTimeout(resolve, waitMs));
  }

  /** Forgets the origin, e.g. after a pause, so the next event is due at once. */
  reset(): void {
    this.originData = undefined;
  }
}
