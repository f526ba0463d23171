import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger, MetricCollector, type ExecutionReport, type Tranche } from '@tranche/core';
import { ExecutionQualityMonitor } from '@tranche/monitor-quality';
import { PrometheusExporter, parseExposition, parseMetricKey, toBaseUnitName, type ParsedExposition, type ParsedSample } from '@tranche/metrics-prometheus';
import { composeRunner } from '../src/compose.js';
import { parseMetricsPort } from '../src/metrics-port.js';

/**
 * The runner with `--metrics-port 0` (a free port) runs a TWAP on the bundled Binance data
 * in virtual time; `/metrics` is scraped over HTTP, parsed, and its figures are checked
 * against the execution report and every collector's own snapshot. The Grafana dashboard
 * in docs/ only queries metric names that a real scrape has.
 */

const DASHBOARD = join(import.meta.dirname, '..', '..', '..', 'docs', 'grafana', 'tranche-dashboard.json');
const twap = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 5 * 60_000, slices: 10, seed: 7, urgency: 'medium' } };

const apps: Tranche[] = [];
afterEach(async () => {
  for (const tranche of apps.splice(0)) await tranche.close();
});

async function compose(config: Record<string, unknown> = {}): Promise<{ tranche: Tranche; exporter: PrometheusExporter }> {
  const tranche = await composeRunner({ config: { 'journal-sqlite': { path: ':memory:' }, ...config }, speed: 'max', metricsPort: 0, logger: new MemoryLogger() });
  apps.push(tranche);
  await tranche.manager.initialize();
  return { tranche, exporter: tranche.get(PrometheusExporter) };
}

async function scrape(exporter: PrometheusExporter): Promise<ParsedExposition & { contentType: string | null }> {
  const response = await fetch(exporter.url()!);
  expect(response.status).toBe(200);
  return { ...parseExposition(await response.text()), contentType: response.headers.get('content-type') };
}

function total(samples: ParsedSample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)).reduce((sum, sample) => sum + sample.value, 0);
}

describe('tranche --metrics-port: /metrics scraped during a run on the bundled data', () => {
  it('a TWAP’s fills, quantity, notional, fees, slippage and child orders in the scrape equal its report; every collector counter is exported', async () => {
    const { tranche, exporter } = await compose();
    expect(exporter.address()!.port).toBeGreaterThan(0);
    const report: ExecutionReport = await tranche.manager.executeOrder(twap);
    expect(report.fills.length).toBeGreaterThan(0);
    const { samples, types, contentType } = await scrape(exporter);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');

    const labels = { symbol: 'BTC/USDT', side: 'buy', strategy: 'twap', collector: 'execution-flow' };
    expect(total(samples, 'tranche_fills_total', labels)).toBe(report.fills.length);
    expect(total(samples, 'tranche_fills_total', { ...labels, liquidity: 'maker' })).toBe(report.fills.filter((fill) => fill.liquidity === 'maker').length);
    expect(total(samples, 'tranche_filled_quantity_base_total', { ...labels, base: 'BTC' })).toBeCloseTo(report.filledQuantity, 9);
    expect(total(samples, 'tranche_filled_notional_quote_total', { ...labels, quote: 'USDT' })).toBeCloseTo(report.notional, 4);
    expect(total(samples, 'tranche_fees_total', { ...labels, currency: report.feeCurrency })).toBeCloseTo(report.fees, 9);
    expect(total(samples, 'tranche_child_orders_total', labels)).toBe(report.childOrders.length);
    expect(total(samples, 'tranche_parent_orders_ended_total', { ...labels, status: report.status })).toBe(1);
    expect(total(samples, 'tranche_parent_order_slippage_bps_sum', labels)).toBeCloseTo(report.slippageBps!, 9);
    expect(total(samples, 'tranche_parent_order_vwap_slippage_bps_sum', labels)).toBeCloseTo(report.vwapSlippageBps!, 9);
    expect(total(samples, 'tranche_parent_order_duration_seconds_sum', labels)).toBeCloseTo((report.endedAt - report.startedAt) / 1_000, 9);
    // The market state at the start labels the per-order histograms (the regime monitor runs in the default set).
    const slippageCount = samples.find((sample) => sample.name === 'tranche_parent_order_slippage_bps_count' && sample.labels['strategy'] === 'twap')!;
    expect(slippageCount.labels['market_state']).toMatch(/^[a-z-]+$/);
    // The execution monitor and the performance collector agree with the report.
    expect(total(samples, 'tranche_execution_events_total', { type: 'fill', collector: 'metrics-collector' })).toBe(report.fills.length);
    expect(total(samples, 'tranche_executions_ended_total', { status: report.status, collector: 'monitor-execution' })).toBe(1);
    expect(total(samples, 'tranche_executions_active', { collector: 'monitor-execution' })).toBe(0);
    expect(types.get('tranche_decision_latency_seconds')).toBe('histogram');
    // Each child order was one decision (a TWAP decides on its schedule's timers, so none is timed from a market event).
    expect(total(samples, 'tranche_decisions_total', { collector: 'metrics-collector' })).toBe(report.childOrders.length);

    // Every counter of every collector, in the scrape under its collector label with its value.
    let checked = 0;
    for (const collector of tranche.container.getAll<MetricCollector>(MetricCollector)) {
      for (const [key, value] of Object.entries(collector.snapshot())) {
        if (value.kind !== 'counter' || key.startsWith('exporter_scrapes_total')) continue;
        const { name, labels: own } = parseMetricKey(key);
        const exported = `tranche_${toBaseUnitName(name).name.replace(/(_total)?$/, '_total')}`;
        const sample = samples.find((candidate) => candidate.name === exported && candidate.labels['collector'] === collector.id && Object.entries(own).every(([label, text]) => candidate.labels[label] === text));
        expect(sample?.value, `${collector.id} ${key}`).toBe(value.value);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  }, 120_000);

  it('every metric the Grafana dashboard queries is in a real scrape (a TWAP, then an order the risk limits refuse)', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { schemaVersion: number; templating: { list: Array<{ type: string; query: unknown }> }; panels: Array<{ type: string; targets?: Array<{ expr: string }> }> };
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.some((variable) => variable.type === 'datasource' && variable.query === 'prometheus')).toBe(true);
    const queries = [...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)), ...dashboard.templating.list.map((variable) => JSON.stringify(variable.query))];
    const names = new Set(queries.flatMap((query) => query.match(/\btranche_[a-zA-Z0-9_:]+/g) ?? []));
    expect(names.size).toBeGreaterThan(20);

    // A child above max_order_notional is refused: a venue error of kind risk and a rejected child.
    const { tranche, exporter } = await compose({ 'risk-limits': { max_order_notional: 30_000 } });
    await tranche.manager.executeOrder({ ...twap, quantity: 0.5 });
    await tranche.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 });
    // Quality records become final after their markouts; end them now, as the app's close would.
    for (const collector of tranche.container.getAll<MetricCollector>(MetricCollector)) if (collector instanceof ExecutionQualityMonitor) await collector.flush();
    const { samples } = await scrape(exporter);
    const scraped = new Set(samples.map((sample) => sample.name));
    const missing = [...names].filter((name) => !scraped.has(name));
    expect(missing).toEqual([]);
  }, 120_000);

  it('--metrics-port is parsed strictly', () => {
    expect(parseMetricsPort('9464')).toBe(9_464);
    expect(parseMetricsPort('0')).toBe(0);
    for (const bad of ['', 'x', '-1', '65536', '1.5']) expect(() => parseMetricsPort(bad)).toThrow(/invalid --metrics-port: must be an integer from 0 to 65535/);
  });
});
