import type { MetricSnapshot, MetricValue } from '@tranche/core';

/** A Prometheus metric type. */
export type PrometheusType = 'counter' | 'gauge' | 'histogram';

/** One exposition line: a sample name (the family's, or `_bucket`/`_sum`/`_count`), labels and value. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One metric family: `# HELP`, `# TYPE` and its samples. */
export interface PrometheusFamily {
  name: string;
  help: string;
  type: PrometheusType;
  samples: PrometheusSample[];
}

/** A collector's snapshot, as the exporter reads it. */
export interface CollectorSnapshot {
  collector: string;
  snapshot: MetricSnapshot;
}

/** A metric name with its unit converted to the base unit, and the factor the values take. */
export interface BaseUnitName {
  name: string;
  scale: number;
}

/** Time units in snapshot names and their factor to seconds (Prometheus base unit). */
const TIME_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, sec: 1, seconds: 1 };

/**
 * Rewrites a snapshot name in Prometheus conventions: invalid characters to `_`, a time
 * unit segment (`_us`, `_ms`) to `_seconds` with the factor its values take
 * (`decision_latency_us` → `decision_latency_seconds` × 1e-6; `time_to_complete_ms_mean`
 * → `time_to_complete_seconds_mean`). `_bps`, `_ratio`, `_per_second` stay.
 */
export function toBaseUnitName(name: string): BaseUnitName {
  const clean = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([0-9])/, '_$1');
  let scale = 1;
  const segments = clean.split('_').map((segment, index) => {
    const factor = index > 0 && scale === 1 ? TIME_UNITS[segment] : undefined;
    if (factor === undefined || segment === 'seconds') return segment;
    scale = factor;
    return 'seconds';
  });
  return { name: segments.join('_'), scale };
}

/** Splits a snapshot key `name{a="x",b="y"}` into its name and (unescaped) labels. */
export function parseMetricKey(key: string): { name: string; labels: Record<string, string> } {
  const brace = key.indexOf('{');
  if (brace < 0 || !key.endsWith('}')) return { name: key, labels: {} };
  const labels: Record<string, string> = {};
  const body = key.slice(brace + 1, -1);
  const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;
  let match: RegExpExecArray | null;
  while ((match = pair.exec(body)) !== null) {
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return { name: key.slice(0, brace), labels };
}

/** Rounds away binary noise from a unit conversion (0.000099999999 → 0.0001). */
function scaled(value: number, scale: number): number {
  return scale === 1 ? value : Number((value * scale).toPrecision(12));
}

/**
 * Maps collectors' snapshots to Prometheus families: `prefix` + snake_case names in
 * base units (see `toBaseUnitName`), counters ending in `_total`, each sample labelled
 * with its collector (`collector="metrics-collector"`) besides its own labels,
 * histograms as cumulative `_bucket{le}` (plus `+Inf`), `_sum` and `_count`. A name two
 * collectors export as different kinds keeps the first kind; the later one is exported
 * under `<name>_<kind>` so nothing is dropped. Families come out sorted by name.
 */
export function toPrometheusFamilies(snapshots: readonly CollectorSnapshot[], prefix: string): PrometheusFamily[] {
  const families = new Map<string, PrometheusFamily>();
  for (const { collector, snapshot } of snapshots) {
    for (const [key, value] of Object.entries(snapshot)) {
      const parsed = parseMetricKey(key);
      const unit = toBaseUnitName(parsed.name);
      let name = `${prefix}${unit.name}`;
      if (value.kind === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
      while (value.kind !== 'counter' && name.endsWith('_total')) name = name.slice(0, -'_total'.length);
      let family = families.get(name);
      if (family && family.type !== value.kind) {
        name = `${name}_${value.kind}`;
        family = families.get(name);
      }
      if (!family) {
        family = { name, help: helpOf(value.help ?? `${parsed.name} (${collector})`, unit.scale), type: value.kind, samples: [] };
        families.set(name, family);
      }
      const labels = { ...sanitizeLabels(parsed.labels), collector };
      family.samples.push(...samplesOf(name, value, labels, unit.scale));
    }
  }
  return [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A help text in the exported unit: a converted metric's trailing `, µs` / `, ms` becomes `, seconds`. */
function helpOf(help: string, scale: number): string {
  if (scale === 1) return help;
  const stripped = help.replace(/,?\s*(?:µs|us|ms|ns)\.?$/, '');
  return `${stripped}, seconds`;
}

function sanitizeLabels(labels: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  // `le` and `quantile` have meanings in the exposition format: keep a snapshot's own under another name.
  for (const [key, value] of Object.entries(labels)) result[key === 'le' || key === 'quantile' ? `${key}_label` : key] = value;
  return result;
}

function samplesOf(name: string, value: MetricValue, labels: Record<string, string>, scale: number): PrometheusSample[] {
  if (value.kind !== 'histogram') return [{ name, labels, value: scaled(value.value, scale) }];
  const samples: PrometheusSample[] = value.buckets.map((bucket) => ({ name: `${name}_bucket`, labels: { ...labels, le: formatLe(scaled(bucket.le, scale)) }, value: bucket.count }));
  samples.push({ name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: value.count });
  samples.push({ name: `${name}_sum`, labels, value: scaled(value.sum, scale) });
  samples.push({ name: `${name}_count`, labels, value: value.count });
  return samples;
}

function formatLe(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : '-Inf';
}
