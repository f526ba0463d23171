import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { InMemoryVenue, TestBench, testStrategies } from '@tranche/testkit';
import {
  MetricCollector,
  MetricRegistry,
  TrancheError,
  collectMetrics,
  definePlugin,
  type ExecutionEvent,
  type MetricSnapshot,
  type MetricValue,
} from '@tranche/core';
import metricsCollectorPlugin, { PerformanceMetricsCollector } from '../src/index.js';

const value = (snapshot: MetricSnapshot, key: string): number => {
  const metric = snapshot[key];
  if (!metric || metric.kind === 'histogram') throw new Error(`no counter or gauge ${key}`);
  return metric.value;
};
const histogram = (snapshot: MetricSnapshot, key: string): Extract<MetricValue, { kind: 'histogram' }> => {
  const metric = snapshot[key];
  if (!metric || metric.kind !== 'histogram') throw new Error(`no histogram ${key}`);
  return metric;
};

async function bench(plugins: Parameters<typeof TestBench.create>[0]['plugins'] = []) {
  const created = await TestBench.create({ plugins: [testStrategies(), metricsCollectorPlugin, ...plugins] });
  return { bench: created, collector: created.tranche.get(PerformanceMetricsCollector) };
}

describe('PerformanceMetricsCollector in the engine (synthetic market)', () => {
  it('times every decision a market event triggered, and the acknowledgements; counts events and their rate', async () => {
    const { bench: testBench, collector } = await bench();
    // Each placement busy-waits 2 ms of wall time before it is decided.
    const report = await testBench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 1, params: { durationMs: 30_000, slices: 3, style: 'marketable', spinMs: 2 } });
    expect(report.status).toBe('filled');
    const snapshot = collector.snapshot();
    const intents = testBench.events.filter((event) => event.type === 'child-order-intent').length;
    const decisions = histogram(snapshot, 'decision_latency_us');
    // The paced strategy decides on market events only: every intent has a latency of at least the 2 ms spin.
    expect(decisions.count).toBe(intents);
    expect(value(snapshot, 'decisions_total{trigger="market-event"}')).toBe(intents);
    expect(value(snapshot, 'decision_latency_us_p50')).toBeGreaterThanOrEqual(2_000);
    expect(decisions.sum / decisions.count).toBeGreaterThanOrEqual(2_000);
    expect(value(snapshot, 'decision_latency_us_p99')).toBeLessThanOrEqual(value(snapshot, 'decision_latency_us_max'));
    // The in-memory venue answers in the same instant of data time.
    expect(histogram(snapshot, 'order_ack_latency_ms')).toMatchObject({ count: intents, sum: 0 });
    expect(value(snapshot, 'orders_acknowledged_total')).toBe(intents);
    expect(histogram(snapshot, 'order_ack_latency_wall_us').count).toBe(intents);
    expect(value(snapshot, 'working_orders')).toBe(0);
    expect(value(snapshot, 'pending_acks')).toBe(0);
    expect(value(snapshot, 'venue_calls_in_flight')).toBe(0);
    // The synthetic market prints a trade and a book delta every 250 ms: 8 events a second of data time
    // (the current bucket of the 10 s window may be partial: at most one bucket's worth under).
    expect(value(snapshot, 'market_events_per_second')).toBeGreaterThanOrEqual(7.2);
    expect(value(snapshot, 'market_events_per_second')).toBeLessThanOrEqual(8);
    expect(value(snapshot, 'market_events_per_second_peak')).toBe(8);
    const marketEvents = Object.entries(snapshot)
      .filter(([key]) => key.startsWith('market_events_total'))
      .reduce((sum, [, metric]) => sum + (metric.kind === 'counter' ? metric.value : 0), 0);
    expect(marketEvents).toBeGreaterThan(100);
    expect(value(snapshot, 'execution_events_total{type="execution-ended"}')).toBe(1);
    await testBench.close();
  });

  it('counts venue errors by kind, retries and rejections', async () => {
    const { bench: testBench, collector } = await bench();
    const venue = testBench.venue as InMemoryVenue;
    venue.failNext(new TrancheError('rate-limited', '429 Too Many Requests'));
    const first = await testBench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 0.1, params: {} }, { cancelAfterMs: 5_000 });
    expect(first.status).toBe('cancelled');
    venue.failNext(new TrancheError('venue-rejected', 'price filter'));
    const second = await testBench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 0.1, params: {} }, { cancelAfterMs: 5_000 });
    expect(second.errors.map((error) => error.kind)).toEqual(['venue-rejected']);
    const snapshot = collector.snapshot();
    expect(value(snapshot, 'venue_errors_total{kind="rate-limited"}')).toBe(1);
    expect(value(snapshot, 'venue_errors_total{kind="venue-rejected"}')).toBe(1);
    expect(value(snapshot, 'order_retries_total')).toBe(1);
    expect(value(snapshot, 'orders_rejected_total')).toBe(1);
    expect(value(snapshot, 'orders_acknowledged_total')).toBe(1);
    // The retry waited on the clock: the acknowledgement came later in data time.
    expect(value(snapshot, 'order_ack_latency_ms_max')).toBeGreaterThan(0);
    // A resting order is decided at the start, not on a market event.
    expect(value(snapshot, 'decisions_total{trigger="other"}')).toBe(2);
    await testBench.close();
  });

  it('lets users add their own collector through DI, merged with the others by collectMetrics', async () => {
    /** A user's collector: the notional of every fill, in quote currency. */
    @injectable()
    class FillNotionalCollector implements MetricCollector {
      readonly id = 'fill-notional';
      private readonly registry = new MetricRegistry();
      private readonly notional = this.registry.histogram('fill_notional_quote', [10, 100, 1_000, 10_000, 100_000]);

      onExecutionEvent(event: ExecutionEvent): void {
        if (event.type === 'fill') this.notional.observe(event.fill.price * event.fill.quantity);
        if (event.type === 'execution-ended') this.registry.counter('executions_total', { strategy: event.report.strategy }).inc();
      }

      snapshot(): MetricSnapshot {
        return this.registry.snapshot();
      }
    }
    const userPlugin = definePlugin({
      name: 'my-metrics',
      version: '1.0.0',
      module: new ContainerModule(({ bind }) => {
        bind(FillNotionalCollector).toSelf().inSingletonScope();
        bind(MetricCollector).toService(FillNotionalCollector);
      }),
    });
    const { bench: testBench } = await bench([userPlugin]);
    const report = await testBench.execute({ symbol: 'BTC/USDT', side: 'sell', type: 'paced', quantity: 0.5, params: { durationMs: 20_000, slices: 4, style: 'marketable' } });
    const collectors = testBench.tranche.container.getAll<MetricCollector>(MetricCollector);
    // The core's ExecutionNotifier is a collector too (it follows every event and counts its deliveries).
    expect(collectors.map((collector) => collector.id).sort()).toEqual(['execution-notifier', 'fill-notional', 'metrics-collector']);
    const all = collectMetrics(collectors);
    expect(histogram(all, 'fill_notional_quote').count).toBe(report.fills.length);
    expect(histogram(all, 'fill_notional_quote').sum).toBeCloseTo(report.notional, 6);
    expect(value(all, 'executions_total{strategy="paced"}')).toBe(1);
    expect(histogram(all, 'decision_latency_us').count).toBeGreaterThan(0);
    await testBench.close();
  });
});
