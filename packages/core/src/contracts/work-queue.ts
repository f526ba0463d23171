import type { Observable } from 'rxjs';

/** One delivery of a queued job to one consumer. */
export interface WorkDelivery<T = unknown> {
  /** The id given at `enqueue` (for parent orders: the execution id); it de-duplicates re-submissions. */
  readonly id: string;
  /** The job, a plain serializable value (validate it with zod before use). */
  readonly payload: T;
  /** 1 on the first delivery; higher after a consumer died or gave the job back. */
  readonly deliveryCount: number;
  /** The job is done: it leaves the queue for good. */
  ack(): Promise<void>;
  /** Gives the job back for another consumer, after `delayMs` (default at once). */
  nak(delayMs?: number): Promise<void>;
  /** Still working on it: postpones the redelivery a dead consumer would cause. */
  inProgress(): Promise<void>;
}

/**
 * A durable queue of jobs, each delivered to one consumer at a time and redelivered when
 * its consumer neither acknowledges nor extends it in time (it died). Parent orders go
 * through it to execution workers. The default is in-process; `@tranche/bus-nats` backs it
 * with a JetStream work-queue stream.
 */
export interface WorkQueue {
  /**
   * How long a delivery may go without `ack`, `nak` or `inProgress` before the job is
   * redelivered (its consumer is presumed dead), in milliseconds. A consumer working
   * longer calls `inProgress()` well within it (e.g. every third of it).
   */
  readonly ackWaitMs: number;
  /**
   * Adds a job; `id` is one subject token (letters, digits, `_`, `-`; an execution id).
   * Resolves once the job is stored. A second `enqueue` of the same id within the queue's
   * duplicate window (a retried submit) is ignored and resolves `{ duplicate: true }`.
   */
  enqueue(id: string, payload: unknown): Promise<{ duplicate: boolean }>;
  /** Deliveries for this consumer, at most `maxInFlight` unacknowledged at a time. */
  consume<T = unknown>(options: { maxInFlight: number }): Observable<WorkDelivery<T>>;
  /** Connects and prepares storage (a networked queue); optional, every method also waits for it. */
  initialize?(): Promise<void>;
  /** Completes every consumer stream; unacknowledged jobs stay queued for the next run. Idempotent. */
  close(): Promise<void>;
}
/** Token of the `WorkQueue` contract. */
export const WorkQueue = Symbol.for('tranche.WorkQueue');
