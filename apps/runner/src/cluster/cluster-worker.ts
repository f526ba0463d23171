import { ReplaySubject, Subject, Subscription, concatMap, from, mergeMap, timer, type Observable } from 'rxjs';
import {
  TrancheError,
  parseInput,
  type Clock,
  type ExecutionEvent,
  type Lease,
  type LeaseStore,
  type Logger,
  type MessageBus,
  type WorkDelivery,
  type WorkQueue,
} from '@tranche/core';
import { ClusterJobSchema, type ClusterEvent, type ClusterJob } from './cluster-job.schema.js';
import {
  CancelControlSchema,
  KILL_CONTROL_SUBJECT,
  KillControlSchema,
  controlAckSubject,
  type CancelControl,
  type ControlAck,
  type JobControlCommand,
  type KillControl,
} from './cluster-control.schema.js';
import { executionEventsSubject } from './cluster-subjects.js';
import type { JobOutcome } from './run-cluster-job.js';

/** What a worker did with one delivery. */
export interface WorkerJobRecord {
  readonly executionId: string;
  /** The delivery count of the job (1 first time; more after a takeover or a hand-back). */
  readonly attempt: number;
  /** `started` when the lease was taken and the run begins; then how it ended, or why it did not run. */
  readonly outcome: 'started' | JobOutcome['how'] | 'refused' | 'busy' | 'failed' | 'handed-back';
  readonly detail?: string;
  /** The parent's final status and filled quantity, once it ended. */
  readonly status?: string;
  readonly filledQuantity?: number;
}

/** Options of a `ClusterWorker`. */
export interface ClusterWorkerOptions {
  /** This worker's id: the lease owner and the `worker` of every event it publishes. */
  readonly workerId: string;
  /** The venue this worker trades: jobs for another venue go back to the queue untouched. */
  readonly venue: string;
  readonly queue: WorkQueue;
  readonly leases: LeaseStore;
  readonly bus: MessageBus;
  /** The live clock: lease renewals run on its scheduler. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Orders run at once (default 1). */
  readonly concurrency?: number;
  /**
   * Runs one job (see `runClusterJob`), passing each execution event on; `control$` carries
   * the cancel and kill requests the worker received for it (`control.cancel.<id>`, `control.kill`).
   */
  readonly run: (job: ClusterJob, onEvent: (event: ExecutionEvent) => void, control$: Observable<JobControlCommand>) => Promise<JobOutcome>;
  /** Called once when a `control.kill` engaged this worker's kill switch, with the executions it stops. */
  readonly onKill?: (reason: string, executionIds: readonly string[]) => void;
  /** Called when a held lease was lost while working (another worker may take the order over): the process must stop at once. */
  readonly onLeaseLost: (executionId: string) => void;
  /** Delay before a job goes back to the queue when its lease is held or its run failed (default: half the lease TTL). */
  readonly retryDelayMs?: number;
}

interface Running {
  readonly delivery: WorkDelivery;
  lease: Lease;
  readonly renewal: Subscription;
  /** The execution's publishes, chained in order; rejects when one could not be stored. */
  published: Promise<unknown>;
  /** Cancel and kill requests for this execution (replayed to a run that subscribes late). */
  readonly control: ReplaySubject<JobControlCommand>;
}

/**
 * An execution worker: pulls parent orders from the work queue, takes each one's lease
 * (compare-and-set in the lease store) before running it, renews the lease and extends
 * the delivery while it works, publishes every execution event on
 * `exec.events.<executionId>` (message id `<executionId>:<attempt>:<seq>`, and
 * `<executionId>:ended` for the end, de-duplicated by the server) and acknowledges the job once its final event is out. A job whose lease a
 * live worker holds goes back with a delay; one whose previous worker died (lease
 * expired) is continued from that worker's journal by `run`.
 */
export class ClusterWorker {
  private readonly records = new Subject<WorkerJobRecord>();
  private readonly running = new Map<string, Running>();
  private consuming?: Subscription;
  private readonly controls = new Subscription();
  private idle?: () => void;
  private stopping = false;
  private killedReason?: string;

  constructor(private readonly options: ClusterWorkerOptions) {}

  /** What the worker did with each delivery, as it happens. */
  get jobs$(): Observable<WorkerJobRecord> {
    return this.records.asObservable();
  }

  /** Ids of the executions running here now. */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /** The reason of the kill switch when a `control.kill` engaged it (the worker pulls no order until it restarts). */
  get killed(): string | undefined {
    return this.killedReason;
  }

