import { timer, type Subscription } from 'rxjs';
import { TrancheError, type Clock, type Logger } from '@tranche/core';

/** A request on its way to the matching engine. */
interface PendingRequest {
  run(): void;
  fail(error: TrancheError): void;
  subscription?: Subscription;
}

/**
 * How requests reach the paper venue's matching engine: `latencyMs` after the call on
 * the clock's scheduler (at once when the market data has ended), and one piece of
 * work at a time, never in the middle of another (a market event, say).
 */
export class RequestPipeline {
  private readonly inFlight = new Set<PendingRequest>();
  private readonly backlog: Array<() => void> = [];
  private busy = false;
  private dataEnded = false;
  private closed = false;

  /**
   * @param clock whose scheduler carries the latency.
   * @param latencyMs time from a call to its arrival at the matching engine.
   * @param log where work that throws is reported.
   */
  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
    private readonly log: Logger,
  ) {}

  /** Sends `work` to the matching engine: after the latency, or at once when the data has ended. */
  request<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new TrancheError('venue-unavailable', 'the paper venue is closed', { retryable: false }));
    return new Promise<T>((resolve, reject) => {
      const pending: PendingRequest = {
        run: () => {
          try {
            resolve(work());
          } catch (error) {
            reject(TrancheError.from(error));
          }
        },
        fail: reject,
      };
      if (this.dataEnded) {
        this.serially(pending.run);
        return;
      }
      this.inFlight.add(pending);
      pending.subscription = timer(this.latencyMs, this.clock.scheduler).subscribe(() => this.arrive(pending));
    });
  }

  /**
   * Runs matching-engine work one item at a time: work that shows up while another item
   * runs (an order sent from a fill handler, say) waits until that item is done.
   */
  serially<A>(work: (argument: A) => void, argument: A): void;
  serially(work: () => void): void;
  serially(work: (argument?: unknown) => void, argument?: unknown): void {
    if (this.busy) {
      this.backlog.push(() => work(argument));
      return;
    }
    this.busy = true;
    try {
      // Nothing waits when idle (every market event): run at once, no closure, no queue.
      this.runLogged(work, argument);
      while (this.backlog.length > 0) this.runLogged(this.backlog.shift()!, undefined);
    } finally {
      this.busy = false;
    }
  }

  private runLogged(work: (argument?: unknown) => void, argument: unknown): void {
    try {
      work(argument);
    } catch (error) {
      this.log.error('the paper venue failed to process an event', { error: TrancheError.from(error).message });
    }
  }

  /**
   * No more market data will come (virtual time can no longer advance): requests still
   * travelling are processed now, later ones at once. Idempotent.
   */
  endOfData(): void {
    if (this.dataEnded) return;
    this.dataEnded = true;
    for (const pending of [...this.inFlight]) {
      pending.subscription?.unsubscribe();
      this.arrive(pending);
    }
  }

  /** Requests still travelling fail as `venue-unavailable`, and so do later ones. */
  close(): void {
    this.closed = true;
    for (const pending of [...this.inFlight]) {
      pending.subscription?.unsubscribe();
      pending.fail(new TrancheError('venue-unavailable', 'the paper venue closed before the request reached it', { retryable: false }));
    }
    this.inFlight.clear();
  }

  private arrive(pending: PendingRequest): void {
    if (!this.inFlight.delete(pending)) return;
    this.serially(pending.run);
  }
}
