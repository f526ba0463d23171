import { randomBytes } from 'node:crypto';
import { Subject, Subscription, filter, firstValueFrom, map, race, take, timer, type Observable } from 'rxjs';
import {
  ExecutionEventSchema,
  MarketEventSchema,
  TrancheError,
  type Clock,
  type ExecutionEvent,
  type ExecutionReport,
  type Logger,
  type MetricSnapshot,
} from '@tranche/core';
import type { ClusterTransport } from '../cluster/cluster-transport.js';
import { ClusterEventSchema, type ClusterEvent } from '../cluster/cluster-job.schema.js';
import { clusterJobOf } from '../cluster/cluster-job-request.js';
import { executionEventsSubject } from '../cluster/cluster-subjects.js';
import { ControlAckSchema, KILL_CONTROL_SUBJECT, KillControlSchema, cancelControlSubject, controlAckSubject, type ControlAck } from '../cluster/cluster-control.schema.js';
import type {
  DashboardFeed,
  DashboardHistoryEntry,
  DashboardKillResult,
  DashboardKillSwitch,
  DashboardSnapshot,
} from './dashboard-feed.js';
import { DashboardFeedStreams } from './dashboard-feed-streams.js';
import { ExecutionTracker } from './execution-tracker.js';
import { BusMarkets } from './bus-feed-markets.js';
import { BusMarketStateSchema } from './bus-feed.schema.js';
import { BusFeedStats } from './bus-feed-stats.js';

/** How many ended executions' reports the feed keeps for the history. */
export const KEEP_BUS_REPORTS = 1_000;

/** Options of a `BusFeed`. */
export interface BusFeedOptions {
  /** The bus (execution events, market data, control) and the work queue (submit). */
  readonly transport: Pick<ClusterTransport, 'bus' | 'queue'>;
  /** The live clock: the snapshot's time, events per second and every wait below. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Shown as the snapshot's venue (`cluster on nats://…`). */
  readonly label?: string;
  /** The venue of submitted orders: only workers of that venue run them (default paper). */
  readonly venue?: string;
  /** A submitted order resolves once a worker started it, or after this long still queued, ms (default 10 000). */
  readonly startTimeoutMs?: number;
  /** How long a cancel waits for the owning worker's answer, and the kill switch collects the workers' answers, ms (default 2 000). */
  readonly ackTimeoutMs?: number;
  /** How long a cancel or the kill switch waits for the executions to end once acknowledged, ms (default 60 000). */
  readonly endTimeoutMs?: number;
}

/**
 * The dashboard feed of a cluster on the message bus (`tranche serve --nats`): executions
 * from `exec.events.>` (the stored stream replayed on start, then live; every event checked
 * with `ExecutionEventSchema`), markets from `md.*.*.{book,trades,ticker}` and `state.*`,
 * metrics derived from the events (executions by status and by worker, events per second),
 * the history from the ended executions in the stream. Actions go through the bus: submit
 * puts the order on the work queue as `tranche submit` does; cancel publishes
 * `control.cancel.<id>` and the kill switch `control.kill`, each answered by the workers on
 * `control.ack.<requestId>`. Call `start()` once, `close()` at the end.
 */
export class BusFeed extends DashboardFeedStreams implements DashboardFeed {
  private readonly tracker = new ExecutionTracker();
  private readonly markets = new BusMarkets();
  private readonly stats: BusFeedStats;
  /** Every accepted event and every refusal, by execution id (what the actions wait on). */
  private readonly happenings = new Subject<{ executionId: string; event?: ExecutionEvent; refused?: string; refusedKind?: string }>();
  private readonly subscriptions = new Subscription();
  private readonly reports = new Map<string, ExecutionReport>();
  private readonly seenFills = new Map<string, Set<string>>();
  private readonly strategies = new Set<string>();
  private killState: DashboardKillSwitch = { engaged: false, reason: null, completed: false, stoppedExecutions: 0 };

  constructor(private readonly options: BusFeedOptions) {
    super();
    this.stats = new BusFeedStats(options.clock);
  }

