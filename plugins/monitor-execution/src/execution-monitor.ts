import { inject, injectable } from 'inversify';
import { BehaviorSubject, Subject, defer, filter, interval, of, type Observable, type Subscription } from 'rxjs';
import {
  Clock,
  Logger,
  TERMINAL_CHILD_STATUSES,
  metricKey,
  type ExecutionAlert,
  type ExecutionAlertEmitter,
  type ExecutionEvent,
  type ExecutionEventOf,
  type MetricCollector,
  type MetricSnapshot,
  type ParentOrderStatus,
} from '@tranche/core';
import { assessDeadline, isStalled, recentFillRate } from './alert-rules.js';
import { ExecutionMonitorConfig } from './execution-monitor-config.schema.js';
import type { EndTimeSource, ExecutionProgress } from './execution-progress.js';
import { readExecutionWindow } from './execution-window.js';

/** Kinds of the alerts the execution monitor raises. */
export const EXECUTION_ALERT_KINDS = ['stalled', 'deadline-at-risk'] as const;

interface Tracked {
  readonly executionId: string;
  readonly symbol: string;
  readonly side: ExecutionProgress['side'];
  readonly strategy: string;
  readonly startedAt: number;
  readonly windowStart: number;
  readonly paramsEndTime: number | null;
  readonly requestedQuantity: number;
  status: ParentOrderStatus;
  filledQuantity: number;
  workingQuantity: number;
  scheduledQuantity: number | null;
  /** Client order ids of the children not yet terminal (its size is the view's `workingOrders`: O(1) per view). */
  readonly workingChildren: Set<string>;
  readonly fills: Array<{ ts: number; quantity: number }>;
  lastFillAt: number | null;
  lastActivityAt: number;
  readonly activeAlerts: Set<string>;
  last?: ExecutionProgress;
}

/**
 * Live progress of every running execution, as a `MetricCollector`: filled against the
 * strategy's schedule (from `progress` events), working child orders, time left to the
 * algorithm's end time (from its params, else the pace of its schedule), the recent fill
 * rate and the completion it projects. Every `checkIntervalMs` on the clock's scheduler
 * (virtual time in backtests) it raises `stalled` (no fill and no child-order activity for
 * `stalledAfterMs`) and `deadline-at-risk` (projected completion past the end time) alerts,
 * once per episode, on `alerts$` and, through the engine, as `alert` execution events.
 */
@injectable()
export class ExecutionMonitor implements MetricCollector {
  /** Collector id (also the `source` of its alerts). */
  readonly id = 'monitor-execution';
  private readonly logger: Logger;
  private readonly active = new Map<string, Tracked>();
  private readonly ended = new Map<string, ExecutionProgress>();
  private readonly subjects = new Map<string, BehaviorSubject<ExecutionProgress | undefined>>();
  private readonly alertSubject = new Subject<ExecutionAlert>();
  private readonly alertCounts = new Map<string, number>();
  private readonly endedCounts = new Map<string, number>();
  private emit?: ExecutionAlertEmitter;
  private checks?: Subscription;
  private started = 0;

