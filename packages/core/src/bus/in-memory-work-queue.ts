import { Observable, type Subscriber, type Subscription } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import type { WorkDelivery, WorkQueue } from '../contracts/work-queue.js';
import { TrancheError } from '../errors/tranche-error.js';
import { assertIdToken } from './subject-pattern.js';

/** Options of `InMemoryWorkQueue`. */
export interface InMemoryWorkQueueOptions {
  /** Time of ack waits, nak delays and the duplicate window. */
  clock: Clock;
  /** Redelivery after this long without ack / nak / inProgress, in ms (default 30 000, as NATS). */
  ackWaitMs?: number;
  /** How long an enqueued id is remembered for de-duplication, in ms (default 2 minutes, as NATS JetStream). */
  duplicateWindowMs?: number;
}

interface Job {
  readonly id: string;
  readonly payload: unknown;
  readonly sequence: number;
  deliveryCount: number;
  /** Consumer holding the current delivery, if any. */
  consumer?: Consumer;
  /** Ack-wait timer of the current delivery, or nak-delay timer while waiting to be ready. */
  timer?: Subscription;
  ready: boolean;
}

interface Consumer {
  readonly maxInFlight: number;
  readonly inFlight: Set<Job>;
  readonly subscriber: Subscriber<WorkDelivery>;
  active: boolean;
}

/**
 * The in-process `WorkQueue`: jobs in memory, delivered in enqueue order to the consumers
 * that have room (`maxInFlight`), one consumer per job at a time. A delivery that is
 * neither acked, nak'ed nor extended (`inProgress`) within `ackWaitMs` on the `Clock` is
 * redelivered, possibly to another consumer, with a higher `deliveryCount`; a consumer
 * that unsubscribes without acking (it died) loses its jobs the same way, after the ack
 * wait, as with NATS. Payloads are copied through JSON, as on the wire. Nothing survives
 * the process: for several processes use `@tranche/bus-nats`.
 */
export class InMemoryWorkQueue implements WorkQueue {
  readonly ackWaitMs: number;
  private readonly clock: Clock;
  private readonly duplicateWindowMs: number;
  private readonly jobs = new Map<string, Job>();
  private readonly recentIds = new Map<string, number>();
  private readonly consumers: Consumer[] = [];
  private sequence = 0;
  private nextConsumer = 0;
  private dispatching = false;
  private redispatch = false;
  private closed = false;

  constructor(options: InMemoryWorkQueueOptions) {
    this.clock = options.clock;
    this.ackWaitMs = positive(options.ackWaitMs, 30_000, 'ackWaitMs');
    this.duplicateWindowMs = positive(options.duplicateWindowMs, 120_000, 'duplicateWindowMs');
  }

  /** Jobs not yet acknowledged (waiting, delayed or in flight). */
  get size(): number {
    return this.jobs.size;
  }

  async enqueue(id: string, payload: unknown): Promise<{ duplicate: boolean }> {
    if (this.closed) throw new TrancheError('internal', `work queue closed: cannot enqueue ${id}`, { retryable: false });
    assertIdToken(id, 'id');
    const now = this.clock.now();
    for (const [known, at] of this.recentIds) {
      if (now - at < this.duplicateWindowMs) break;
      this.recentIds.delete(known);
    }
    if (this.jobs.has(id) || this.recentIds.has(id)) return { duplicate: true };
    let copy: unknown;
    try {
      copy = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
    } catch (error) {
      throw new TrancheError('validation', `invalid payload of job ${id}: not JSON-serializable (${(error as Error).message})`, {
        field: 'payload',
        retryable: false,
      });
    }
    this.recentIds.set(id, now);
    this.jobs.set(id, { id, payload: copy, sequence: this.sequence++, deliveryCount: 0, ready: true });
    this.dispatch();
    return { duplicate: false };
  }

