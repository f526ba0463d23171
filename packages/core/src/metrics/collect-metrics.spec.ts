import { describe, expect, it } from 'vitest';
import type { MetricCollector } from '../contracts/metric-collector.js';
import { collectMetrics } from './collect-metrics.js';

describe('collectMetrics', () => {
  it('merges collectors and labels a key exported twice with the later collector id', () => {
    const collector = (id: string, value: number): MetricCollector => ({
      id,
      snapshot: () => ({ events_total: { kind: 'counter', value }, [`only_${id}`]: { kind: 'gauge', value }, 'lat{kind="x"}': { kind: 'gauge', value } }),
    });
    const merged = collectMetrics([collector('a', 1), collector('b', 2)]);
    expect(merged).toEqual({
      events_total: { kind: 'counter', value: 1 },
      'events_total{collector="b"}': { kind: 'counter', value: 2 },
      only_a: { kind: 'gauge', value: 1 },
      only_b: { kind: 'gauge', value: 2 },
      'lat{kind="x"}': { kind: 'gauge', value: 1 },
      'lat{collector="b",kind="x"}': { kind: 'gauge', value: 2 },
    });
  });
});