  constructor(
    @inject(ExecutionMonitorConfig) private readonly config: ExecutionMonitorConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'monitor-execution' });
  }

  /** Alerts as they are raised. */
  get alerts$(): Observable<ExecutionAlert> {
    return this.alertSubject.asObservable();
  }

  /** Called by the engine: alerts are also published as `alert` execution events (unless `publishAlertEvents` is off). */
  attach(emit: ExecutionAlertEmitter): void {
    this.emit = emit;
  }

  /** Ids of the running executions. */
  activeIds(): string[] {
    return [...this.active.keys()];
  }

  /** The progress of a running (or recently ended) execution now. */
  progress(executionId: string): ExecutionProgress | undefined {
    const tracked = this.active.get(executionId);
    return tracked ? this.view(tracked, this.clock.now()) : this.ended.get(executionId);
  }

  /**
   * Progress of one execution: the current view, then one per change and per check; the
   * last is the terminal view, then it completes. For an id not started yet it waits.
   */
  progress$(executionId: string): Observable<ExecutionProgress> {
    return defer(() => {
      const ended = this.ended.get(executionId);
      if (ended && !this.active.has(executionId)) return of(ended);
      return this.subject(executionId).pipe(filter((view): view is ExecutionProgress => view !== undefined));
    });
  }

  onExecutionEvent(event: ExecutionEvent): void {
    if (event.type === 'execution-started') {
      this.onStarted(event);
      return;
    }
    const tracked = this.active.get(event.executionId);
    if (!tracked) return;
    switch (event.type) {
      case 'progress':
        tracked.filledQuantity = event.filledQuantity;
        tracked.workingQuantity = event.workingQuantity;
        if (event.scheduledQuantity !== undefined) tracked.scheduledQuantity = event.scheduledQuantity;
        break;
      case 'child-order-intent':
      case 'child-order-updated':
        if (TERMINAL_CHILD_STATUSES.has(event.order.status)) tracked.workingChildren.delete(event.order.clientOrderId);
        else tracked.workingChildren.add(event.order.clientOrderId);
        this.activity(tracked, event.ts);
        break;
      case 'fill':
        tracked.fills.push({ ts: event.fill.ts, quantity: event.fill.quantity });
        tracked.lastFillAt = Math.max(tracked.lastFillAt ?? event.fill.ts, event.fill.ts);
        this.activity(tracked, event.fill.ts);
        this.trimFills(tracked, event.fill.ts);
        break;
      case 'execution-ended':
        this.onEnded(tracked, event);
        return;
      default:
        return;
    }
    this.publish(tracked, event.ts);
  }

  snapshot(): MetricSnapshot {
    const now = this.clock.now();
    const snapshot: MetricSnapshot = {
      executions_active: { kind: 'gauge', value: this.active.size, help: 'running executions' },
      executions_started_total: { kind: 'counter', value: this.started, help: 'executions started' },
    };
    for (const [status, count] of this.endedCounts) snapshot[metricKey('executions_ended_total', { status })] = { kind: 'counter', value: count };
    for (const kind of EXECUTION_ALERT_KINDS) {
      snapshot[metricKey('execution_alerts_total', { kind })] = { kind: 'counter', value: this.alertCounts.get(kind) ?? 0, help: 'alerts raised' };
    }
    for (const tracked of this.active.values()) {
      const view = this.view(tracked, now);
      const labels = { execution: view.executionId, strategy: view.strategy };
      const gauge = (name: string, value: number | null): void => {
        if (value !== null && Number.isFinite(value)) snapshot[metricKey(name, labels)] = { kind: 'gauge', value };
      };
      gauge('execution_filled_ratio', view.filledRatio);
      gauge('execution_scheduled_ratio', view.scheduledQuantity === null ? null : view.scheduledQuantity / view.requestedQuantity);
      gauge('execution_schedule_deviation_ratio', view.scheduleDeviationRatio);
      gauge('execution_working_orders', view.workingOrders);
      gauge('execution_time_left_ms', view.timeLeftMs);
      gauge('execution_fill_rate_per_second', view.recentFillRate);
      gauge('execution_idle_ms', now - view.lastActivityAt);
    }
    return snapshot;
  }

  /** Stops the checks and completes every stream. */
  close(): void {
    this.checks?.unsubscribe();
    this.checks = undefined;
    for (const subject of this.subjects.values()) subject.complete();
    this.subjects.clear();
    this.alertSubject.complete();
  }

  private onStarted(event: ExecutionEventOf<'execution-started'>): void {
    const window = readExecutionWindow(event.request, event.ts);
    const tracked: Tracked = {
      executionId: event.executionId,
      symbol: event.request.symbol,
      side: event.request.side,
      strategy: event.strategy,
      startedAt: event.ts,
      windowStart: window.windowStart,
      paramsEndTime: window.endTime,
      requestedQuantity: event.request.quantity,
      status: 'working',
      filledQuantity: 0,
      workingQuantity: 0,
      scheduledQuantity: null,
      workingChildren: new Set(),
      fills: [],
      lastFillAt: null,
      lastActivityAt: event.ts,
      activeAlerts: new Set(),
    };
    this.active.set(event.executionId, tracked);
    this.ended.delete(event.executionId);
    this.started++;
    this.checks ??= interval(this.config.checkIntervalMs, this.clock.scheduler).subscribe(() => this.check());
    this.publish(tracked, event.ts);
  }

  private onEnded(tracked: Tracked, event: ExecutionEventOf<'execution-ended'>): void {
    tracked.status = event.status;
    tracked.filledQuantity = event.report.filledQuantity;
    tracked.workingQuantity = 0;
    tracked.workingChildren.clear();
    tracked.activeAlerts.clear();
    const view = this.view(tracked, event.ts);
    this.active.delete(tracked.executionId);
    this.endedCounts.set(event.status, (this.endedCounts.get(event.status) ?? 0) + 1);
    if (this.config.keepEnded > 0) {
      this.ended.set(tracked.executionId, view);
      if (this.ended.size > this.config.keepEnded) this.ended.delete(this.ended.keys().next().value!);
    }
    const subject = this.subjects.get(tracked.executionId);
    if (subject) {
      subject.next(view);
      subject.complete();
      this.subjects.delete(tracked.executionId);
    }
    if (this.active.size === 0) {
      this.checks?.unsubscribe();
      this.checks = undefined;
    }
  }

  private activity(tracked: Tracked, ts: number): void {
    tracked.lastActivityAt = Math.max(tracked.lastActivityAt, ts);
    if (tracked.activeAlerts.delete('stalled')) this.logger.info('execution active again', { executionId: tracked.executionId });
  }

  private trimFills(tracked: Tracked, now: number): void {
    const from = now - this.config.fillRateWindowMs;
    let drop = 0;
    while (drop < tracked.fills.length && tracked.fills[drop]!.ts <= from) drop++;
    if (drop > 0) tracked.fills.splice(0, drop);
  }

  /** Runs on the clock's scheduler: refreshes the views and raises or clears alerts. */
  private check(): void {
    const now = this.clock.now();
    for (const tracked of [...this.active.values()]) {
      this.trimFills(tracked, now);
      // Only what the rules read (a full view is built for subscribers only): this runs for every execution every check.
      const remainingQuantity = Math.max(0, tracked.requestedQuantity - tracked.filledQuantity);
      const rate = recentFillRate(tracked.fills, now, this.config.fillRateWindowMs, tracked.windowStart);
      if (isStalled({ now, windowStart: tracked.windowStart, lastActivityAt: tracked.lastActivityAt, stalledAfterMs: this.config.stalledAfterMs })) {
        if (!tracked.activeAlerts.has('stalled')) {
          const idleMs = now - Math.max(tracked.lastActivityAt, tracked.windowStart);
          this.raise(tracked, now, 'stalled', 'warning', `no fill and no child-order activity for ${Math.round(idleMs / 1_000)} s`, {
            idleMs,
            lastActivityAt: tracked.lastActivityAt,
            lastFillAt: tracked.lastFillAt,
            workingOrders: tracked.workingChildren.size,
            filledQuantity: tracked.filledQuantity,
          });
        }
      }
      if (tracked.paramsEndTime !== null) {
        const verdict = assessDeadline({
          now,
          windowStart: tracked.windowStart,
          endTime: tracked.paramsEndTime,
          remaining: remainingQuantity,
          rate,
          minElapsedMs: this.config.deadlineMinElapsedMs,
          tolerance: this.config.deadlineTolerance,
        });
        if (verdict.atRisk && !tracked.activeAlerts.has('deadline-at-risk')) {
          const projected = verdict.projectedCompletionAt;
          const left = Number(remainingQuantity.toPrecision(8));
          const message =
            projected === null || !Number.isFinite(projected)
              ? `${left} left and no fills at the recent rate: it would not complete by the end time`
              : `${left} left would complete about ${Math.round((projected - tracked.paramsEndTime) / 1_000)} s after the end time at the recent fill rate`;
          this.raise(tracked, now, 'deadline-at-risk', verdict.pastEnd ? 'critical' : 'warning', message, {
            endTime: tracked.paramsEndTime,
            projectedCompletionAt: projected !== null && Number.isFinite(projected) ? projected : null,
            remainingQuantity,
            recentFillRate: rate,
            pastEnd: verdict.pastEnd,
          });
        } else if (!verdict.atRisk && tracked.activeAlerts.delete('deadline-at-risk')) {
          this.logger.info('deadline no longer at risk', { executionId: tracked.executionId });
        }
      }
      this.publish(tracked, now);
    }
  }

  private raise(tracked: Tracked, now: number, kind: (typeof EXECUTION_ALERT_KINDS)[number], severity: ExecutionAlert['severity'], message: string, data: Record<string, unknown>): void {
    tracked.activeAlerts.add(kind);
    this.alertCounts.set(kind, (this.alertCounts.get(kind) ?? 0) + 1);
    const alert: ExecutionAlert = { type: 'alert', executionId: tracked.executionId, ts: now, kind, severity, source: this.id, message, data };
    // Alerts are events (alerts$, the engine's event stream); the log line is secondary, loud only when critical.
    const log = severity === 'critical' ? this.logger.warn.bind(this.logger) : this.logger.info.bind(this.logger);
    log(`execution ${kind}: ${message}`, { executionId: tracked.executionId, strategy: tracked.strategy });
    this.alertSubject.next(alert);
    if (this.config.publishAlertEvents) this.emit?.(alert);
  }

  private publish(tracked: Tracked, now: number): void {
    const subject = this.subjects.get(tracked.executionId);
    if (subject) subject.next(this.view(tracked, now));
  }

  private subject(executionId: string): BehaviorSubject<ExecutionProgress | undefined> {
    let subject = this.subjects.get(executionId);
    if (!subject) {
      const tracked = this.active.get(executionId);
      subject = new BehaviorSubject<ExecutionProgress | undefined>(tracked ? this.view(tracked, this.clock.now()) : undefined);
      this.subjects.set(executionId, subject);
    }
    return subject;
  }

  private view(tracked: Tracked, now: number): ExecutionProgress {
    const requested = tracked.requestedQuantity;
    const filled = tracked.filledQuantity;
    const remaining = Math.max(0, requested - filled);
    const scheduled = tracked.scheduledQuantity;
    const { endTime, endTimeSource } = this.endTime(tracked, now);
    const rate = recentFillRate(tracked.fills, now, this.config.fillRateWindowMs, tracked.windowStart);
    const working = tracked.status === 'working';
    return {
      executionId: tracked.executionId,
      symbol: tracked.symbol,
      side: tracked.side,
      strategy: tracked.strategy,
      status: tracked.status,
      startedAt: tracked.startedAt,
      windowStart: tracked.windowStart,
      asOf: now,
      requestedQuantity: requested,
      filledQuantity: filled,
      workingQuantity: tracked.workingQuantity,
      remainingQuantity: remaining,
      filledRatio: requested > 0 ? filled / requested : 0,
      scheduledQuantity: scheduled,
      scheduleDeviation: scheduled === null ? null : filled - scheduled,
      scheduleDeviationRatio: scheduled === null || !(requested > 0) ? null : (filled - scheduled) / requested,
      workingOrders: tracked.workingChildren.size,
      endTime,
      endTimeSource,
      timeLeftMs: endTime === null ? null : Math.max(0, endTime - now),
      recentFillRate: rate,
      projectedCompletionAt: working && remaining > 0 && rate > 0 ? now + (remaining / rate) * 1_000 : null,
      lastFillAt: tracked.lastFillAt,
      lastActivityAt: tracked.lastActivityAt,
      activeAlerts: [...tracked.activeAlerts],
    };
  }

  /**
   * The end time from the params; without one, extrapolated from the schedule's pace
   * (start + elapsed × requested / scheduled), which is exact for a linear schedule.
   */
  private endTime(tracked: Tracked, now: number): { endTime: number | null; endTimeSource: EndTimeSource | null } {
    if (tracked.paramsEndTime !== null) return { endTime: tracked.paramsEndTime, endTimeSource: 'params' };
    const scheduled = tracked.scheduledQuantity;
    const elapsed = now - tracked.windowStart;
    if (scheduled === null || !(scheduled > 0) || !(elapsed > 0)) return { endTime: null, endTimeSource: null };
    return { endTime: Math.round(tracked.windowStart + (elapsed * tracked.requestedQuantity) / scheduled), endTimeSource: 'schedule-pace' };
  }
}
