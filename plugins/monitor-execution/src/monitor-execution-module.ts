import { ContainerModule } from 'inversify';
import { MetricCollector } from '@tranche/core';
import { ExecutionMonitor } from './execution-monitor.js';

/**
 * Bindings of the monitor-execution plugin: `ExecutionMonitor` to itself (one per
 * container) and as one of the multi-bound `MetricCollector`s, so an adopter can
 * `rebind(ExecutionMonitor)` alone.
 */
export const monitorExecutionModule = new ContainerModule(({ bind }) => {
  bind(ExecutionMonitor).toSelf().inSingletonScope();
  bind(MetricCollector).toService(ExecutionMonitor);
});
