import { describe, expect, it } from 'vitest';
import type { ChildOrder, ExecutionEvent, MetricValue } from '@tranche/core';
import { PerformanceMetricsConfigSchema } from './metrics-collector-config.schema.js';
import { PerformanceMetricsCollector } from './performance-metrics-collector.js';

const order = (clientOrderId: string, status: ChildOrder['status'], ts = 0): ChildOrder => ({
  clientOrderId,
  parentId: 'e1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  price: 100,
  quantity: 1,
  filledQuantity: 0,
  averagePrice: 0,
  status,
  createdAt: ts,
  updatedAt: ts,
});
const intent = (id: string, ts: number): ExecutionEvent => ({ type: 'child-order-intent', executionId: 'e1', ts, order: order(id, 'pending', ts) });
const updated = (id: string, status: ChildOrder['status'], ts: number): ExecutionEvent => ({ type: 'child-order-updated', executionId: 'e1', ts, order: order(id, status, ts) });
const value = (snapshot: Record<string, MetricValue>, key: string): number => {
  const metric = snapshot[key];
  if (!metric || metric.kind === 'histogram') throw new Error(`no counter or gauge ${key}`);
  return metric.value;
};

describe('PerformanceMetricsCollector on a fixed event sequence', () => {
  it('measures acknowledgements in data time, counts rejections, errors, retries, working orders and rates (hand-computed)', () => {
    const collector = new PerformanceMetricsCollector(PerformanceMetricsConfigSchema.parse({ rateWindowMs: 10_000 }));
    const events: ExecutionEvent[] = [
      intent('e1-1', 1_000),
      intent('e1-2', 1_000),
      intent('e1-3', 1_500),
      updated('e1-1', 'open', 1_020), // acknowledged after 20 ms
      { type: 'child-order-error', executionId: 'e1', ts: 1_100, clientOrderId: 'e1-2', error: { kind: 'rate-limited', message: '429', retryable: true }, willRetry: true },
      updated('e1-2', 'open', 1_250), // acknowledged after 250 ms (after a retry)
      { type: 'child-order-error', executionId: 'e1', ts: 1_600, clientOrderId: 'e1-3', error: { kind: 'venue-rejected', message: 'price', retryable: false }, willRetry: false },
      updated('e1-3', 'rejected', 1_600),
      updated('e1-1', 'filled', 2_000),
      intent('e1-4', 2_500), // never answered: the execution ends first
    ];
    for (const event of events) collector.onExecutionEvent(event);
    let snapshot = collector.snapshot();
    expect(snapshot['order_ack_latency_ms']).toMatchObject({ kind: 'histogram', count: 2, sum: 270 });
    expect(value(snapshot, 'order_ack_latency_ms_max')).toBe(250);
    expect(snapshot['order_ack_latency_wall_us']).toMatchObject({ count: 2 });
    expect(value(snapshot, 'orders_acknowledged_total')).toBe(2);
    expect(value(snapshot, 'orders_rejected_total')).toBe(1);
    expect(value(snapshot, 'venue_errors_total{kind="rate-limited"}')).toBe(1);
    expect(value(snapshot, 'venue_errors_total{kind="venue-rejected"}')).toBe(1);
    expect(value(snapshot, 'order_retries_total')).toBe(1);
    // Working: e1-2 (open) and e1-4 (pending); at most 3 at once (e1-1, e1-2, e1-3).
    expect(value(snapshot, 'working_orders')).toBe(2);
    expect(value(snapshot, 'working_orders_peak')).toBe(3);
    expect(value(snapshot, 'pending_acks')).toBe(1);
    // No market data source: every decision is "other", without a latency.
    expect(value(snapshot, 'decisions_total{trigger="other"}')).toBe(4);
    expect(snapshot['decision_latency_us']).toMatchObject({ count: 0 });
    // 10 execution events between 1.0 s and 2.5 s of data time: 2 s of buckets covered → 5/s; the busiest second had 8.
    expect(value(snapshot, 'execution_events_per_second')).toBe(5);
    expect(value(snapshot, 'execution_events_per_second_peak')).toBe(8);
    expect(value(snapshot, 'execution_events_total{type="child-order-intent"}')).toBe(4);

    collector.onExecutionEvent({ type: 'alert', executionId: 'e1', ts: 2_600, kind: 'stalled', severity: 'warning', source: 'x', message: 'idle' });
    collector.onExecutionEvent({ type: 'execution-ended', executionId: 'e1', ts: 3_000, status: 'cancelled', report: {} as never });
    snapshot = collector.snapshot();
    expect(value(snapshot, 'orders_unacknowledged_total')).toBe(1);
    expect(value(snapshot, 'pending_acks')).toBe(0);
    expect(value(snapshot, 'working_orders')).toBe(0);
    expect(value(snapshot, 'alerts_total{kind="stalled",severity="warning"}')).toBe(1);
  });

  it('counts market events by type and their rate in data time', () => {
    const collector = new PerformanceMetricsCollector(PerformanceMetricsConfigSchema.parse({}));
    for (let index = 0; index < 40; index++) {
      collector.onMarketEvent({ type: 'trade', symbol: 'BTC/USDT', ts: 10_000 + index * 250, price: 100, quantity: 1, takerSide: 'buy', tradeId: String(index) });
    }
    const snapshot = collector.snapshot();
    expect(value(snapshot, 'market_events_total{type="trade"}')).toBe(40);
    // 4 a second for 10 s.
    expect(value(snapshot, 'market_events_per_second')).toBe(4);
    expect(value(snapshot, 'market_events_per_second_peak')).toBe(4);
  });

  it('validates its config', () => {
    expect(() => PerformanceMetricsConfigSchema.parse({ decisionLatencyBoundsUs: [5, 1] })).toThrow(/ascending/);
    expect(() => PerformanceMetricsConfigSchema.parse({ rateWindowMs: 500, rateBucketMs: 1_000 })).toThrow(/rateWindowMs/);
    expect(() => PerformanceMetricsConfigSchema.parse({ unknown: 1 })).toThrow();
  });
});
