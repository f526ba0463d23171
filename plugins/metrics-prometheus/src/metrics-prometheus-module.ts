import { ContainerModule } from 'inversify';
import { MetricCollector } from '@tranche/core';
import { ExecutionFlowCollector } from './execution-flow-collector.js';
import { MetricSources, PrometheusExporter } from './prometheus-exporter.js';

/**
 * Bindings of the metrics-prometheus plugin: the `ExecutionFlowCollector` and the
 * `PrometheusExporter`, each to itself (one per container) and as a multi-bound
 * `MetricCollector`; `MetricSources` reads every bound collector at scrape time.
 */
export const metricsPrometheusModule = new ContainerModule(({ bind }) => {
  bind(ExecutionFlowCollector).toSelf().inSingletonScope();
  bind(MetricCollector).toService(ExecutionFlowCollector);
  bind(PrometheusExporter).toSelf().inSingletonScope();
  bind(MetricCollector).toService(PrometheusExporter);
  bind(MetricSources)
    .toDynamicValue((context) => ({ collectors: () => context.getAll<MetricCollector>(MetricCollector) }))
    .inSingletonScope();
});
