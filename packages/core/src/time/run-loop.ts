import { BehaviorSubject, type Observable } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import { VirtualClock, yieldToEventLoop } from './virtual-clock.js';

/**
 * Coordinates asynchronous work with a virtual-time driver. The engine `track`s every
 * venue call it makes; a replay feed calls `settle()` after each event, which lets the
 * promise reactions of those calls run before time advances again. `demand$` counts
 * active executions, so a replay only runs while something is executing.
 */
export class RunLoop {
  private dirty = false;
  private inFlight = 0;
  private readonly holds = new Set<Promise<unknown>>();
  private readonly demand = new BehaviorSubject<number>(0);

  /** @param clock when virtual, timers that run mark the loop as needing a settle. */
  constructor(clock?: Clock) {
    if (clock instanceof VirtualClock) clock.onTimersRun(() => (this.dirty = true));
  }

  /** Number of active executions (a replay runs while it is above 0). */
  get demand$(): Observable<number> {
    return this.demand.asObservable();
  }

  /** Current demand. */
  get active(): number {
    return this.demand.value;
  }

  /** Venue calls not yet settled. */
  get pending(): number {
    return this.inFlight;
  }

  /** True when promise reactions may be waiting to run, or held work has not finished. */
  get needsSettle(): boolean {
    return this.dirty || this.holds.size > 0;
  }

  /** Marks the start of an execution. */
  begin(): void {
    this.demand.next(this.demand.value + 1);
  }

  /** Marks the end of an execution. */
  end(): void {
    this.demand.next(Math.max(0, this.demand.value - 1));
  }

  /** Registers async work whose reactions must run before virtual time moves on. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight++;
    this.dirty = true;
    const done = (): void => {
      this.inFlight--;
      this.dirty = true;
    };
    promise.then(done, done);
    return promise;
  }

  /**
   * Registers I/O that does not depend on virtual time (a journal write) and must finish
   * before virtual time moves on: `settle()` waits for it however long it takes in wall
   * time, so a replay gives the same result whether the write takes a microsecond (SQLite)
   * or a network round trip (JetStream). Never hold work that waits on the virtual clock
   * (a paper venue's latency): time could then never move. Venue calls use `track`.
   */
  hold<T>(promise: Promise<T>): Promise<T> {
    this.holds.add(promise);
    this.dirty = true;
    const done = (): void => {
      this.holds.delete(promise);
      this.dirty = true;
    };
    promise.then(done, done);
    return promise;
  }

  /** Marks that promise reactions were queued (e.g. an execution resolved). */
  poke(): void {
    this.dirty = true;
  }

  /**
   * Lets queued promise reactions run until no new tracked work settles, waiting for
   * held work to finish first.
   */
  async settle(maxRounds = 1000): Promise<void> {
    let rounds = 0;
    while (rounds < maxRounds) {
      if (this.holds.size > 0) {
        // Wall-time I/O: wait for it without counting rounds (each round is one event-loop turn).
        await Promise.race(this.holds).catch(() => undefined);
        await yieldToEventLoop();
        continue;
      }
      if (!this.dirty) return;
      rounds++;
      this.dirty = false;
      await yieldToEventLoop();
    }
  }
}