  /**
   * Starts pulling jobs and obeying control requests: `control.cancel.<id>` cancels an
   * execution running here (answered on `control.ack.<requestId>`); `control.kill` stops
   * pulling for good and cancels every execution running here (answered by every worker).
   */
  start(): void {
    const { bus } = this.options;
    this.controls.add(bus.subscribe('control.cancel.*', { schema: CancelControlSchema }).subscribe(({ message }) => this.onCancel(message)));
    this.controls.add(bus.subscribe(KILL_CONTROL_SUBJECT, { schema: KillControlSchema }).subscribe(({ message }) => this.onKill(message)));
    const concurrency = this.options.concurrency ?? 1;
    this.consuming = this.options.queue
      .consume({ maxInFlight: concurrency })
      .pipe(mergeMap((delivery) => from(this.handle(delivery)), concurrency))
      .subscribe({
        error: (error: unknown) => this.options.logger.error('work queue consumer failed', { error: TrancheError.from(error).message }),
      });
  }

  /** Stops pulling and waits for the orders running here to end (their jobs acknowledged, leases released). */
  async drain(): Promise<void> {
    this.stopping = true;
    this.consuming?.unsubscribe();
    if (this.running.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.controls.unsubscribe();
  }

  /**
   * Stops pulling and gives every running order back at once: each job is naked for
   * another worker and its lease released. The executions are abandoned mid-way (their
   * journals stay unfinished, the next worker reconciles and continues them), so the
   * process must exit right after.
   */
  async handBack(): Promise<void> {
    this.stopping = true;
    this.consuming?.unsubscribe();
    for (const [executionId, running] of this.running) {
      running.renewal.unsubscribe();
      await running.delivery.nak().catch(() => undefined);
      await this.options.leases.release(running.lease).catch(() => undefined);
      this.records.next({ executionId, attempt: running.delivery.deliveryCount, outcome: 'handed-back' });
    }
    this.running.clear();
    this.controls.unsubscribe();
    this.records.complete();
  }

  private async handle(delivery: WorkDelivery): Promise<void> {
    const attempt = delivery.deliveryCount;
    let job: ClusterJob;
    try {
      job = parseInput(ClusterJobSchema, delivery.payload, 'job');
    } catch (error) {
      // A job no worker can run: tell its submitter, and take it off the queue.
      const failure = TrancheError.from(error);
      await this.publish(delivery.id, attempt, 1, { type: 'job-refused', executionId: delivery.id, kind: failure.kind, message: failure.message });
      await delivery.ack();
      this.records.next({ executionId: delivery.id, attempt, outcome: 'refused', detail: failure.message });
      return;
    }
    const executionId = job.order.id;
    if (job.venue !== this.options.venue) {
      // Another worker's order: never run a paper order on a real exchange (or the reverse).
      await delivery.nak(this.retryDelayMs());
      this.records.next({ executionId, attempt, outcome: 'busy', detail: `for the ${job.venue} venue; this worker trades ${this.options.venue}` });
      return;
    }
    if (this.stopping || this.running.has(executionId)) {
      await delivery.nak(this.retryDelayMs());
      return;
    }
    const lease = await this.options.leases.acquire(executionId, this.options.workerId);
    if (!lease) {
      await delivery.nak(this.retryDelayMs());
      this.records.next({ executionId, attempt, outcome: 'busy', detail: `lease held by ${(await this.options.leases.holder(executionId)) ?? 'nobody now'}` });
      return;
    }
    if (this.stopping) {
      // Stopped (kill switch, drain) while the lease was being taken: start nothing new.
      await this.options.leases.release(lease).catch(() => undefined);
      await delivery.nak(this.retryDelayMs());
      return;
    }
    const running: Running = { delivery, lease, renewal: this.renewEvery(executionId), published: Promise.resolve(), control: new ReplaySubject<JobControlCommand>() };
    this.running.set(executionId, running);
    this.records.next({ executionId, attempt, outcome: 'started' });
    let seq = 0;
    const publishNext = (event: ExecutionEvent | Record<string, unknown>): Promise<unknown> => {
      const n = ++seq;
      running.published = running.published.then(() => this.publish(executionId, attempt, n, event));
      return running.published;
    };
    try {
      const outcome = await this.options.run(job, (event) => void publishNext(event).catch(() => undefined), running.control.asObservable());
      // Acknowledged only once every event, the end included, is stored: a failure here gives the job back.
      await running.published;
      running.renewal.unsubscribe();
      await delivery.ack();
      this.records.next({ executionId, attempt, outcome: outcome.how, status: outcome.report.status, filledQuantity: outcome.report.filledQuantity });
    } catch (error) {
      running.renewal.unsubscribe();
      const failure = TrancheError.from(error);
      if (failure.kind === 'validation') {
        await publishNext({ type: 'job-refused', executionId, kind: failure.kind, message: failure.message }).catch(() => undefined);
        await delivery.ack();
        this.records.next({ executionId, attempt, outcome: 'refused', detail: failure.message });
      } else {
        this.options.logger.warn('order run failed; it goes back to the queue', { executionId, attempt, error: failure.message });
        await delivery.nak(this.retryDelayMs());
        this.records.next({ executionId, attempt, outcome: 'failed', detail: failure.message });
      }
    } finally {
      running.control.complete();
      if (this.running.get(executionId) === running) {
        this.running.delete(executionId);
        await this.options.leases.release(running.lease).catch(() => undefined);
      }
      if (this.running.size === 0) this.idle?.();
    }
  }

  /**
   * Renews the lease and extends the delivery every third of the lease TTL, on the clock.
   * A renewal the store refuses (compare-and-set failed: someone else holds it) is a lost
   * lease at once; one that cannot reach the store (a NATS reconnect) is retried on the next
   * tick, and the lease counts as lost only once a whole TTL passed since the last renewal
   * that went through (from then on another worker may hold it).
   */
  private renewEvery(executionId: string): Subscription {
    const ttlMs = this.options.leases.ttlMs;
    const periodMs = Math.max(50, Math.floor(ttlMs / 3));
    let renewedAt = this.options.clock.now();
    const lose = (running: Running, reason: string): void => {
      running.renewal.unsubscribe();
      this.options.logger.error('lease lost while working: another worker may take the order over', { executionId, reason });
      this.options.onLeaseLost(executionId);
    };
    return timer(periodMs, periodMs, this.options.clock.scheduler)
      .pipe(
        concatMap(async () => {
          const running = this.running.get(executionId);
          if (!running) return;
          let renewed: Lease | null;
          try {
            renewed = await this.options.leases.renew(running.lease);
          } catch (error) {
            const silentMs = this.options.clock.now() - renewedAt;
            if (silentMs >= ttlMs) return lose(running, `no renewal for ${silentMs} ms: ${TrancheError.from(error).message}`);
            this.options.logger.warn('lease renewal failed; retrying', { executionId, error: TrancheError.from(error).message });
            return;
          }
          if (!renewed) return lose(running, 'taken by another owner');
          renewedAt = this.options.clock.now();
          running.lease = renewed;
          await running.delivery.inProgress().catch(() => undefined);
        }),
      )
      .subscribe();
  }

  private onCancel(request: CancelControl): void {
    const running = this.running.get(request.executionId);
    // Not ours: the worker that runs it answers.
    if (!running) return;
    running.control.next({ type: 'cancel', reason: request.reason });
    void this.acknowledge({ requestId: request.requestId, worker: this.options.workerId, type: 'cancel', accepted: true, executionIds: [request.executionId] });
  }

  private onKill(request: KillControl): void {
    const first = this.killedReason === undefined;
    this.killedReason ??= request.reason;
    // Like the in-process kill switch: no new order from now on (until the worker restarts), the running ones cancelled.
    this.stopping = true;
    this.consuming?.unsubscribe();
    const executionIds = [...this.running.keys()];
    for (const running of this.running.values()) running.control.next({ type: 'kill', reason: request.reason });
    this.options.logger.warn('kill switch engaged through the bus', { reason: request.reason, executions: executionIds });
    if (first) this.options.onKill?.(request.reason, executionIds);
    void this.acknowledge({
      requestId: request.requestId,
      worker: this.options.workerId,
      type: 'kill',
      accepted: true,
      executionIds,
      ...(first ? {} : { detail: `already engaged: ${this.killedReason}` }),
    });
  }

  private acknowledge(ack: ControlAck): Promise<unknown> {
    return this.options.bus.publish(controlAckSubject(ack.requestId), ack).catch((error: unknown) => {
      this.options.logger.warn('control acknowledgement not published', { requestId: ack.requestId, error: TrancheError.from(error).message });
    });
  }

  private publish(executionId: string, attempt: number, seq: number, event: ExecutionEvent | Record<string, unknown>): Promise<unknown> {
    const message: ClusterEvent = { worker: this.options.workerId, seq, attempt, event: event as Record<string, unknown> };
    const subject = executionEventsSubject(executionId);
    // The end has one id whatever the attempt: a worker that re-publishes it (the first one died before its ack) is de-duplicated.
    const messageId = event.type === 'execution-ended' ? `${executionId}:ended` : `${executionId}:${attempt}:${seq}`;
    return this.options.bus.publish(subject, message, { messageId }).catch((error: unknown) => {
      this.options.logger.warn('execution event not published', { executionId, seq, error: TrancheError.from(error).message });
      throw error;
    });
  }

  private retryDelayMs(): number {
    return this.options.retryDelayMs ?? Math.max(100, Math.floor(this.options.leases.ttlMs / 2));
  }
}