  consume<T = unknown>(options: { maxInFlight: number }): Observable<WorkDelivery<T>> {
    if (!Number.isInteger(options?.maxInFlight) || options.maxInFlight < 1) {
      throw new TrancheError('validation', `invalid maxInFlight ${String(options?.maxInFlight)}: a positive integer`, { field: 'maxInFlight', retryable: false });
    }
    return new Observable<WorkDelivery<T>>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      const consumer: Consumer = { maxInFlight: options.maxInFlight, inFlight: new Set(), subscriber: subscriber as Subscriber<WorkDelivery>, active: true };
      this.consumers.push(consumer);
      this.dispatch();
      return () => {
        // A consumer that goes away keeps its deliveries until their ack wait ends (as a
        // dead process would): they are then redelivered to another consumer.
        consumer.active = false;
        const index = this.consumers.indexOf(consumer);
        if (index >= 0) this.consumers.splice(index, 1);
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.jobs.values()) job.timer?.unsubscribe();
    for (const consumer of [...this.consumers]) consumer.subscriber.complete();
    this.consumers.length = 0;
  }

  /** Hands ready jobs, oldest first, to consumers with room, round robin. Re-entrant calls are folded into the running one. */
  private dispatch(): void {
    if (this.closed) return;
    if (this.dispatching) {
      this.redispatch = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.redispatch = false;
        const ready = [...this.jobs.values()].filter((job) => job.ready).sort((a, b) => a.sequence - b.sequence);
        for (const job of ready) {
          if (!job.ready || this.jobs.get(job.id) !== job) continue;
          const consumer = this.pickConsumer();
          if (!consumer) break;
          this.deliver(job, consumer);
        }
      } while (this.redispatch && !this.closed);
    } finally {
      this.dispatching = false;
    }
  }

  private pickConsumer(): Consumer | undefined {
    for (let tried = 0; tried < this.consumers.length; tried++) {
      const consumer = this.consumers[(this.nextConsumer + tried) % this.consumers.length]!;
      if (consumer.active && consumer.inFlight.size < consumer.maxInFlight) {
        this.nextConsumer = (this.nextConsumer + tried + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  private deliver(job: Job, consumer: Consumer): void {
    job.ready = false;
    job.deliveryCount++;
    job.consumer = consumer;
    consumer.inFlight.add(job);
    const attempt = job.deliveryCount;
    this.armAckWait(job, attempt);
    const current = (): boolean => this.jobs.get(job.id) === job && job.deliveryCount === attempt && !job.ready;
    const delivery: WorkDelivery = {
      id: job.id,
      payload: job.payload,
      deliveryCount: attempt,
      ack: async () => {
        // An ack from an earlier delivery still completes the job (as NATS acks the message).
        if (this.jobs.get(job.id) !== job) return;
        this.detach(job);
        this.jobs.delete(job.id);
        this.dispatch();
      },
      nak: async (delayMs = 0) => {
        if (!current()) return;
        this.detach(job);
        if (delayMs > 0) {
          job.timer = this.clock.scheduler.schedule(() => {
            job.timer = undefined;
            job.ready = true;
            this.dispatch();
          }, delayMs);
        } else {
          job.ready = true;
        }
        this.dispatch();
      },
      inProgress: async () => {
        if (current()) this.armAckWait(job, attempt);
      },
    };
    consumer.subscriber.next(delivery);
  }

  private armAckWait(job: Job, attempt: number): void {
    job.timer?.unsubscribe();
    job.timer = this.clock.scheduler.schedule(() => {
      job.timer = undefined;
      if (this.jobs.get(job.id) !== job || job.deliveryCount !== attempt || job.ready) return;
      this.detach(job);
      job.ready = true;
      this.dispatch();
    }, this.ackWaitMs);
  }

  /** Ends the current delivery of `job`: frees its consumer's slot and stops its timer. */
  private detach(job: Job): void {
    job.timer?.unsubscribe();
    job.timer = undefined;
    job.consumer?.inFlight.delete(job);
    job.consumer = undefined;
  }
}

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new TrancheError('validation', `invalid ${field} ${String(value)}: must be positive`, { field, retryable: false });
  return value;
}
