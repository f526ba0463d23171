import type { ExecutionEvent } from '../model/execution.schema.js';
import type { MarketEvent } from '../model/market.schema.js';

/** A named metric value: a counter, a gauge or a histogram summary. */
export type MetricValue =
  | { kind: 'counter'; value: number; help?: string }
  | { kind: 'gauge'; value: number; help?: string }
  | { kind: 'histogram'; count: number; sum: number; buckets: Array<{ le: number; count: number }>; help?: string };

/** Metrics by name (snake_case, units in the name: `decision_latency_us`). */
export type MetricSnapshot = Record<string, MetricValue>;

/**
 * Receives execution and market events and exposes metrics. Multi-bound: every
 * installed collector sees every event.
 */
export interface MetricCollector {
  readonly id: string;
  onExecutionEvent?(event: ExecutionEvent): void;
  onMarketEvent?(event: MarketEvent): void;
  snapshot(): MetricSnapshot;
}
/** Token of the `MetricCollector` contract. */
export const MetricCollector = Symbol.for('tranche.MetricCollector');
