import type { Clock, MetricSnapshot } from '@tranche/core';

/** Wall-time window of the events-per-second rate, ms. */
export const EVENT_RATE_WINDOW_MS = 10_000;

/**
 * The metrics a dashboard on the bus can derive from the execution events themselves:
 * executions started, working and ended by status, per worker (every event names the
 * worker that published it), events in total and per second of wall time (over the last
 * `EVENT_RATE_WINDOW_MS`), market-data messages applied. The workers' own collectors
 * (latency histograms, …) stay in their processes.
 */
export class BusFeedStats {
  private started_ = 0;
  private events = 0;
  private readonly endedByStatus = new Map<string, number>();
  private readonly working = new Map<string, string>();
  private readonly startedByWorker = new Map<string, number>();
  /** Events per wall second (epoch second → count), the last `EVENT_RATE_WINDOW_MS` only. */
  private readonly perSecond = new Map<number, number>();

  constructor(private readonly clock: Clock) {}

  /** An execution started on `worker`. */
  started(executionId: string, worker: string): void {
    this.started_++;
    this.working.set(executionId, worker);
    this.startedByWorker.set(worker, (this.startedByWorker.get(worker) ?? 0) + 1);
  }

  /** An execution ended with `status`. */
  ended(executionId: string, status: string, worker: string): void {
    this.working.delete(executionId);
    this.endedByStatus.set(status, (this.endedByStatus.get(status) ?? 0) + 1);
    if (!this.startedByWorker.has(worker)) this.startedByWorker.set(worker, 0);
  }

  /** One execution event applied. */
  event(): void {
    this.events++;
    const second = Math.floor(this.clock.now() / 1_000);
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    this.trim(second);
  }

  /** The metrics now. */
  snapshot(marketMessages: number): MetricSnapshot {
    const second = Math.floor(this.clock.now() / 1_000);
    this.trim(second);
    const windowSeconds = EVENT_RATE_WINDOW_MS / 1_000;
    let recent = 0;
    for (const count of this.perSecond.values()) recent += count;
    const metrics: MetricSnapshot = {
      executions_started_total: { kind: 'counter', value: this.started_, help: 'executions seen starting on the bus' },
      executions_working: { kind: 'gauge', value: this.working.size, help: 'executions started and not ended' },
      execution_events_total: { kind: 'counter', value: this.events, help: 'execution events applied (replayed and live)' },
      execution_events_per_second: { kind: 'gauge', value: recent / windowSeconds, help: `execution events per wall second over the last ${windowSeconds} s` },
      market_messages_total: { kind: 'counter', value: marketMessages, help: 'market-data messages applied (md.*.*.book|trades|ticker)' },
    };
    for (const [status, count] of this.endedByStatus) metrics[`executions_${status}_total`] = { kind: 'counter', value: count, help: `executions ended ${status}` };
    for (const [worker, count] of this.startedByWorker) {
      metrics[`worker_${worker}_executions_total`] = { kind: 'counter', value: count, help: `executions worker ${worker} started` };
      let working = 0;
      for (const owner of this.working.values()) if (owner === worker) working++;
      metrics[`worker_${worker}_working`] = { kind: 'gauge', value: working, help: `executions working on worker ${worker}` };
    }
    return metrics;
  }

  private trim(second: number): void {
    const oldest = second - EVENT_RATE_WINDOW_MS / 1_000;
    for (const key of this.perSecond.keys()) if (key <= oldest) this.perSecond.delete(key);
  }
}
