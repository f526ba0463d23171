import { TrancheError } from '../errors/tranche-error.js';

/** Label values of a metric (`{ kind: 'rate-limited' }`). */
export type MetricLabels = Readonly<Record<string, string | number>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The snapshot key of a metric with labels, in Prometheus text syntax with the labels
 * sorted: `venue_errors_total{kind="rate-limited"}`; just the name without labels.
 * Label values are escaped (`\\`, `"`, newline) so an exporter can copy the key as is.
 */
export function metricKey(name: string, labels?: MetricLabels): string {
  if (!labels) return name;
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  const parts = keys.map((key) => {
    if (!LABEL_NAME.test(key)) throw new TrancheError('internal', `invalid metric label name "${key}"`, { retryable: false });
    const value = String(labels[key]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    return `${key}="${value}"`;
  });
  return `${name}{${parts.join(',')}}`;
}
