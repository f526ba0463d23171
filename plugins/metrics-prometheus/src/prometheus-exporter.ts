import { inject, injectable } from 'inversify';
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { Logger, MetricRegistry, type MetricCollector, type MetricSnapshot } from '@tranche/core';
import { MetricsServer, type Exposition } from './metrics-server.js';
import { PrometheusExporterConfig } from './prometheus-exporter-config.schema.js';
import { toPrometheusFamilies, type PrometheusFamily } from './snapshot-mapping.js';

/** The installed collectors, read at each scrape (a lazy look-up: the exporter is one of them). */
export interface MetricSources {
  collectors(): readonly MetricCollector[];
}
/** Token of the `MetricSources` the exporter reads. */
export const MetricSources = Symbol.for('tranche.metrics-prometheus.MetricSources');

/**
 * Exposes every bound `MetricCollector` on `/metrics` in the Prometheus text format: on
 * each scrape it reads their snapshots and maps them (see `toPrometheusFamilies`) into a
 * prom-client `Registry`, merged with prom-client's process metrics when
 * `defaultMetrics` is on. It is a `MetricCollector` itself (id `metrics-prometheus`) so
 * that the engine starts it (`initialize()` opens the port, before market data flows)
 * and the app's close stops it; its own snapshot counts scrapes.
 */
@injectable()
export class PrometheusExporter implements MetricCollector {
  /** Collector id. */
  readonly id = 'metrics-prometheus';
  private readonly own = new MetricRegistry();
  private readonly server: MetricsServer;
  private readonly logger: Logger;
  private defaultRegistry?: Registry;

  constructor(
    @inject(PrometheusExporterConfig) private readonly config: PrometheusExporterConfig,
    @inject(MetricSources) private readonly sources: MetricSources,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'metrics-prometheus' });
    this.server = new MetricsServer({ host: config.host, port: config.port, path: config.path, scrape: () => this.scrape() });
  }

  /** Opens the HTTP port (rejects when it is in use). */
  async initialize(): Promise<void> {
    if (this.config.defaultMetrics && !this.defaultRegistry) {
      this.defaultRegistry = new Registry();
      collectDefaultMetrics({ register: this.defaultRegistry, prefix: this.config.prefix });
    }
    await this.server.start();
    const address = this.server.address()!;
    this.logger.info('prometheus metrics exposed', { url: `http://${address.host}:${address.port}${this.config.path}` });
  }

  /** Where the server listens (the real port when configured with 0). */
  address(): { host: string; port: number } | undefined {
    return this.server.address();
  }

  /** The URL of the exposition, once started. */
  url(): string | undefined {
    const address = this.server.address();
    if (!address) return undefined;
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    return `http://${host}:${address.port}${this.config.path}`;
  }

  /** The families of the current snapshots (what a scrape exposes, before the process metrics). */
  families(): PrometheusFamily[] {
    const snapshots = this.sources.collectors().map((collector) => ({ collector: collector.id, snapshot: collector.snapshot() }));
    return toPrometheusFamilies(snapshots, this.config.prefix);
  }

  /** One scrape: the exposition text and its content type. */
  async scrape(): Promise<Exposition> {
    this.own.counter('exporter_scrapes_total', undefined, 'scrapes of the Prometheus exporter').inc();
    const registry = new Registry();
    for (const family of this.families()) registry.registerMetric(asPromMetric(family));
    const merged = this.defaultRegistry ? Registry.merge([registry, this.defaultRegistry]) : registry;
    return { contentType: merged.contentType, body: await merged.metrics() };
  }

  snapshot(): MetricSnapshot {
    return this.own.snapshot();
  }

  /** Stops the HTTP server. */
  async close(): Promise<void> {
    await this.server.close();
  }
}

/** A family as a prom-client metric (prom-client formats and escapes the exposition). */
function asPromMetric(family: PrometheusFamily): Metric {
  const values = family.samples.map((sample) => ({ value: sample.value, labels: sample.labels, ...(sample.name === family.name ? {} : { metricName: sample.name }) }));
  const metric = {
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum',
    get: () => Promise.resolve({ name: family.name, help: family.help, type: family.type, values, aggregator: 'sum' }),
  };
  return metric as unknown as Metric;
}
