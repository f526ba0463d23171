import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '@tranche/core';
import { buildQualityRecord } from './build-quality-record.js';
import { averageFillPrice, filledNotional, type QualityFill } from './quality-formulas.js';

const fillArbitrary = fc.record({
  ts: fc.integer({ min: 0, max: 60_000 }),
  price: fc.double({ min: 90, max: 110, noNaN: true }),
  quantity: fc.double({ min: 0.001, max: 5, noNaN: true }),
  feeQuote: fc.option(fc.double({ min: -0.05, max: 0.5, noNaN: true }), { nil: null, freq: 8 }),
  liquidity: fc.constantFrom('maker' as const, 'taker' as const),
  mid: fc.option(fc.double({ min: 90, max: 110, noNaN: true }), { nil: null, freq: 6 }),
});

function record(side: 'buy' | 'sell', fills: QualityFill[], arrivalPrice: number, requested: number) {
  const filled = fills.reduce((sum, fill) => sum + fill.quantity, 0);
  const report: ExecutionReport = {
    id: 'p',
    symbol: 'BTC/USDT',
    side,
    type: 'twap',
    strategy: 'twap',
    status: filled >= requested ? 'filled' : filled > 0 ? 'partially_filled' : 'expired',
    endReason: 'done',
    requestedQuantity: requested,
    filledQuantity: filled,
    averagePrice: averageFillPrice(fills) ?? 0,
    arrivalPrice,
    slippageBps: null,
    fees: 0,
    feeCurrency: 'USDT',
    notional: filledNotional(fills),
    startedAt: 0,
    endedAt: 60_000,
    childOrders: [],
    fills: [],
    errors: [],
    marketVolume: 100,
    marketVwap: 100,
  };
  return buildQualityRecord({ report, fills, marketState: null, marketVolume: 100, marketVwap: 100, sizeReferenceVolume: 100, midAfter1m: 101, midAfter5m: 99 });
}

describe('quality record properties', () => {
  it('spread + impact = shortfall and fee + spread + impact = total, for any fills', () => {
    fc.assert(
      fc.property(fc.constantFrom('buy' as const, 'sell' as const), fc.array(fillArbitrary, { minLength: 1, maxLength: 20 }), fc.double({ min: 95, max: 105, noNaN: true }), (side, fills, arrival) => {
        const filled = fills.reduce((sum, fill) => sum + fill.quantity, 0);
        const result = record(side, fills, arrival, filled * 2);
        expect(result.fillRate).toBeCloseTo(0.5, 12);
        if (result.spreadCostBps !== null) {
          expect(result.spreadCostBps + result.impactCostBps!).toBeCloseTo(result.implementationShortfallBps!, 6);
          expect(result.feeBps! + result.spreadCostBps + result.impactCostBps!).toBeCloseTo(result.totalCostBps!, 6);
        } else {
          expect(fills.every((fill) => fill.mid === null)).toBe(true);
        }
        expect(result.makerShare).toBeGreaterThanOrEqual(0);
        expect(result.makerShare).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a sell mirrors a buy: the same fills cost the opposite, fees aside', () => {
    fc.assert(
      fc.property(fc.array(fillArbitrary, { minLength: 1, maxLength: 10 }), fc.double({ min: 95, max: 105, noNaN: true }), (fills, arrival) => {
        const filled = fills.reduce((sum, fill) => sum + fill.quantity, 0);
        const buy = record('buy', fills, arrival, filled);
        const sell = record('sell', fills, arrival, filled);
        expect(buy.implementationShortfallBps! + sell.implementationShortfallBps!).toBeCloseTo(0, 6);
        expect(buy.vwapSlippageBps! + sell.vwapSlippageBps!).toBeCloseTo(0, 6);
        expect(buy.markout1mBps! + sell.markout1mBps!).toBeCloseTo(0, 6);
        if (buy.spreadCostBps !== null) expect(buy.spreadCostBps + sell.spreadCostBps!).toBeCloseTo(0, 6);
        expect(buy.feeBps).toBeCloseTo(sell.feeBps!, 9);
      }),
    );
  });
});
