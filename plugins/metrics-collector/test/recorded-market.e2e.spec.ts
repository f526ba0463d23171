import { describe, expect, it } from 'vitest';
import { loadRecordedFixture, TestBench, testStrategies } from '@tranche/testkit';
import type { MetricSnapshot } from '@tranche/core';
import metricsCollectorPlugin, { PerformanceMetricsCollector } from '../src/index.js';

const gauge = (snapshot: MetricSnapshot, key: string): number => {
  const metric = snapshot[key];
  return metric && metric.kind !== 'histogram' ? metric.value : Number.NaN;
};

// A minute of real Binance BTC/USDT data (1,981 events): the collector's counts agree with
// the data and the engine's events; the latencies are whatever this machine does.
describe('PerformanceMetricsCollector on recorded Binance data', () => {
  it('measures a paced buy of 2 BTC over 40 s', async () => {
    const fixture = loadRecordedFixture();
    const bench = await TestBench.create({ plugins: [testStrategies(), metricsCollectorPlugin], market: fixture, markets: [fixture.market] });
    const collector = bench.tranche.get(PerformanceMetricsCollector);
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 2, params: { durationMs: 40_000, slices: 8 } });
    const snapshot = collector.snapshot();
    await bench.close();
    const replayed = fixture.events.length - bench.remainingEvents + 1;
    const counted = Object.entries(snapshot)
      .filter(([key]) => key.startsWith('market_events_total'))
      .reduce((sum, [, metric]) => sum + (metric.kind === 'counter' ? metric.value : 0), 0);
    expect(counted).toBe(replayed);
    const intents = bench.events.filter((event) => event.type === 'child-order-intent').length;
    const decided = gauge(snapshot, 'decisions_total{trigger="market-event"}') + (gauge(snapshot, 'decisions_total{trigger="other"}') || 0);
    expect(decided).toBe(intents);
    expect(gauge(snapshot, 'orders_acknowledged_total') + (gauge(snapshot, 'orders_unacknowledged_total') || 0)).toBe(intents);
    expect(gauge(snapshot, 'working_orders')).toBe(0);
    if (process.env['TRANCHE_FIGURES']) {
      const decisions = snapshot['decision_latency_us'];
      console.log(
        `${report.status} in ${(report.endedAt - report.startedAt) / 1_000} s: ${counted} market events (${gauge(snapshot, 'market_events_per_second').toFixed(1)}/s over the last 10 s, peak ${gauge(snapshot, 'market_events_per_second_peak')}/s), ` +
          `${intents} intents, decision latency µs p50 ${gauge(snapshot, 'decision_latency_us_p50').toFixed(1)} p99 ${gauge(snapshot, 'decision_latency_us_p99').toFixed(1)} p99.9 ${gauge(snapshot, 'decision_latency_us_p999').toFixed(1)} max ${gauge(snapshot, 'decision_latency_us_max').toFixed(1)} (n ${decisions?.kind === 'histogram' ? decisions.count : 0}), ` +
          `ack wall µs p50 ${gauge(snapshot, 'order_ack_latency_wall_us_p50').toFixed(1)} p99 ${gauge(snapshot, 'order_ack_latency_wall_us_p99').toFixed(1)}, ack data ms max ${gauge(snapshot, 'order_ack_latency_ms_max')}, working peak ${gauge(snapshot, 'working_orders_peak')}`,
      );
    }
  });
});
