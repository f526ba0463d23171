import { describe, expect, it } from 'vitest';
import { metricKey } from './metric-key.js';
import { MetricRegistry } from './metric-registry.js';

describe('metricKey', () => {
  it('writes labels in Prometheus syntax, sorted and escaped', () => {
    expect(metricKey('events_total')).toBe('events_total');
    expect(metricKey('events_total', {})).toBe('events_total');
    expect(metricKey('errors_total', { venue: 'x', kind: 'rate-limited' })).toBe('errors_total{kind="rate-limited",venue="x"}');
    expect(metricKey('m', { note: 'a "b"\\c\nd' })).toBe('m{note="a \\"b\\"\\\\c\\nd"}');
    expect(() => metricKey('m', { 'bad-label': 1 })).toThrow(/label name/);
  });
});

describe('MetricRegistry', () => {
  it('keeps counters, gauges, computed gauges and histograms by name and labels', () => {
    const registry = new MetricRegistry();
    registry.counter('errors_total', { kind: 'timeout-ambiguous' }, 'venue errors').inc();
    registry.counter('errors_total', { kind: 'timeout-ambiguous' }).inc(2);
    registry.counter('errors_total', { kind: 'rate-limited' }).inc();
    const working = registry.gauge('working_orders');
    working.set(3);
    working.dec();
    let queue = 7;
    registry.computedGauge('queue_depth', () => queue);
    const latency = registry.histogram('latency_us', [10, 100], { help: 'latency' });
    latency.observe(5);
    latency.observe(50);
    queue = 8;
    const snapshot = registry.snapshot();
    expect(snapshot['errors_total{kind="timeout-ambiguous"}']).toEqual({ kind: 'counter', value: 3, help: 'venue errors' });
    expect(snapshot['errors_total{kind="rate-limited"}']).toEqual({ kind: 'counter', value: 1 });
    expect(snapshot['working_orders']).toEqual({ kind: 'gauge', value: 2 });
    expect(snapshot['queue_depth']).toEqual({ kind: 'gauge', value: 8 });
    expect(snapshot['latency_us']).toMatchObject({ kind: 'histogram', count: 2, sum: 55 });
    expect(snapshot['latency_us_p50']).toEqual({ kind: 'gauge', value: 10 });
    expect(snapshot['latency_us_max']).toEqual({ kind: 'gauge', value: 50 });
    expect(Object.keys(snapshot)).toContain('latency_us_p999');
  });

  it('returns the same histogram for the same name and labels, and refuses a name of two kinds', () => {
    const registry = new MetricRegistry();
    expect(registry.histogram('h', [1], { labels: { a: 1 } })).toBe(registry.histogram('h', [1], { labels: { a: 1 } }));
    expect(registry.counter('n', { a: 1 })).toBe(registry.counter('n', { a: 1 }));
    expect(registry.gauge('g')).toBe(registry.gauge('g'));
    registry.counter('c');
    expect(() => registry.gauge('c')).toThrow(/is a counter/);
    expect(() => registry.gauge('c', { other: 'label' })).toThrow(/is a counter/);
    expect(() => registry.counter('Bad-Name')).toThrow(/snake_case/);
    expect(() => registry.counter('c').inc(-1)).toThrow(/cannot go down/);
  });
});
