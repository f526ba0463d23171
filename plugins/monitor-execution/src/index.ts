/**
 * The execution monitor: live progress of every running execution against its
 * schedule and end time, with `stalled` and `deadline-at-risk` alerts on its own stream
 * and as `alert` execution events.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { ExecutionMonitorConfig, ExecutionMonitorConfigSchema } from './execution-monitor-config.schema.js';
import { monitorExecutionModule } from './monitor-execution-module.js';

export { ExecutionMonitor, EXECUTION_ALERT_KINDS } from './execution-monitor.js';
export type { ExecutionProgress, EndTimeSource } from './execution-progress.js';
export { readExecutionWindow, type ExecutionWindow } from './execution-window.js';
export { assessDeadline, isStalled, recentFillRate, type DeadlineAssessment } from './alert-rules.js';
export { ExecutionMonitorConfig, ExecutionMonitorConfigSchema, type ExecutionMonitorConfigInput } from './execution-monitor-config.schema.js';
export { monitorExecutionModule } from './monitor-execution-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `ExecutionMonitor` as a `MetricCollector`; config section `monitor-execution`. */
const monitorExecutionPlugin = definePlugin<ExecutionMonitorConfig>({
  name: 'monitor-execution',
  version: VERSION,
  description: 'Live progress of running executions against schedule and end time, with stalled and deadline-at-risk alerts',
  configSchema: ExecutionMonitorConfigSchema,
  configToken: ExecutionMonitorConfig,
  module: monitorExecutionModule,
});
export default monitorExecutionPlugin;
