import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricRegistry, metricKey, type MetricSnapshot } from '@tranche/core';
import { parseMetricKey, toBaseUnitName, toPrometheusFamilies } from './snapshot-mapping.js';

describe('toBaseUnitName', () => {
  it('converts time units to seconds with their factor and leaves other units alone', () => {
    expect(toBaseUnitName('decision_latency_us')).toEqual({ name: 'decision_latency_seconds', scale: 1e-6 });
    expect(toBaseUnitName('order_ack_latency_ms')).toEqual({ name: 'order_ack_latency_seconds', scale: 1e-3 });
    expect(toBaseUnitName('order_ack_latency_wall_us')).toEqual({ name: 'order_ack_latency_wall_seconds', scale: 1e-6 });
    expect(toBaseUnitName('quality_time_to_complete_ms_mean')).toEqual({ name: 'quality_time_to_complete_seconds_mean', scale: 1e-3 });
    expect(toBaseUnitName('decision_latency_us_p99')).toEqual({ name: 'decision_latency_seconds_p99', scale: 1e-6 });
    for (const name of ['quality_vwap_slippage_bps_mean', 'execution_filled_ratio', 'market_events_per_second', 'fills_total', 'working_orders']) {
      expect(toBaseUnitName(name)).toEqual({ name, scale: 1 });
    }
    expect(toBaseUnitName('weird-name.x')).toEqual({ name: 'weird_name_x', scale: 1 });
  });
});

describe('parseMetricKey', () => {
  it('is the inverse of core’s metricKey, escapes included', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
        fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.string({ maxLength: 12 }), { maxKeys: 4 }),
        (name, labels) => {
          expect(parseMetricKey(metricKey(name, labels))).toEqual({ name, labels });
        },
      ),
    );
  });
});

describe('toPrometheusFamilies', () => {
  it('maps counters, gauges and histograms with prefix, base units, _total and the collector label', () => {
    const registry = new MetricRegistry();
    registry.counter('venue_errors_total', { kind: 'rate-limited' }, 'failed venue calls').inc(3);
    registry.counter('decisions', { trigger: 'other' }).inc(2);
    registry.gauge('working_orders', undefined, 'child orders working').set(4);
    const latency = registry.histogram('decision_latency_us', [10, 100, 1_000], { help: 'decision latency, µs', quantiles: false });
    for (const value of [5, 50, 50, 500, 5_000]) latency.observe(value);
    const families = toPrometheusFamilies([{ collector: 'metrics-collector', snapshot: registry.snapshot() }], 'tranche_');
    expect(families.map((family) => [family.name, family.type])).toEqual([
      ['tranche_decision_latency_seconds', 'histogram'],
      ['tranche_decisions_total', 'counter'],
      ['tranche_venue_errors_total', 'counter'],
      ['tranche_working_orders', 'gauge'],
    ]);
    const byName = new Map(families.map((family) => [family.name, family]));
    expect(byName.get('tranche_venue_errors_total')!.samples).toEqual([{ name: 'tranche_venue_errors_total', labels: { kind: 'rate-limited', collector: 'metrics-collector' }, value: 3 }]);
    expect(byName.get('tranche_venue_errors_total')!.help).toBe('failed venue calls');
    expect(byName.get('tranche_decision_latency_seconds')!.help).toBe('decision latency, seconds');
    const histogram = byName.get('tranche_decision_latency_seconds')!.samples;
    expect(histogram.map((sample) => [sample.name, sample.labels['le'], sample.value])).toEqual([
      ['tranche_decision_latency_seconds_bucket', '0.00001', 1],
      ['tranche_decision_latency_seconds_bucket', '0.0001', 3],
      ['tranche_decision_latency_seconds_bucket', '0.001', 4],
      ['tranche_decision_latency_seconds_bucket', '+Inf', 5],
      ['tranche_decision_latency_seconds_sum', undefined, 0.005605],
      ['tranche_decision_latency_seconds_count', undefined, 5],
    ]);
  });

  it('keeps a name two collectors export: one family, told apart by the collector label; a kind clash gets its own family', () => {
    const a: MetricSnapshot = { executions_active: { kind: 'gauge', value: 2 }, shared: { kind: 'counter', value: 1 } };
    const b: MetricSnapshot = { executions_active: { kind: 'gauge', value: 5 }, shared: { kind: 'gauge', value: 7 } };
    const families = toPrometheusFamilies([{ collector: 'a', snapshot: a }, { collector: 'b', snapshot: b }], 'x_');
    expect(families.find((family) => family.name === 'x_executions_active')!.samples.map((sample) => [sample.labels['collector'], sample.value])).toEqual([['a', 2], ['b', 5]]);
    expect(families.find((family) => family.name === 'x_shared_total')!.type).toBe('counter');
    expect(families.find((family) => family.name === 'x_shared')!.samples[0]!.value).toBe(7);
  });

  it('invariants: valid names, counters end in _total and nothing else does, buckets cumulative up to the count', () => {
    const value = fc.oneof(
      fc.record({ kind: fc.constant('counter' as const), value: fc.nat() }),
      fc.record({ kind: fc.constant('gauge' as const), value: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 30 }).map((observations) => {
        const registry = new MetricRegistry();
        const histogram = registry.histogram('h', [1, 10, 100, 1_000], { quantiles: false });
        for (const observation of observations) histogram.observe(observation);
        return registry.snapshot()['h']!;
      }),
    );
    const key = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]*(_(ms|us|bps|total|ratio|[a-z]+))*$/), fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,6}$/), fc.string({ maxLength: 6 }), { maxKeys: 2 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        const snapshot: MetricSnapshot = {};
        for (const [[name, labels], metric] of entries) snapshot[metricKey(name, labels)] = metric;
        for (const family of toPrometheusFamilies([{ collector: 'c', snapshot }], 'tranche_')) {
          expect(family.name).toMatch(/^tranche_[a-zA-Z0-9_:]+$/);
          expect(family.name.endsWith('_total')).toBe(family.type === 'counter');
          for (const sample of family.samples) expect(sample.labels['collector']).toBe('c');
          if (family.type !== 'histogram') continue;
          const buckets = family.samples.filter((sample) => sample.name.endsWith('_bucket'));
          const count = family.samples.find((sample) => sample.name.endsWith('_count'))!;
          for (let index = 1; index < buckets.length; index++) {
            if (buckets[index]!.labels['le'] === '+Inf') expect(buckets[index]!.value).toBe(count.value);
          }
          const infs = buckets.filter((sample) => sample.labels['le'] === '+Inf');
          expect(infs.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
