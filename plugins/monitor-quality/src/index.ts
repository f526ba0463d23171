/**
 * The execution-quality monitor: transaction-cost analysis of every execution
 * (implementation shortfall, VWAP slippage, spread, impact, fees, participation,
 * markouts), aggregated by strategy × market state × order-size bucket and saved to the
 * execution history.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { monitorQualityModule } from './monitor-quality-module.js';
import { QualityMonitorConfig, QualityMonitorConfigSchema } from './quality-monitor-config.schema.js';

export { ExecutionQualityMonitor } from './execution-quality-monitor.js';
export { buildQualityRecord, type QualityRecordInput } from './build-quality-record.js';
export {
  AGGREGATED_QUALITY_FIELDS,
  UNKNOWN_MARKET_STATE,
  aggregateQuality,
  type AggregatedQualityField,
  type QualityAggregate,
  type QualityStat,
} from './aggregate-quality.js';
export * from './quality-formulas.js';
export { QualityMonitorConfig, QualityMonitorConfigSchema, type QualityMonitorConfigInput } from './quality-monitor-config.schema.js';
export { monitorQualityModule } from './monitor-quality-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `ExecutionQualityMonitor` as a `MetricCollector`; config section `monitor-quality`. */
const monitorQualityPlugin = definePlugin<QualityMonitorConfig>({
  name: 'monitor-quality',
  version: VERSION,
  description: 'Transaction-cost analysis of every execution, aggregated by strategy, market state and order size',
  configSchema: QualityMonitorConfigSchema,
  configToken: QualityMonitorConfig,
  module: monitorQualityModule,
});
export default monitorQualityPlugin;
