import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssetCacheManager, isTrancheError, type ExecutionReport } from '@tranche/core';
import { InMemoryVenue, TestBench, testStrategies, type FixedOrder } from '@tranche/testkit';
import riskLimitsPlugin from '../src/index.js';

const limitsArbitrary = fc.record(
  {
    maxOrderNotional: fc.integer({ min: 1_000, max: 200_000 }),
    priceBandBps: fc.integer({ min: 1, max: 500 }),
    maxPosition: fc.double({ min: 0.01, max: 5, noNaN: true }),
    maxOrdersPerSecond: fc.integer({ min: 1, max: 6 }),
  },
  { requiredKeys: [] },
);

const ordersArbitrary = fc.array(
  fc.record({
    market: fc.boolean(),
    quantity: fc.integer({ min: 1, max: 300 }).map((hundredths) => hundredths / 100),
    offsetBps: fc.integer({ min: -800, max: 800 }),
  }),
  { minLength: 1, maxLength: 8 },
);

describe('risk-limits in the engine (property)', () => {
  it('no child order beyond a configured limit ever reaches the venue, and the parent always ends', async () => {
    await fc.assert(
      fc.asyncProperty(limitsArbitrary, ordersArbitrary, async (limits, drafts) => {
        const mid = 60_000;
        const fixed: FixedOrder[] = drafts.map((draft) =>
          draft.market ? { type: 'market', quantity: draft.quantity } : { type: 'limit', quantity: draft.quantity, price: Math.round(mid * (1 + draft.offsetBps / 10_000) * 100) / 100 },
        );
        const config = {
          'risk-limits': {
            ...(limits.maxOrderNotional === undefined ? {} : { max_order_notional: limits.maxOrderNotional }),
            ...(limits.priceBandBps === undefined ? {} : { price_band_bps: limits.priceBandBps }),
            ...(limits.maxPosition === undefined ? {} : { max_position: { BTC: limits.maxPosition } }),
            ...(limits.maxOrdersPerSecond === undefined ? {} : { max_orders_per_second: limits.maxOrdersPerSecond }),
          },
        };
        const bench = await TestBench.create({ plugins: [testStrategies(fixed), riskLimitsPlugin], config, market: { midPrice: mid, seed: 3 } });
        try {
          const reference = bench.tranche.get(AssetCacheManager).book('BTC/USDT').mid();
          const quantity = Math.round(fixed.reduce((sum, order) => sum + order.quantity, 0) * 100) / 100;
          const outcome = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity }).catch((error: unknown) => error);
          if (isTrancheError(outcome)) {
            // A parent beyond a limit is refused before anything is sent.
            expect(outcome.kind).toBe('risk');
            expect((bench.venue as InMemoryVenue).allOrders()).toHaveLength(0);
            return;
          }
          const report = outcome as ExecutionReport;
          expect(['filled', 'partially_filled', 'rejected', 'expired', 'cancelled']).toContain(report.status);
          const sent = (bench.venue as InMemoryVenue).allOrders();
          let exposure = 0;
          for (const order of sent) {
            const price = order.price ?? reference;
            if (limits.maxOrderNotional !== undefined) expect(order.quantity * price).toBeLessThanOrEqual(limits.maxOrderNotional * (1 + 1e-9));
            if (limits.priceBandBps !== undefined && order.type === 'limit') {
              expect((Math.abs(order.price! - reference) / reference) * 10_000).toBeLessThanOrEqual(limits.priceBandBps + 1e-6);
            }
            exposure += order.quantity;
          }
          // Every order is placed at the start: all of them count against the position and the rate window.
          if (limits.maxPosition !== undefined) expect(exposure).toBeLessThanOrEqual(limits.maxPosition * (1 + 1e-9));
          if (limits.maxOrdersPerSecond !== undefined) expect(sent.length).toBeLessThanOrEqual(limits.maxOrdersPerSecond);
          const refused = report.errors.filter((error) => error.kind === 'risk').length;
          expect(sent.length + refused).toBeLessThanOrEqual(fixed.length);
        } finally {
          await bench.close();
        }
      }),
      { numRuns: 30, seed: 8 },
    );
  }, 120_000);

  it('over time: the venue never sees more child orders in a sliding second than allowed, and fills never exceed max_position', async () => {
    let refused = 0;
    let sentTotal = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.05, max: 2, noNaN: true }), fc.integer({ min: 4, max: 40 }), async (maxOrdersPerSecond, maxPosition, slices) => {
        const config = { 'risk-limits': { max_orders_per_second: maxOrdersPerSecond, max_position: { BTC: maxPosition } } };
        const bench = await TestBench.create({ plugins: [testStrategies(), riskLimitsPlugin], config, market: { durationMs: 120_000, seed: slices } });
        try {
          // The parent is within the position limit; its children race through slices faster than the rate allows.
          const quantity = Math.max(0.01, Math.floor(maxPosition * 100) / 100);
          const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity, params: { durationMs: 20_000, slices, style: 'marketable' } });
          const sent = (bench.venue as InMemoryVenue).allOrders().map((order) => order.createdAt).sort((a, b) => a - b);
          for (let index = 0; index < sent.length; index++) {
            const inWindow = sent.filter((ts) => ts > sent[index]! - 1_000 && ts <= sent[index]!).length;
            expect(inWindow).toBeLessThanOrEqual(maxOrdersPerSecond);
          }
          expect(report.filledQuantity).toBeLessThanOrEqual(maxPosition * (1 + 1e-9));
          refused += report.errors.filter((error) => error.kind === 'risk').length;
          sentTotal += sent.length;
        } finally {
          await bench.close();
        }
      }),
      { numRuns: 15, seed: 4 },
    );
    // Not vacuous: the limits refused orders and let others through.
    expect(refused).toBeGreaterThan(0);
    expect(sentTotal).toBeGreaterThan(0);
  }, 120_000);
});