  /** Subscribes to the bus: replays the stored execution events, then follows everything live. */
  start(): void {
    const { bus } = this.options.transport;
    this.subscriptions.add(
      bus.subscribe('exec.events.>', { replay: true, schema: ClusterEventSchema }).subscribe({
        next: ({ subject, message }) => this.onClusterEvent(subject.slice('exec.events.'.length), message),
        error: (error: unknown) => this.options.logger.error('execution events subscription failed', { error: TrancheError.from(error).message }),
      }),
    );
    for (const kind of ['book', 'trades', 'ticker'] as const) {
      this.subscriptions.add(
        bus.subscribe(`md.*.*.${kind}`, { schema: MarketEventSchema }).subscribe(({ message }) => {
          const update = this.markets.applyMarketEvent(message);
          if (update) this.marketSubject.next(update);
        }),
      );
    }
    this.subscriptions.add(
      bus.subscribe('state.*', { schema: BusMarketStateSchema }).subscribe(({ message }) => {
        const update = this.markets.applyState(message);
        if (update) this.marketSubject.next(update);
      }),
    );
    // A kill switch engaged elsewhere (another dashboard) shows here too.
    this.subscriptions.add(
      bus.subscribe(KILL_CONTROL_SUBJECT, { schema: KillControlSchema }).subscribe(({ message }) => {
        if (this.killState.engaged) return;
        this.killState = { engaged: true, reason: message.reason, completed: false, stoppedExecutions: 0 };
        this.killSubject.next({ type: 'engaged', ts: this.options.clock.now(), killSwitch: { ...this.killState }, message: `kill switch engaged on the bus (${message.reason})` });
      }),
    );
  }

  /** @inheritDoc */
  snapshot(): DashboardSnapshot {
    return {
      now: this.options.clock.now(),
      venue: this.options.label ?? 'cluster',
      data: { source: 'nats', ended: false },
      executions: this.tracker.executions(),
      markets: this.markets.snapshot(),
      metrics: this.metrics(),
      killSwitch: { ...this.killState },
      strategies: [...this.strategies].sort(),
    };
  }

  /** @inheritDoc */
  metrics(): Record<string, MetricSnapshot> {
    return { cluster: this.stats.snapshot(this.markets.applied) };
  }

  /** @inheritDoc The ended executions of the stream (quality records stay in the workers' history stores). */
  async history(limit: number): Promise<DashboardHistoryEntry[]> {
    return [...this.reports.values()]
      .sort((a, b) => b.endedAt - a.endedAt)
      .slice(0, limit)
      .map((report) => ({ report, quality: null, pending: false }));
  }

  /**
   * Puts the order on the work queue as `tranche submit` does (`clusterJobOf`; the id is the
   * order's or a new one) and resolves once a worker started it, rejecting with the worker's
   * refusal; resolves with `queued: true` when no worker started it within `startTimeoutMs`.
   */
  async submitOrder(order: unknown): Promise<{ executionId: string; queued?: true }> {
    const job = clusterJobOf(order, { venue: this.options.venue ?? 'paper' });
    const executionId = job.order.id;
    if (this.killState.engaged) {
      throw new TrancheError('risk', `order refused: the kill switch is engaged (${this.killState.reason}); the workers take new orders only after a restart`, { retryable: false });
    }
    // Followed before the enqueue, so a start that comes at once is not missed; the timer is dropped with the race.
    const outcome = firstValueFrom(
      race(
        this.happenings.pipe(
          filter((happening) => happening.executionId === executionId && (happening.refused !== undefined || happening.event?.type === 'execution-started')),
          map((happening) => {
            if (happening.refused !== undefined) throw new TrancheError(happening.refusedKind === 'validation' ? 'validation' : 'internal', happening.refused, { field: 'order', retryable: false });
            return 'started' as const;
          }),
        ),
        timer(this.options.startTimeoutMs ?? 10_000, this.options.clock.scheduler).pipe(map(() => 'queued' as const)),
      ),
      { defaultValue: 'closed' as const },
    );
    outcome.catch(() => undefined);
    const { duplicate } = await this.options.transport.queue.enqueue(executionId, job);
    if (duplicate && (this.tracker.execution(executionId) !== undefined || this.reports.has(executionId))) return { executionId };
    return (await outcome) === 'queued' ? { executionId, queued: true } : { executionId };
  }

