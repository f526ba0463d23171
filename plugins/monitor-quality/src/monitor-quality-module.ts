import { ContainerModule } from 'inversify';
import { MetricCollector } from '@tranche/core';
import { ExecutionQualityMonitor } from './execution-quality-monitor.js';

/**
 * Bindings of the monitor-quality plugin: `ExecutionQualityMonitor` to itself (one per
 * container) and as one of the multi-bound `MetricCollector`s, so an adopter can
 * `rebind(ExecutionQualityMonitor)` alone.
 */
export const monitorQualityModule = new ContainerModule(({ bind }) => {
  bind(ExecutionQualityMonitor).toSelf().inSingletonScope();
  bind(MetricCollector).toService(ExecutionQualityMonitor);
});
