import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '@tranche/core';
import { runAlgoScenario } from '@tranche/testkit';
import icebergStrategyPlugin from '../src/index.js';

const orders = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: fc.double({ min: 0.001, max: 8, noNaN: true }).map((value) => Number(value.toFixed(5))),
  durationMs: fc.integer({ min: 10_000, max: 240_000 }),
  displayQuantity: fc.double({ min: 0.001, max: 2, noNaN: true }).map((value) => Number(value.toFixed(5))),
  repriceTicks: fc.integer({ min: 0, max: 500 }),
  refillDelayMs: fc.integer({ min: 0, max: 3_000 }),
  randomization: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.nat(),
  urgency: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  childOrderStyle: fc.constantFrom('passive' as const, 'marketable' as const),
  completion: fc.constantFrom('sweep' as const, 'best-effort' as const),
  maxParticipation: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { nil: undefined }),
  limitOffsetBps: fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
  marketSeed: fc.integer({ min: 1, max: 1_000 }),
  recorded: fc.boolean(),
});

/** The most quantity working at once, outside the end-time sweep. */
function maxShown(events: readonly ExecutionEvent[]): number {
  const working = new Map<string, number>();
  let most = 0;
  for (const event of events) {
    if ((event.type === 'child-order-intent' || event.type === 'child-order-updated') && event.order.timeInForce === 'GTC') {
      if (['filled', 'cancelled', 'rejected', 'expired'].includes(event.order.status)) working.delete(event.order.clientOrderId);
      else working.set(event.order.clientOrderId, event.order.quantity - event.order.filledQuantity);
    } else if (event.type === 'fill' && working.has(event.fill.clientOrderId)) {
      const left = working.get(event.fill.clientOrderId)! - event.fill.quantity;
      if (left <= 1e-9) working.delete(event.fill.clientOrderId);
      else working.set(event.fill.clientOrderId, left);
    }
    most = Math.max(most, [...working.values()].reduce((sum, quantity) => sum + quantity, 0));
  }
  return most;
}

describe('Iceberg properties (random orders, seeds and markets)', () => {
  it('never shows more than the display size, never overfills, never crosses the limit price, stays within the participation cap (± one child), fills reconcile, ids are unique', async () => {
    await fc.assert(
      fc.asyncProperty(orders, async (input) => {
        // A synthetic market, or the recorded minute of real Binance data (with its own rules).
        const { side, quantity, marketSeed: _marketSeed, limitOffsetBps, recorded, ...params } = input;
        const { events } = await runAlgoScenario({
          plugins: [icebergStrategyPlugin],
          type: 'iceberg',
          side,
          quantity,
          params,
          market: recorded ? 'recorded' : { seed: input.marketSeed, durationMs: 300_000 },
          limitOffsetBps,
        });
        const shownAtOnce = maxShown(events);
        expect(shownAtOnce).toBeLessThanOrEqual(input.displayQuantity + 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});