  /**
   * Publishes `control.cancel.<id>`; the worker running the execution acknowledges and
   * cancels it through its engine; resolves with the final report from the bus. A validation
   * error (404) for an execution the bus never showed or that already ended; `venue-unavailable`
   * when no worker acknowledged within `ackTimeoutMs`.
   */
  async cancelExecution(executionId: string): Promise<ExecutionReport> {
    const execution = this.tracker.execution(executionId);
    if (!execution || execution.state !== 'working') {
      const ended = this.reports.get(executionId);
      const why = ended ? `it already ended ${ended.status}` : 'no working execution has this id on the bus';
      throw new TrancheError('validation', `invalid executionId: ${JSON.stringify(executionId)}: ${why}`, { field: 'executionId', retryable: false });
    }
    const requestId = newRequestId();
    const ended = this.endOf(executionId, this.options.endTimeoutMs ?? 60_000);
    ended.catch(() => undefined);
    const acks = this.collectAcks(requestId);
    try {
      await this.options.transport.bus.publish(cancelControlSubject(executionId), { type: 'cancel', requestId, executionId, reason: 'cancelled from the dashboard' });
      const answered = firstValueFrom(race(acks.acks$.pipe(take(1)), timer(this.options.ackTimeoutMs ?? 2_000, this.options.clock.scheduler).pipe(map(() => undefined))), { defaultValue: undefined });
      const first = await Promise.race([answered, ended]);
      if (first === undefined) {
        throw new TrancheError(
          'venue-unavailable',
          `no worker acknowledged the cancel of ${executionId} within ${this.options.ackTimeoutMs ?? 2_000} ms: the worker running it may be gone (another one takes it over once its lease expires); try again`,
          { retryable: true },
        );
      }
      return await ended;
    } finally {
      acks.close();
    }
  }

  /**
   * Publishes `control.kill`: every worker stops pulling orders (until it restarts) and
   * cancels the executions it runs. Collects the workers' answers for `ackTimeoutMs`, then
   * waits for every execution they stop to end. `venue-unavailable` when no worker answered.
   */
  async engageKillSwitch(reason: string): Promise<DashboardKillResult> {
    const { clock } = this.options;
    const requestId = newRequestId();
    const engagedAt = clock.now();
    const acks = this.collectAcks(requestId);
    const answers: ControlAck[] = [];
    acks.acks$.subscribe((ack) => {
      answers.push(ack);
      this.killSubject.next({ type: 'stopping', ts: clock.now(), killSwitch: { ...this.killState }, message: `worker ${ack.worker} stopped pulling orders; cancelling ${ack.executionIds.join(', ') || 'nothing'}` });
    });
    try {
      this.killState = { engaged: true, reason, completed: false, stoppedExecutions: 0 };
      this.killSubject.next({ type: 'engaged', ts: engagedAt, killSwitch: { ...this.killState }, message: `kill switch engaged (${reason}): published on ${KILL_CONTROL_SUBJECT}` });
      await this.options.transport.bus.publish(KILL_CONTROL_SUBJECT, { type: 'kill', requestId, reason });
      await firstValueFrom(timer(this.options.ackTimeoutMs ?? 2_000, clock.scheduler));
    } finally {
      acks.close();
    }
    if (answers.length === 0) {
      throw new TrancheError('venue-unavailable', `kill switch published on ${KILL_CONTROL_SUBJECT} but no worker acknowledged it within ${this.options.ackTimeoutMs ?? 2_000} ms: are the workers connected to this NATS server?`, {
        retryable: true,
      });
    }
    const stopping = [...new Set(answers.flatMap((ack) => ack.executionIds))];
    const reports = await Promise.all(stopping.map((executionId) => this.endOf(executionId, this.options.endTimeoutMs ?? 60_000)));
    const completedAt = clock.now();
    const unowned = this.tracker.executions().filter((execution) => execution.state === 'working').map((execution) => execution.executionId);
    this.killState = { ...this.killState, completed: true, stoppedExecutions: reports.length };
    this.killSubject.next({
      type: 'completed',
      ts: completedAt,
      killSwitch: { ...this.killState },
      message: `kill switch completed: ${answers.length} worker(s) stopped, ${reports.length} execution(s) ended${unowned.length > 0 ? `; no worker answered for ${unowned.join(', ')}` : ', no working order left'}`,
    });
    return { reason, engagedAt, completedAt, stopped: reports.map((report) => ({ executionId: report.id, status: report.status, filledQuantity: report.filledQuantity })) };
  }

