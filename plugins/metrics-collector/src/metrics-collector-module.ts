import { ContainerModule } from 'inversify';
import { MetricCollector } from '@tranche/core';
import { PerformanceMetricsCollector } from './performance-metrics-collector.js';

/**
 * Bindings of the metrics-collector plugin: `PerformanceMetricsCollector` to itself (one
 * per container) and as one of the multi-bound `MetricCollector`s. Users add their own
 * collectors the same way: `bind(MetricCollector).to(MyCollector)` in their plugin.
 */
export const metricsCollectorModule = new ContainerModule(({ bind }) => {
  bind(PerformanceMetricsCollector).toSelf().inSingletonScope();
  bind(MetricCollector).toService(PerformanceMetricsCollector);
});
