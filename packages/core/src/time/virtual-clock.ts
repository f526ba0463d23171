import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { Clock } from '../contracts/clock.js';

/**
 * An RxJS scheduler whose time moves only when told to (`advanceTo`). A replay feed
 * advances it to each event's timestamp before emitting the event, so every timer a
 * strategy or venue set with `timer(…, clock.scheduler)` fires at the right point of
 * the recorded data, in order, as fast as the CPU allows, identically on every run.
 */
export class VirtualClock implements Clock, SchedulerLike {
  readonly virtual = true;
  private time: number;
  private sequence = 0;
  private readonly queue: VirtualAction<unknown>[] = [];
  private running = false;
  private readonly timerListeners: Array<() => void> = [];

  /** @param startMs initial time, epoch milliseconds. */
  constructor(startMs = 0) {
    this.time = startMs;
  }

  get scheduler(): SchedulerLike {
    return this;
  }

  now(): number {
    return this.time;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const action = new VirtualAction<T>(this, work);
    action.schedule(state, delay);
    return action;
  }

  /**
   * Calls `listener` whenever timers have run; a run loop uses it to know that promise
   * reactions may be waiting (a retry delay ended, a venue acknowledged an order).
   */
  onTimersRun(listener: () => void): void {
    this.timerListeners.push(listener);
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** Due time of the next timer, `Infinity` if none. */
  nextDue(): number {
    return this.queue.length > 0 ? this.queue[0]!.due : Number.POSITIVE_INFINITY;
  }

  /**
   * Runs every timer due at or before `targetMs` in time order (setting `now()` to
   * each one's due time), then sets `now()` to `targetMs`. Never moves time backwards.
   */
  advanceTo(targetMs: number): void {
    if (this.running) {
      // A timer advancing the clock itself: just move the target; the outer loop runs the rest.
      if (targetMs > this.time) this.time = targetMs;
      return;
    }
    this.running = true;
    let ran = false;
    try {
      while (this.queue.length > 0 && this.queue[0]!.due <= targetMs) {
        const action = this.pop();
        if (action.due > this.time) this.time = action.due;
        ran = true;
        action.run();
      }
      if (targetMs > this.time) this.time = targetMs;
    } finally {
      this.running = false;
      if (ran) for (const listener of this.timerListeners) listener();
    }
  }

  /** Advances by `deltaMs`. */
  advanceBy(deltaMs: number): void {
    this.advanceTo(this.time + deltaMs);
  }

  /** Runs timers until none is left or `limitMs` is reached (tests). */
  flush(limitMs = Number.POSITIVE_INFINITY): void {
    while (this.queue.length > 0 && this.queue[0]!.due <= limitMs) this.advanceTo(this.queue[0]!.due);
  }

  /** @internal */
  enqueue(action: VirtualAction<unknown>, delay: number): void {
    action.due = this.time + Math.max(0, delay);
    action.order = this.sequence++;
    const queue = this.queue;
    queue.push(action);
    let index = queue.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(queue[index]!, queue[parent]!)) break;
      [queue[index], queue[parent]] = [queue[parent]!, queue[index]!];
      index = parent;
    }
    action.queued = true;
  }

  /** @internal */
  remove(action: VirtualAction<unknown>): void {
    if (!action.queued) return;
    const index = this.queue.indexOf(action);
    if (index < 0) return;
    const last = this.queue.pop()!;
    if (index < this.queue.length) {
      this.queue[index] = last;
      this.siftDown(index);
      this.siftUp(index);
    }
    action.queued = false;
  }

  private pop(): VirtualAction<unknown> {
    const queue = this.queue;
    const top = queue[0]!;
    const last = queue.pop()!;
    if (queue.length > 0) {
      queue[0] = last;
      this.siftDown(0);
    }
    top.queued = false;
    return top;
  }

  private siftUp(start: number): void {
    const queue = this.queue;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(queue[index]!, queue[parent]!)) break;
      [queue[index], queue[parent]] = [queue[parent]!, queue[index]!];
      index = parent;
    }
  }

  private siftDown(start: number): void {
    const queue = this.queue;
    let index = start;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < queue.length && before(queue[left]!, queue[smallest]!)) smallest = left;
      if (right < queue.length && before(queue[right]!, queue[smallest]!)) smallest = right;
      if (smallest === index) return;
      [queue[index], queue[smallest]] = [queue[smallest]!, queue[index]!];
      index = smallest;
    }
  }
}

function before(a: VirtualAction<unknown>, b: VirtualAction<unknown>): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}

/** A scheduled unit of work on a `VirtualClock`; RxJS reschedules it for periodic timers. */
class VirtualAction<T> extends Subscription implements SchedulerAction<T> {
  due = 0;
  order = 0;
  queued = false;
  private state?: T;

  constructor(
    private readonly clock: VirtualClock,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => clock.remove(this as VirtualAction<unknown>));
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return Subscription.EMPTY;
    this.state = state;
    this.clock.remove(this as VirtualAction<unknown>);
    this.clock.enqueue(this as VirtualAction<unknown>, delay);
    return this;
  }

  run(): void {
    if (this.closed) return;
    this.work.call(this, this.state);
  }
}

/**
 * Resolves after the current macrotask, once every pending promise reaction has run.
 * Virtual-time drivers await it so that venue acknowledgements (promises) are handled
 * before the next recorded event is replayed.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
