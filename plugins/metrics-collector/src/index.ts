/**
 * The performance metrics collector: events per second, decision and order
 * acknowledgement latency histograms, venue errors by kind, retries and queue depths.
 * Collectors are pluggable: every `MetricCollector` bound in the container sees every
 * event, and `collectMetrics` (from `@tranche/core`) merges their snapshots.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { metricsCollectorModule } from './metrics-collector-module.js';
import { PerformanceMetricsConfig, PerformanceMetricsConfigSchema } from './metrics-collector-config.schema.js';

export { PerformanceMetricsCollector } from './performance-metrics-collector.js';
export {
  DEFAULT_ACK_LATENCY_BOUNDS_MS,
  DEFAULT_ACK_LATENCY_WALL_BOUNDS_US,
  DEFAULT_DECISION_LATENCY_BOUNDS_US,
  PerformanceMetricsConfig,
  PerformanceMetricsConfigSchema,
  type PerformanceMetricsConfigInput,
} from './metrics-collector-config.schema.js';
export { metricsCollectorModule } from './metrics-collector-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `PerformanceMetricsCollector` as a `MetricCollector`; config section `metrics-collector`. */
const metricsCollectorPlugin = definePlugin<PerformanceMetricsConfig>({
  name: 'metrics-collector',
  version: VERSION,
  description: 'Events per second, decision and acknowledgement latency histograms, venue errors, retries and queue depths',
  configSchema: PerformanceMetricsConfigSchema,
  configToken: PerformanceMetricsConfig,
  module: metricsCollectorModule,
});
export default metricsCollectorPlugin;
