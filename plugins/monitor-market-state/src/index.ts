/**
 * The market-state monitor: per-symbol market state from rolling-window features and
 * the installed `MarketStateClassifier`s (by priority), with hysteresis, published as
 * the engine's `MarketStateProvider` so strategies see it on `ctx.state$`.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { monitorMarketStateModule } from './monitor-market-state-module.js';
import { MarketStateMonitorConfig, MarketStateMonitorConfigSchema } from './monitor-config.schema.js';

export { MarketStateMonitor, type MonitoredMarketState, type MarketStateChange } from './market-state-monitor.js';
export { ClassifierPriority, DEFAULT_CLASSIFIER_ID, type ClassifierPriorityOptions, type PrioritizedVerdict } from './classifier-priority.js';
export {
  MarketStateMonitorConfig,
  MarketStateMonitorConfigSchema,
  type MarketStateMonitorConfigInput,
} from './monitor-config.schema.js';
export { monitorMarketStateModule } from './monitor-market-state-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `MarketStateMonitor` as the `MarketStateProvider`; config section `monitor-market-state`. */
const monitorMarketStatePlugin = definePlugin<MarketStateMonitorConfig>({
  name: 'monitor-market-state',
  version: VERSION,
  description: 'Per-symbol market state from rolling features and the installed classifiers, with hysteresis',
  configSchema: MarketStateMonitorConfigSchema,
  configToken: MarketStateMonitorConfig,
  module: monitorMarketStateModule,
});
export default monitorMarketStatePlugin;
