import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, ExecutionReport } from '@tranche/core';
import { ExecutionTracker, KEEP_ENDED_EXECUTIONS, slippageBps } from './execution-tracker.js';

const market = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5 };

function started(executionId: string, side: 'buy' | 'sell', quantity: number, arrivalPrice: number | null, ts = 1_000): ExecutionEvent {
  return { type: 'execution-started', executionId, ts, request: { symbol: 'BTC/USDT', side, type: 'twap', quantity }, strategy: 'twap', arrivalPrice, market } as ExecutionEvent;
}

function fill(executionId: string, ts: number, price: number, quantity: number): ExecutionEvent {
  return {
    type: 'fill',
    executionId,
    ts,
    fill: { ts, symbol: 'BTC/USDT', side: 'buy', clientOrderId: `${executionId}-1`, price, quantity, fee: 0, feeCurrency: 'USDT', liquidity: 'taker', tradeId: `f${ts}` },
  } as unknown as ExecutionEvent;
}

function ended(executionId: string, report: Partial<ExecutionReport>, ts = 9_000): ExecutionEvent {
  return { type: 'execution-ended', executionId, ts, status: report.status, report: { fills: [], endReason: 'done', ...report } } as unknown as ExecutionEvent;
}

describe('ExecutionTracker', () => {
  it('averages the fills by quantity, keeps them and signs the slippage against arrival (positive is worse)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        fc.double({ min: 1_000, max: 100_000, noNaN: true }),
        fc.array(fc.record({ price: fc.double({ min: 1_000, max: 100_000, noNaN: true }), quantity: fc.double({ min: 0.001, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 40 }),
        (side, arrival, fills) => {
          const tracker = new ExecutionTracker();
          tracker.apply(started('e1', side, 1_000, arrival));
          let summary;
          fills.forEach((entry, index) => (summary = tracker.apply(fill('e1', 2_000 + index, entry.price, entry.quantity))));
          const quantity = fills.reduce((sum, entry) => sum + entry.quantity, 0);
          const average = fills.reduce((sum, entry) => sum + entry.price * entry.quantity, 0) / quantity;
          expect(summary!.fillCount).toBe(fills.length);
          expect(summary!.filledQuantity).toBeCloseTo(quantity, 9);
          expect(summary!.averagePrice!).toBeCloseTo(average, 6);
          expect(summary!.averagePrice!).toBeGreaterThanOrEqual(Math.min(...fills.map((entry) => entry.price)) - 1e-6);
          expect(summary!.averagePrice!).toBeLessThanOrEqual(Math.max(...fills.map((entry) => entry.price)) + 1e-6);
          const worse = side === 'buy' ? average > arrival : average < arrival;
          if (Math.abs(average - arrival) > 1e-6) expect(summary!.slippageBps! > 0).toBe(worse);
          expect(tracker.executions()[0]!.fills.map((point) => point.price)).toEqual(fills.map((entry) => entry.price));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('follows progress against the schedule (one point per timestamp) and takes the final figures from the report', () => {
    const tracker = new ExecutionTracker();
    tracker.apply(started('e1', 'buy', 2, 100));
    tracker.apply({ type: 'progress', executionId: 'e1', ts: 2_000, requestedQuantity: 2, filledQuantity: 0.5, workingQuantity: 0.2, scheduledQuantity: 0.6 });
    tracker.apply({ type: 'progress', executionId: 'e1', ts: 2_000, requestedQuantity: 2, filledQuantity: 0.7, workingQuantity: 0.1, scheduledQuantity: 0.6 });
    const working = tracker.apply({ type: 'progress', executionId: 'e1', ts: 3_000, requestedQuantity: 2, filledQuantity: 1, workingQuantity: 0, scheduledQuantity: 1.2 })!;
    expect(working).toMatchObject({ state: 'working', filledQuantity: 1, scheduledQuantity: 1.2, workingQuantity: 0, updatedAt: 3_000 });
    expect(tracker.executions()[0]!.schedule).toEqual([
      { ts: 2_000, scheduledQuantity: 0.6, filledQuantity: 0.7 },
      { ts: 3_000, scheduledQuantity: 1.2, filledQuantity: 1 },
    ]);
    const alerted = tracker.apply({ type: 'alert', executionId: 'e1', ts: 3_500, kind: 'deadline-at-risk', severity: 'warning', source: 'monitor-execution', message: 'behind schedule' })!;
    expect(alerted.lastAlert).toEqual({ kind: 'deadline-at-risk', severity: 'warning', message: 'behind schedule', ts: 3_500 });
    const done = tracker.apply(ended('e1', { status: 'cancelled', filledQuantity: 1.1, averagePrice: 101, arrivalPrice: 100, slippageBps: 100, endReason: 'cancelled by request' }))!;
    expect(done).toMatchObject({ state: 'cancelled', filledQuantity: 1.1, averagePrice: 101, slippageBps: 100, workingQuantity: 0, endReason: 'cancelled by request' });
  });

  it('ignores events of executions it never saw start, and keeps only the most recent ended ones', () => {
    const tracker = new ExecutionTracker();
    expect(tracker.apply(fill('ghost', 1, 100, 1))).toBeUndefined();
    tracker.apply(started('working', 'buy', 1, null));
    for (let index = 0; index < KEEP_ENDED_EXECUTIONS + 5; index++) {
      tracker.apply(started(`e${index}`, 'sell', 1, 100));
      tracker.apply(ended(`e${index}`, { status: 'filled', filledQuantity: 1, averagePrice: 99, arrivalPrice: 100, slippageBps: 100 }));
    }
    tracker.apply(started('last', 'buy', 1, 100));
    const ids = tracker.executions().map((execution) => execution.executionId);
    expect(ids).toContain('working');
    expect(ids).toContain('last');
    expect(ids.filter((id) => /^e\d+$/.test(id))).toHaveLength(KEEP_ENDED_EXECUTIONS);
    expect(ids).not.toContain('e0');
    expect(tracker.execution('working')!.slippageBps).toBeNull();
  });

  it('has no slippage without an arrival price or a fill', () => {
    expect(slippageBps('buy', null, 100)).toBeNull();
    expect(slippageBps('buy', 101, null)).toBeNull();
    expect(slippageBps('buy', 101, 100)).toBeCloseTo(100, 9);
    expect(slippageBps('sell', 101, 100)).toBeCloseTo(-100, 9);
  });
});
