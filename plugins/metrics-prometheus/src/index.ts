/**
 * The Prometheus exporter of Tranche: every `MetricCollector`'s snapshot (performance,
 * quality, execution monitor, and this package's order-flow collector labelled by
 * symbol, side, strategy and market state) on `GET /metrics` in the text exposition
 * format, with `tranche_` names in base units, plus `GET /healthz`.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { metricsPrometheusModule } from './metrics-prometheus-module.js';
import { PrometheusExporterConfig, PrometheusExporterConfigSchema } from './prometheus-exporter-config.schema.js';

export { ExecutionFlowCollector } from './execution-flow-collector.js';
export { parseExposition, type ParsedExposition, type ParsedSample } from './parse-exposition.js';
export { MetricsServer, type Exposition, type MetricsServerOptions } from './metrics-server.js';
export { MetricSources, PrometheusExporter } from './prometheus-exporter.js';
export { PrometheusExporterConfig, PrometheusExporterConfigSchema } from './prometheus-exporter-config.schema.js';
export {
  parseMetricKey,
  toBaseUnitName,
  toPrometheusFamilies,
  type BaseUnitName,
  type CollectorSnapshot,
  type PrometheusFamily,
  type PrometheusSample,
  type PrometheusType,
} from './snapshot-mapping.js';
export { metricsPrometheusModule } from './metrics-prometheus-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds the exporter and the order-flow collector; config section `metrics-prometheus`. */
const metricsPrometheusPlugin = definePlugin<PrometheusExporterConfig>({
  name: 'metrics-prometheus',
  version: VERSION,
  description: 'Every metric collector on /metrics for Prometheus (prom-client), plus order flow by symbol, side and strategy',
  configSchema: PrometheusExporterConfigSchema,
  configToken: PrometheusExporterConfig,
  module: metricsPrometheusModule,
});
export default metricsPrometheusPlugin;
