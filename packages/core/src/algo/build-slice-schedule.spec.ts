import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../model/market.schema.js';
import { buildSliceSchedule } from './build-slice-schedule.js';
import { minimumChildQuantity } from './minimum-child-quantity.js';
import { planSliceTarget } from './plan-slice-target.js';
import { SeededRandom } from './seeded-random.js';
import { buildSliceGrid } from './slice-grid.js';
import { linearTargetCurve } from './target-curve.js';

const BTC: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 10, makerFeeBps: 10, takerFeeBps: 10 };
const schedule = (quantity: number, slices: number, randomization = 0, seed = 1, market = BTC, price = 60_000) => {
  const window = { startTime: 0, endTime: 600_000, durationMs: 600_000 };
  const grid = buildSliceGrid({ ...window, slices, randomization, random: new SeededRandom(seed) });
  return buildSliceSchedule({ grid, curve: linearTargetCurve(window), quantity, market, referencePrice: price });
};
const total = (plan: ReturnType<typeof schedule>) => Number(plan.reduce((sum, slice) => sum + slice.quantity, 0).toFixed(8));

describe('minimumChildQuantity', () => {
  it('is the larger of the minimum quantity and the minimum notional (+5%), in whole steps', () => {
    expect(minimumChildQuantity(BTC, 60_000)).toBe(0.00018);
    expect(minimumChildQuantity({ ...BTC, minNotional: 0, minQuantity: 0.001 }, 60_000)).toBe(0.001);
    expect(minimumChildQuantity(BTC, Number.NaN)).toBe(0.00001);
  });
});

describe('planSliceTarget', () => {
  it('aims at the curve, scales the increment by the jitter, never decreases, and ends at the quantity', () => {
    const base = { previousTarget: 0.2, quantity: 1, stepSize: 0.001, isLast: false };
    expect(planSliceTarget({ ...base, curveTarget: 0.4, sizeJitter: 1 })).toBe(0.4);
    expect(planSliceTarget({ ...base, curveTarget: 0.4, sizeJitter: 1.5 })).toBe(0.5);
    expect(planSliceTarget({ ...base, curveTarget: 0.1, sizeJitter: 1 })).toBe(0.2);
    expect(planSliceTarget({ ...base, curveTarget: 0.9, sizeJitter: 2 })).toBe(1);
    expect(planSliceTarget({ ...base, curveTarget: 0.3, sizeJitter: 0.5, isLast: true })).toBe(1);
  });
});

describe('buildSliceSchedule', () => {
  it('splits evenly when every slice is large enough', () => {
    const plan = schedule(2, 10);
    expect(plan.map((slice) => slice.quantity)).toEqual(Array.from({ length: 10 }, () => 0.2));
    expect(plan.at(-1)!.targetQuantity).toBe(2);
  });

  it('still completes 0.003 BTC over 10 slices, and merges slices below the venue minimum over 30', () => {
    expect(total(schedule(0.003, 10))).toBe(0.003);
    const small = schedule(0.003, 30);
    expect(total(small)).toBe(0.003);
    expect(small.some((slice) => slice.merged)).toBe(true);
    for (const slice of small) if (slice.quantity > 0) expect(slice.quantity).toBeGreaterThanOrEqual(0.00018);
    // Below the minimum notional at any slice count: one child for all of it.
    expect(schedule(0.0002, 10).filter((slice) => slice.quantity > 0)).toHaveLength(1);
  });

  it('sums to the quantity, sends only sendable children and keeps targets monotone (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0002, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (quantity, slices, randomization, seed) => {
          const rounded = Math.floor(quantity / BTC.stepSize + 1e-9) * BTC.stepSize;
          const plan = schedule(quantity, slices, randomization, seed);
          expect(total(plan)).toBeCloseTo(rounded, 8);
          let previous = 0;
          for (const slice of plan) {
            expect(slice.targetQuantity).toBeGreaterThanOrEqual(previous - 1e-12);
            previous = slice.targetQuantity;
            if (slice.quantity > 0 && rounded >= 0.00018) expect(slice.quantity).toBeGreaterThanOrEqual(0.00018 - 1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
