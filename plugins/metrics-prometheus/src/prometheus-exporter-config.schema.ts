import { z } from 'zod';

/** The `metrics-prometheus` config section. Strict: unknown keys are errors; every key has a default. */
export const PrometheusExporterConfigSchema = z
  .object({
    /** Interface the HTTP server binds (default loopback only; `0.0.0.0` to expose it). */
    host: z.string().min(1).default('127.0.0.1').describe('Interface the HTTP server binds (default loopback only; 0.0.0.0 to expose it).'),
    /** TCP port (default 9464, the exporter port Prometheus reserves for OpenTelemetry-style exporters; 0 picks a free one). */
    port: z.number().int().min(0).max(65_535).default(9_464).describe('TCP port (0 picks a free one).'),
    /** Path of the exposition (default `/metrics`). */
    path: z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, { error: 'must be an absolute URL path such as "/metrics"' }).default('/metrics').describe('Path of the exposition.'),
    /** Prefix of every metric name (default `tranche_`). */
    prefix: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'must be a valid Prometheus name prefix such as "tranche_"' }).default('tranche_').describe('Prefix of every metric name.'),
    /** Also export prom-client's process metrics (CPU, memory, event-loop lag, GC), with the same prefix. */
    defaultMetrics: z.boolean().default(false).describe('Also export prom-client\'s process metrics (CPU, memory, event-loop lag, GC), with the same prefix.'),
    /** Bucket upper bounds (bps) of the parent orders' slippage histograms. */
    slippageBoundsBps: z
      .array(z.number().finite())
      .min(1)
      .refine((bounds) => bounds.every((bound, index) => index === 0 || bound > bounds[index - 1]!), { error: 'must be strictly ascending' })
      .default([-100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100]).describe('Bucket upper bounds (bps) of the parent orders\' slippage histograms, strictly ascending.'),
  })
  .strict();
/** The parsed `metrics-prometheus` section. */
export type PrometheusExporterConfig = z.infer<typeof PrometheusExporterConfigSchema>;
/** Token of the parsed `metrics-prometheus` section. */
export const PrometheusExporterConfig = Symbol.for('tranche.plugin-config.metrics-prometheus');
