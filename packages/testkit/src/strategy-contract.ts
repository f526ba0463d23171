import { describe, expect, it } from 'vitest';
import { TrancheError, type ExecutionReport, type TranchePlugin } from '@tranche/core';
import { InMemoryVenue } from './in-memory-venue.js';
import { loadRecordedFixture } from './recorded-fixture.js';
import { syntheticMarket, syntheticMarketInfo } from './synthetic-market.js';
import { TestBench } from './test-bench.js';

/** Options of `strategyContract`. */
export interface StrategyContractOptions {
  /** The plugin that registers the strategy. */
  plugin: TranchePlugin<unknown>;
  /** The strategy's id (the order request's `type`). */
  type: string;
  /** `params` used for every contract order. */
  params?: Record<string, unknown>;
  /** A parent limit price for the side, given the arrival mid (return `undefined` for none). */
  price?: (side: 'buy' | 'sell', mid: number) => number | undefined;
  /** Parent quantity (default 0.5). */
  quantity?: number;
  /** Extra plugins the strategy needs. */
  plugins?: readonly TranchePlugin<unknown>[];
}

/** The two markets every strategy is run on: synthetic, and a minute of real Binance data. */
const MARKETS = {
  synthetic: () => {
    const market = syntheticMarket({ midPrice: 60_000, seed: 7 });
    return { ...market, market: syntheticMarketInfo() };
  },
  recorded: () => loadRecordedFixture(),
};
type MarketName = keyof typeof MARKETS;

/**
 * The contract every execution strategy must honour, run against a deterministic
 * synthetic market and an in-memory venue: terminal states, no overfill, fills that
 * reconcile with child orders, unique deterministic client ids, rounding to tick and
 * step, the parent limit price, cancellation, determinism and strict params.
 */
export function strategyContract(name: string, options: StrategyContractOptions): void {
  const quantity = options.quantity ?? 0.5;
  const plugins = [...(options.plugins ?? []), options.plugin];
  const request = (side: 'buy' | 'sell', id: string, mid: number) => {
    const price = options.price?.(side, mid);
    return {
      id,
      symbol: 'BTC/USDT',
      side,
      type: options.type,
      quantity,
      ...(price === undefined ? {} : { price }),
      ...(options.params ? { params: options.params } : {}),
    };
  };
  const run = async (side: 'buy' | 'sell', marketName: MarketName = 'synthetic', cancelAfterMs?: number) => {
    const market = MARKETS[marketName]();
    const mid = (market.snapshot.bids[0]![0] + market.snapshot.asks[0]![0]) / 2;
    const bench = await TestBench.create({ plugins, market, markets: [market.market] });
    const report = await bench.execute(request(side, `c${side}`, mid), cancelAfterMs === undefined ? {} : { cancelAfterMs });
    const venue = bench.venue as InMemoryVenue;
    await bench.close();
    return { report, venue, bench, mid, market: market.market };
  };

  describe(`strategy contract: ${name}`, () => {
    it('is registered under its kebab-case id', async () => {
      const bench = await TestBench.create({ plugins });
      expect(bench.manager.strategyIds()).toContain(options.type);
      expect(options.type).toMatch(/^[a-z][a-z0-9-]*$/);
      await bench.close();
    });

    it('rejects unknown params with a validation error naming the key', async () => {
      const bench = await TestBench.create({ plugins });
      const bad = { ...request('buy', 'cbad', 60_000), params: { ...(options.params ?? {}), notAParam: 1 } };
      const error = await bench.manager.executeOrder(bad).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).message).toContain('notAParam');
      expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
      await bench.close();
    });

    for (const [side, marketName] of [['buy', 'synthetic'], ['sell', 'synthetic'], ['buy', 'recorded'], ['sell', 'recorded']] as const) {
      it(`ends a ${side} order in a terminal state with consistent fills (${marketName} market)`, async () => {
        const { report, venue, mid, market } = await run(side, marketName);
        expectConsistentReport(report, quantity);
        const ids = venue.received.map((order) => order.clientOrderId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const order of venue.received) {
          expect(order.clientOrderId.startsWith(`${report.id}-`)).toBe(true);
          expect(Math.abs(order.quantity / market.stepSize - Math.round(order.quantity / market.stepSize))).toBeLessThan(1e-6);
          if (order.price !== undefined) expect(Math.abs(order.price / market.tickSize - Math.round(order.price / market.tickSize))).toBeLessThan(1e-6);
        }
        const limit = options.price?.(side, mid);
        if (limit !== undefined) {
          for (const fill of report.fills) {
            if (side === 'buy') expect(fill.price).toBeLessThanOrEqual(limit);
            else expect(fill.price).toBeGreaterThanOrEqual(limit);
          }
        }
        expect(await venue.openOrders()).toHaveLength(0);
      });
    }

    it('gives the same report on every run', async () => {
      const first = await run('buy');
      const second = await run('buy');
      expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
    });

    it('cancels: ends cancelled (or filled first) with exact quantities and nothing working', async () => {
      const { report, venue } = await run('buy', 'synthetic', 1_000);
      expect(['cancelled', 'filled']).toContain(report.status);
      expectConsistentReport(report, quantity);
      expect(await venue.openOrders()).toHaveLength(0);
    });
  });
}

/** Checks the invariants every report must satisfy. */
export function expectConsistentReport(report: ExecutionReport, requested: number): void {
  expect(['filled', 'partially_filled', 'cancelled', 'expired', 'rejected']).toContain(report.status);
  expect(report.filledQuantity).toBeLessThanOrEqual(requested + 1e-9);
  const fillSum = report.fills.reduce((sum, fill) => sum + fill.quantity, 0);
  expect(fillSum).toBeCloseTo(report.filledQuantity, 9);
  const childSum = report.childOrders.reduce((sum, child) => sum + child.filledQuantity, 0);
  expect(childSum).toBeCloseTo(report.filledQuantity, 9);
  const childIds = new Set(report.childOrders.map((child) => child.clientOrderId));
  expect(childIds.size).toBe(report.childOrders.length);
  for (const fill of report.fills) expect(childIds.has(fill.clientOrderId)).toBe(true);
  for (const child of report.childOrders) {
    expect(['filled', 'cancelled', 'rejected', 'expired']).toContain(child.status);
    expect(child.filledQuantity).toBeLessThanOrEqual(child.quantity + 1e-9);
  }
  if (report.filledQuantity > 0) {
    const value = report.fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0);
    expect(report.averagePrice).toBeCloseTo(value / report.filledQuantity, 6);
  }
  if (report.status === 'filled') expect(report.filledQuantity).toBeCloseTo(requested, 9);
}
