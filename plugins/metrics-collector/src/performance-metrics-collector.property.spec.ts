import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChildOrder, ExecutionEvent, MetricSnapshot } from '@tranche/core';
import { PerformanceMetricsConfigSchema } from './metrics-collector-config.schema.js';
import { PerformanceMetricsCollector } from './performance-metrics-collector.js';

const count = (snapshot: MetricSnapshot, key: string): number => {
  const metric = snapshot[key];
  return metric === undefined ? 0 : metric.kind === 'histogram' ? metric.count : metric.value;
};

describe('PerformanceMetricsCollector properties', () => {
  it('every intent is acknowledged, rejected, unacknowledged or still pending, exactly once', () => {
    const step = fc.record({ answer: fc.constantFrom('open', 'filled', 'rejected', 'fill', 'none'), delayMs: fc.integer({ min: 0, max: 500 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), fc.boolean(), (steps, end) => {
        const collector = new PerformanceMetricsCollector(PerformanceMetricsConfigSchema.parse({}));
        const order = (id: string, status: ChildOrder['status'], ts: number): ChildOrder => ({
          clientOrderId: id, parentId: 'e', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', price: 1, quantity: 1,
          filledQuantity: 0, averagePrice: 0, status, createdAt: ts, updatedAt: ts,
        });
        const events: ExecutionEvent[] = [];
        steps.forEach((step, index) => {
          const id = `e-${index}`;
          const ts = index * 1_000;
          events.push({ type: 'child-order-intent', executionId: 'e', ts, order: order(id, 'pending', ts) });
          if (step.answer === 'fill') {
            events.push({ type: 'fill', executionId: 'e', ts: ts + step.delayMs, fill: { fillId: id, clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', ts: ts + step.delayMs, price: 1, quantity: 1, fee: 0, feeCurrency: 'USDT', liquidity: 'maker' } });
          } else if (step.answer !== 'none') {
            events.push({ type: 'child-order-updated', executionId: 'e', ts: ts + step.delayMs, order: order(id, step.answer, ts + step.delayMs) });
          }
        });
        if (end) events.push({ type: 'execution-ended', executionId: 'e', ts: steps.length * 1_000, status: 'cancelled', report: {} as never });
        for (const event of events.sort((a, b) => a.ts - b.ts)) collector.onExecutionEvent(event);
        const snapshot = collector.snapshot();
        const answered = count(snapshot, 'orders_acknowledged_total');
        expect(answered + count(snapshot, 'orders_rejected_total') + count(snapshot, 'orders_unacknowledged_total') + count(snapshot, 'pending_acks')).toBe(steps.length);
        expect(count(snapshot, 'order_ack_latency_ms')).toBe(answered);
        expect(count(snapshot, 'order_ack_latency_wall_us')).toBe(answered);
        expect(count(snapshot, 'orders_rejected_total')).toBe(steps.filter((step) => step.answer === 'rejected').length);
      }),
    );
  });
});
