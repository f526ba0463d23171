import { inject, injectable, optional } from 'inversify';
import { ReplaySubject, interval, type Observable } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { Logger } from '../contracts/logger.js';
import type { Notification } from '../contracts/notifier.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ExecutionReport } from '../model/execution.schema.js';
import { ExecutionNotifier } from '../observe/execution-notifier.js';
import { ExecutionManager } from './execution-manager.js';
import { OrderRouter } from './order-router.js';
import { RiskGate } from './risk-gate.js';

/**
 * One step of the kill switch: `engaged` (new orders refused from now on),
 * `stopping` (an execution is told to cancel its working child orders), `stopped` (that
 * execution is terminal), `completed` (every execution is terminal).
 */
export type KillSwitchEvent =
  | { readonly type: 'engaged'; readonly ts: number; readonly reason: string; readonly executionIds: readonly string[] }
  | { readonly type: 'stopping'; readonly ts: number; readonly executionId: string }
  | { readonly type: 'stopped'; readonly ts: number; readonly executionId: string; readonly status: ExecutionReport['status']; readonly filledQuantity: number }
  | { readonly type: 'completed'; readonly ts: number; readonly reason: string; readonly reports: readonly ExecutionReport[] };

/** How often the kill switch asks again to cancel child orders still working (a cancel the router gave up on). */
export const KILL_SWITCH_RECANCEL_INTERVAL_MS = 1_000;

/** What `KillSwitch.engage` resolves with. */
export interface KillSwitchResult {
  /** Why the switch was engaged. */
  readonly reason: string;
  /** When the switch was engaged (epoch ms). */
  readonly engagedAt: number;
  /** When every execution was terminal. */
  readonly completedAt: number;
  /** The final report of every execution that was running. */
  readonly reports: readonly ExecutionReport[];
}

/**
 * The kill switch: `engage(reason)` halts the `RiskGate` (every new parent and child
 * order is refused), stops every running execution (its working child orders are
 * cancelled through the router and it ends `cancelled` with the reason) and resolves
 * when all are terminal (a child order whose cancel failed is cancelled again every
 * `KILL_SWITCH_RECANCEL_INTERVAL_MS` until the venue confirms). Each step is an event on `events$` and a
 * `kill-switch` notification through the `ExecutionNotifier` (critical; `stopped` is a
 * warning), which queues it for every bound `Notifier` without waiting. Engaging twice returns the first result.
 */
@injectable()
export class KillSwitch {
  private readonly eventsSubject = new ReplaySubject<KillSwitchEvent>(64);
  private engaging?: Promise<KillSwitchResult>;

  constructor(
    @inject(ExecutionManager) private readonly manager: ExecutionManager,
    @inject(RiskGate) private readonly gate: RiskGate,
    @inject(OrderRouter) private readonly router: OrderRouter,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    @inject(ExecutionNotifier) @optional() private readonly notifier?: ExecutionNotifier,
  ) {}

  /** True once `engage` was called. */
  get engaged(): boolean {
    return this.engaging !== undefined;
  }

  /** Every step of the kill switch (the last 64 are replayed to late subscribers). */
  get events$(): Observable<KillSwitchEvent> {
    return this.eventsSubject.asObservable();
  }

  /** Stops all trading; resolves when every execution that was running is terminal. */
  engage(reason: string): Promise<KillSwitchResult> {
    this.engaging ??= this.doEngage(reason);
    return this.engaging;
  }

  private async doEngage(reason: string): Promise<KillSwitchResult> {
    this.gate.halt(reason);
    const engagedAt = this.clock.now();
    const executionIds = this.manager.activeExecutions();
    this.logger.warn('kill switch engaged', { reason, executions: executionIds });
    this.emit({ type: 'engaged', ts: engagedAt, reason, executionIds }, `Kill switch engaged: ${reason}`, `${executionIds.length} execution(s) to stop`);
    const finished: ExecutionReport[] = [];
    const handled = new Set<string>();
    // Executions that start while the switch works (a resume in progress) are stopped too: repeat until none is left.
    for (let batch = executionIds; batch.length > 0; batch = this.manager.activeExecutions().filter((id) => !handled.has(id))) {
      for (const executionId of batch) handled.add(executionId);
      const reports = await Promise.all(batch.map((executionId) => this.stop(executionId, reason)));
      for (const report of reports) if (report) finished.push(report);
    }
    const completedAt = this.clock.now();
    this.emit({ type: 'completed', ts: completedAt, reason, reports: finished }, 'Kill switch completed', `${finished.length} execution(s) stopped: ${reason}`);
    return { reason, engagedAt, completedAt, reports: finished };
  }

  /** Stops one execution; resolves with its report (undefined when it had already ended). */
  private async stop(executionId: string, reason: string): Promise<ExecutionReport | undefined> {
    this.emit({ type: 'stopping', ts: this.clock.now(), executionId }, `Kill switch: stopping ${executionId}`, 'cancelling its working child orders', executionId);
    let report: ExecutionReport;
    // A cancel the router gave up on (venue down, out of retries) would leave the parent waiting: ask again until it is terminal.
    const recancel = interval(KILL_SWITCH_RECANCEL_INTERVAL_MS, this.clock.scheduler).subscribe(() => {
      for (const order of this.router.workingOrders(executionId)) void this.router.cancel(order.clientOrderId);
    });
    try {
      report = await this.manager.cancel(executionId, `kill switch: ${reason}`);
    } catch (error) {
      // Ended on its own between the snapshot and the cancel: nothing left to stop.
      this.logger.debug('kill switch: execution already ended', { executionId, error: TrancheError.from(error).message });
      return undefined;
    } finally {
      recancel.unsubscribe();
    }
    this.emit(
      { type: 'stopped', ts: this.clock.now(), executionId, status: report.status, filledQuantity: report.filledQuantity },
      `Kill switch: ${executionId} is ${report.status}`,
      `filled ${report.filledQuantity} of ${report.requestedQuantity}`,
      executionId,
    );
    return report;
  }

  private emit(event: KillSwitchEvent, title: string, message: string, executionId?: string): void {
    this.eventsSubject.next(event);
    const notification: Notification = {
      event: 'kill-switch',
      severity: event.type === 'stopped' ? 'warning' : 'critical',
      title,
      message,
      ts: event.ts,
      ...(executionId === undefined ? {} : { executionId }),
      data: event.type === 'engaged' ? { step: event.type, reason: event.reason, executionIds: [...event.executionIds] } : event.type === 'completed' ? { step: event.type, reason: event.reason, executions: event.reports.length } : { step: event.type },
    };
    this.notifier?.publish(notification);
  }
}
