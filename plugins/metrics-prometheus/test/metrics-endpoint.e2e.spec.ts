import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricCollector, TrancheError } from '@tranche/core';
import { TestBench, testStrategies } from '@tranche/testkit';
import metricsPrometheusPlugin, { PrometheusExporter, parseExposition, parseMetricKey, toBaseUnitName, type ParsedSample } from '../src/index.js';

const benches: TestBench[] = [];
afterEach(async () => {
  for (const bench of benches.splice(0)) {
    await bench.close();
    await bench.tranche.get(PrometheusExporter).close();
  }
});

async function bench(config: Record<string, unknown> = {}): Promise<TestBench> {
  const created = await TestBench.create({ plugins: [testStrategies(), metricsPrometheusPlugin], config: { 'metrics-prometheus': { port: 0, ...config } } });
  benches.push(created);
  return created;
}

function sum(samples: ParsedSample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)).reduce((total, sample) => total + sample.value, 0);
}

describe('GET /metrics', () => {
  it('after a paced execution in virtual time: the scrape parses and its figures are the report’s and the collectors’', async () => {
    const engine = await bench();
    const exporter = engine.tranche.get(PrometheusExporter);
    const report = await engine.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 2, params: { durationMs: 120_000, slices: 6 } });
    expect(report.fills.length).toBeGreaterThan(0);

    const response = await fetch(exporter.url()!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { types, samples } = parseExposition(await response.text());

    const labels = { symbol: 'BTC/USDT', side: 'buy', strategy: 'paced' };
    expect(types.get('tranche_fills_total')).toBe('counter');
    expect(sum(samples, 'tranche_fills_total', labels)).toBe(report.fills.length);
    expect(sum(samples, 'tranche_filled_quantity_base_total', { ...labels, base: 'BTC' })).toBeCloseTo(report.filledQuantity, 9);
    expect(sum(samples, 'tranche_filled_notional_quote_total', { ...labels, quote: 'USDT' })).toBeCloseTo(report.notional, 6);
    expect(sum(samples, 'tranche_fees_total', labels)).toBeCloseTo(report.fees, 9);
    expect(sum(samples, 'tranche_child_orders_total', labels)).toBe(report.childOrders.length);
    expect(sum(samples, 'tranche_parent_orders_ended_total', { ...labels, status: report.status })).toBe(1);
    expect(sum(samples, 'tranche_parent_orders_running', labels)).toBe(0);
    if (report.slippageBps !== null) {
      expect(sum(samples, 'tranche_parent_order_slippage_bps_sum', labels)).toBeCloseTo(report.slippageBps, 9);
      expect(sum(samples, 'tranche_parent_order_slippage_bps_count', labels)).toBe(1);
    }
    expect(types.get('tranche_parent_order_duration_seconds')).toBe('histogram');
    expect(sum(samples, 'tranche_parent_order_duration_seconds_sum', labels)).toBeCloseTo((report.endedAt - report.startedAt) / 1_000, 9);

    // Every counter of every bound collector is in the scrape, under its collector label, with its value.
    const collectors = engine.tranche.container.getAll<MetricCollector>(MetricCollector);
    expect(collectors.map((collector) => collector.id)).toEqual(expect.arrayContaining(['execution-flow', 'metrics-prometheus']));
    let checked = 0;
    for (const collector of collectors) {
      for (const [key, value] of Object.entries(collector.snapshot())) {
        if (value.kind !== 'counter' || key.startsWith('exporter_scrapes_total')) continue;
        const { name: base, labels: own } = parseMetricKey(key);
        const name = `tranche_${toBaseUnitName(base).name.replace(/(_total)?$/, '_total')}`;
        const found = samples.find((sample) => sample.name === name && sample.labels['collector'] === collector.id && Object.entries(own).every(([label, text]) => sample.labels[label] === text));
        expect(found?.value, `${collector.id} ${key}`).toBe(value.value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    // Counters end in _total and only counters do; every sample's family is typed.
    for (const [name, type] of types) expect(name.endsWith('_total'), name).toBe(type === 'counter');
    for (const sample of samples) expect(types.has(sample.name.replace(/_(bucket|sum|count)$/, '')) || types.has(sample.name), sample.name).toBe(true);
    expect(sum(samples, 'tranche_exporter_scrapes_total')).toBe(1);
  });

  it('serves /healthz, 404 elsewhere, 405 for a POST, HEAD without a body', async () => {
    const engine = await bench({ path: '/prom' });
    const { host, port } = engine.tranche.get(PrometheusExporter).address()!;
    const base = `http://${host}:${port}`;
    expect(host).toBe('127.0.0.1');
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/prom`, { method: 'POST' })).status).toBe(405);
    const head = await fetch(`${base}/prom`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base}/prom?x=1`)).status).toBe(200);
  });

  it('process metrics when asked, with the prefix', async () => {
    const engine = await bench({ defaultMetrics: true, prefix: 'desk_' });
    const { samples, types } = parseExposition(await (await fetch(engine.tranche.get(PrometheusExporter).url()!)).text());
    expect(types.get('desk_process_cpu_user_seconds_total')).toBe('counter');
    expect(samples.some((sample) => sample.name === 'desk_nodejs_heap_size_used_bytes')).toBe(true);
    expect([...types.keys()].every((name) => name.startsWith('desk_'))).toBe(true);
  });

  it('a port in use fails the initialization with an error naming the port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await bench({ port }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).message).toBe(`invalid config: metrics-prometheus port 127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('bad config is one validation error naming the key', async () => {
    await expect(bench({ port: 70_000 })).rejects.toThrow(/metrics-prometheus\.port must be .*65535.*got 70000/);
    await expect(bench({ path: 'metrics' })).rejects.toThrow(/metrics-prometheus\.path must be an absolute URL path/);
    await expect(bench({ listen: true })).rejects.toThrow(/unknown key "metrics-prometheus\.listen"/);
  });
});