  /** Stops following the bus (does not close it). */
  close(): void {
    this.subscriptions.unsubscribe();
    this.happenings.complete();
    this.completeStreams();
  }

  private onClusterEvent(executionId: string, message: ClusterEvent): void {
    if (message.event['type'] === 'job-refused') {
      this.happenings.next({ executionId, refused: String(message.event['message'] ?? 'the worker refused the order'), refusedKind: String(message.event['kind'] ?? 'internal') });
      return;
    }
    const parsed = ExecutionEventSchema.safeParse(message.event);
    if (!parsed.success) {
      this.options.logger.warn('malformed execution event on the bus dropped', { executionId, worker: message.worker, error: parsed.error.issues[0]?.message });
      return;
    }
    const event = parsed.data;
    if (event.executionId !== executionId) return;
    const known = this.tracker.execution(executionId);
    // A takeover's run may repeat what the first run published: apply each start, fill and end once.
    if (event.type === 'execution-started' && (known !== undefined || this.reports.has(executionId))) return;
    if (event.type === 'execution-ended' && (known?.state !== 'working' || this.reports.has(executionId))) {
      if (known === undefined && !this.reports.has(executionId)) this.remember(event.report, message.worker);
      return;
    }
    if (event.type === 'fill') {
      const fills = this.seenFills.get(executionId) ?? new Set<string>();
      if (fills.has(event.fill.fillId)) return;
      fills.add(event.fill.fillId);
      this.seenFills.set(executionId, fills);
    }
    if (event.type === 'execution-started') {
      this.strategies.add(event.strategy);
      this.stats.started(executionId, message.worker);
    }
    this.stats.event();
    const execution = this.tracker.apply(event);
    if (event.type === 'execution-ended') {
      this.remember(event.report, message.worker);
      this.seenFills.delete(executionId);
      if (this.killState.engaged && !this.killState.completed) {
        this.killSubject.next({ type: 'stopped', ts: this.options.clock.now(), killSwitch: { ...this.killState }, message: `${executionId} is ${event.report.status} (filled ${event.report.filledQuantity})` });
      }
    }
    if (execution) this.executionSubject.next({ event, execution });
    this.happenings.next({ executionId, event });
  }

  private remember(report: ExecutionReport, worker: string): void {
    this.reports.set(report.id, report);
    this.stats.ended(report.id, report.status, worker);
    if (this.reports.size > KEEP_BUS_REPORTS) this.reports.delete(this.reports.keys().next().value!);
  }

  /** Resolves with the execution's final report (at once when it already ended); `timeout-ambiguous` after `timeoutMs`. */
  private endOf(executionId: string, timeoutMs: number): Promise<ExecutionReport> {
    const known = this.reports.get(executionId);
    if (known) return Promise.resolve(known);
    return new Promise<ExecutionReport>((resolve, reject) => {
      const subscription = this.happenings
        .pipe(filter((happening) => happening.executionId === executionId && happening.event?.type === 'execution-ended'))
        .subscribe({
          next: (happening) => {
            subscription.unsubscribe();
            resolve((happening.event as Extract<ExecutionEvent, { type: 'execution-ended' }>).report);
          },
          complete: () => reject(new TrancheError('internal', `the dashboard stopped before ${executionId} ended`, { retryable: false })),
        });
      subscription.add(
        timer(timeoutMs, this.options.clock.scheduler).subscribe(() => {
          subscription.unsubscribe();
          reject(new TrancheError('timeout-ambiguous', `${executionId} did not end within ${timeoutMs} ms on ${executionEventsSubject(executionId)}; it may still be working`, { retryable: true }));
        }),
      );
    });
  }

  /** The answers to one control request, live, until `close()`. */
  private collectAcks(requestId: string): { acks$: Observable<ControlAck>; close: () => void } {
    const acks = new Subject<ControlAck>();
    const subscription = this.options.transport.bus
      .subscribe(controlAckSubject(requestId), { schema: ControlAckSchema })
      .subscribe(({ message }) => acks.next(message));
    return {
      acks$: acks.asObservable(),
      close: () => {
        subscription.unsubscribe();
        acks.complete();
      },
    };
  }
}

/** A request id for `control.ack.<requestId>`: random, one subject token. */
function newRequestId(): string {
  return `r${randomBytes(8).toString('hex')}`;
}
