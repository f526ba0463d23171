import type { MetricCollector, MetricSnapshot } from '../contracts/metric-collector.js';

/**
 * One snapshot of every collector (what an exporter or `tranche metrics` shows). A key
 * that two collectors both export keeps the first collector's value under the plain key
 * and gets a `collector="<id>"` label for each later one, so nothing is lost silently.
 */
export function collectMetrics(collectors: readonly MetricCollector[]): MetricSnapshot {
  const merged: MetricSnapshot = {};
  for (const collector of collectors) {
    for (const [key, value] of Object.entries(collector.snapshot())) {
      merged[key in merged ? withCollectorLabel(key, collector.id) : key] = value;
    }
  }
  return merged;
}

function withCollectorLabel(key: string, id: string): string {
  const label = `collector="${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const brace = key.indexOf('{');
  return brace < 0 ? `${key}{${label}}` : `${key.slice(0, brace + 1)}${label},${key.slice(brace + 1)}`;
}
