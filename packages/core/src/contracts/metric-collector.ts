import type { ExecutionAlert, ExecutionEvent } from '../model/execution.schema.js';
import type { MarketEvent } from '../model/market.schema.js';

/** A named metric value: a counter, a gauge or a histogram summary. */
export type MetricValue =
  | { kind: 'counter'; value: number; help?: string }
  | { kind: 'gauge'; value: number; help?: string }
  | { kind: 'histogram'; count: number; sum: number; buckets: Array<{ le: number; count: number }>; help?: string };

/** Metrics by name (snake_case, units in the name: `decision_latency_us`). */
export type MetricSnapshot = Record<string, MetricValue>;

/** Publishes an alert about a running execution as an execution event (see `MetricCollector.attach`). */
export type ExecutionAlertEmitter = (alert: ExecutionAlert) => void;

/**
 * Receives execution and market events and exposes metrics. Multi-bound: every
 * installed collector sees every event.
 */
export interface MetricCollector {
  readonly id: string;
  onExecutionEvent?(event: ExecutionEvent): void;
  onMarketEvent?(event: MarketEvent): void;
  snapshot(): MetricSnapshot;
  /**
   * Called once by the engine when it is created: `emit` publishes an `alert` about a
   * running execution as an execution event (on `events$`, to every collector). Alerts
   * about executions that are not running, and invalid ones, are dropped (logged).
   */
  attach?(emit: ExecutionAlertEmitter): void;
  /**
   * Start-up with I/O (an exporter opens its port); called once by
   * `ExecutionManager.initialize()` before the data source starts. A rejection fails the
   * initialization.
   */
  initialize?(): Promise<void>;
  /**
   * Releases what the collector holds (timers, subscriptions, a port). `Tranche.close()`
   * closes the manager only: whoever composed the app closes the collectors after it (the
   * runner does, for every collector). Should be safe to call twice.
   */
  close?(): void | Promise<void>;
}
/** Token of the `MetricCollector` contract. */
export const MetricCollector = Symbol.for('tranche.MetricCollector');
