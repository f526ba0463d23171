import { describe, expect, it } from 'vitest';
import { TrancheError, type MarketEvent } from '@tranche/core';
import { InMemoryVenue, TestBench, expectConsistentReport, strategyContract, syntheticMarket, syntheticMarketInfo } from '@tranche/testkit';
import twapStrategyPlugin from './index.js';

strategyContract('twap (passive first)', { plugin: twapStrategyPlugin, type: 'twap', params: { durationMs: 40_000, slices: 4 } });
strategyContract('twap (randomized, high urgency, limit price)', {
  plugin: twapStrategyPlugin,
  type: 'twap',
  params: { durationMs: 60_000, slices: 6, randomization: 0.8, seed: 42, urgency: 'high' },
  price: (side, mid) => (side === 'buy' ? mid + 3 : mid - 3),
});
strategyContract('twap (marketable, participation cap)', {
  plugin: twapStrategyPlugin,
  type: 'twap',
  params: { durationMs: 30_000, childOrderStyle: 'marketable', maxParticipation: 0.2 },
});

const order = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params, ...extra });

async function execute(request: unknown, market: { snapshot: MarketEvent & { type: 'book-snapshot' }; events: MarketEvent[] } = syntheticMarket({ seed: 3 })) {
  const bench = await TestBench.create({ plugins: [twapStrategyPlugin], market, markets: [syntheticMarketInfo()] });
  const report = await bench.execute(request);
  const venue = bench.venue as InMemoryVenue;
  const openOrders = await venue.openOrders();
  await bench.close();
  return { report, bench, venue, openOrders };
}

function notes(bench: TestBench): string[] {
  return bench.events.flatMap((event) => (event.type === 'note' ? [event.message] : []));
}

describe('TwapStrategy params', () => {
  it('requires a window and names the field', async () => {
    const bench = await TestBench.create({ plugins: [twapStrategyPlugin] });
    const error = (await bench.manager.executeOrder(order({})).catch((caught: unknown) => caught)) as TrancheError;
    expect(error).toBeInstanceOf(TrancheError);
    expect(error.message).toMatch(/params\.durationMs is required/);
    await expect(bench.manager.executeOrder(order({ durationMs: 1_000, slices: 2, intervalMs: 500 }))).rejects.toThrow(/params\.intervalMs give slices or intervalMs, not both/);
    await expect(bench.manager.executeOrder(order({ durationMs: 1_000, urgency: 'asap' }))).rejects.toThrow(/params\.urgency/);
    await expect(bench.manager.executeOrder(order({ durationMs: 1_000 }, { quantity: 0.000001 }))).rejects.toThrow(/quantity must be at least/);
    expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
    await bench.close();
  });
});

describe('TwapStrategy', () => {
  it('follows its schedule slice by slice and reports schedule versus fills', async () => {
    const { report, bench } = await execute(order({ durationMs: 300_000, slices: 5 }));
    expectConsistentReport(report, 1);
    expect(report.status).toBe('filled');
    const schedule = report.schedule!;
    expect(schedule.length).toBeGreaterThanOrEqual(5);
    for (const point of schedule) {
      const elapsed = point.ts - report.startedAt;
      // The linear schedule, at slice starts and checks inside slices.
      expect(point.scheduledQuantity).toBeLessThanOrEqual(Math.min(1, elapsed / 300_000 + 0.2) + 1e-9);
      expect(point.filledQuantity).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(report.completion).toMatchObject({ policy: 'sweep', outcome: 'completed' });
    expect(notes(bench).some((note) => /^TWAP slice 1\/5 /.test(note))).toBe(true);
    expect(notes(bench).some((note) => /^TWAP plan \(seed \d+\)/.test(note))).toBe(true);
  });

  it('completes 0.003 BTC over 10 slices, and over 60 slices merges the slices below the venue minimum', async () => {
    for (const slices of [10, 60]) {
      const { report, venue, bench } = await execute(order({ durationMs: 120_000, slices }, { quantity: 0.003 }));
      expect(report.status).toBe('filled');
      expect(report.filledQuantity).toBeCloseTo(0.003, 9);
      for (const sent of venue.received) expect(sent.quantity * 60_000).toBeGreaterThanOrEqual(5);
      if (slices === 60) expect(notes(bench).some((note) => /merged into the next slice/.test(note))).toBe(true);
    }
  });

  it('gives the same result for the same seed and a different schedule for another', async () => {
    const run = async (seed: number) => (await execute(order({ durationMs: 120_000, slices: 8, randomization: 1, seed }))).report;
    const first = await run(1);
    expect(JSON.stringify(await run(1))).toBe(JSON.stringify(first));
    const other = await run(2);
    expect(other.schedule!.map((point) => point.ts)).not.toEqual(first.schedule!.map((point) => point.ts));
  });

  it('runs a one-hour TWAP over an hour of data in well under a second, identically every time', async () => {
    const run = async () => {
      const bench = await TestBench.create({ plugins: [twapStrategyPlugin], market: syntheticMarket({ seed: 9, durationMs: 3_700_000, tradeEveryMs: 1_000 }) });
      const started = performance.now();
      const report = await bench.execute(order({ durationMs: 3_600_000, randomization: 0.5, seed: 7 }, { quantity: 5 }));
      const wallMs = performance.now() - started;
      await bench.close();
      return { report, wallMs };
    };
    const first = await run();
    expect(first.report.status).toBe('filled');
    expect(first.report.endedAt - first.report.startedAt).toBeGreaterThan(3_000_000);
    expect(first.report.schedule!.length).toBeGreaterThan(60);
    expect(first.wallMs).toBeLessThan(1_000);
    const second = await run();
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));
  });

  it('waits for a future startTime and counts durationMs from it', async () => {
    const market = syntheticMarket({ seed: 3 });
    const startTime = market.snapshot.ts + 60_000;
    const { report, bench } = await execute(order({ startTime, durationMs: 120_000, slices: 4 }), market);
    const intents = bench.events.filter((event) => event.type === 'child-order-intent');
    expect(intents.length).toBeGreaterThan(0);
    expect(Math.min(...intents.map((event) => event.ts))).toBeGreaterThanOrEqual(startTime);
    expect(report.schedule![0]!.ts).toBe(startTime);
    expect(notes(bench).some((note) => /waiting for the start at 00:01:00\.000/.test(note))).toBe(true);
  });

  it('cancels: working children are cancelled and the report has exact quantities', async () => {
    const bench = await TestBench.create({ plugins: [twapStrategyPlugin], market: syntheticMarket({ seed: 3 }) });
    const report = await bench.execute(order({ durationMs: 300_000, slices: 5 }, { quantity: 3 }), { cancelAfterMs: 90_000 });
    expect(report.status).toBe('cancelled');
    expectConsistentReport(report, 3);
    expect(report.filledQuantity).toBeGreaterThan(0);
    expect(report.filledQuantity).toBeLessThan(3);
    expect(report.completion).toMatchObject({ outcome: 'interrupted' });
    expect(await bench.venue.openOrders()).toHaveLength(0);
    await bench.close();
  });

  it('sweeps the remainder at the end time within the limit price, or leaves it with best-effort', async () => {
    // A buy limit far under the market: nothing can fill, the sweep is a limit IOC at the limit.
    const swept = await execute(order({ durationMs: 60_000, limitPrice: 59_000 }));
    expect(swept.report.status).toBe('expired');
    expect(swept.report.completion).toMatchObject({ policy: 'sweep', outcome: 'swept', remainingQuantity: 1 });
    const sweep = swept.report.childOrders.at(-1)!;
    expect(sweep).toMatchObject({ type: 'limit', timeInForce: 'IOC', price: 59_000, filledQuantity: 0 });
    expect(swept.openOrders).toHaveLength(0);
    const left = await execute(order({ durationMs: 60_000, limitPrice: 59_000, completion: 'best-effort' }));
    expect(left.report.completion).toMatchObject({ policy: 'best-effort', outcome: 'left-unfilled', remainingQuantity: 1 });
    expect(left.report.endReason).toMatch(/left unfilled \(completion is best-effort\)/);
    expect(left.report.childOrders.some((child) => child.timeInForce === 'IOC')).toBe(false);
  });

  it('reports the market VWAP of its window and the slippage against it', async () => {
    const market = syntheticMarket({ seed: 5 });
    const { report } = await execute(order({ durationMs: 120_000 }), market);
    const trades = market.events.filter((event): event is Extract<MarketEvent, { type: 'trade' }> => event.type === 'trade' && event.ts > report.startedAt);
    const vwap = (upTo: (ts: number) => boolean) => {
      const window = trades.filter((trade) => upTo(trade.ts));
      return window.reduce((sum, trade) => sum + trade.price * trade.quantity, 0) / window.reduce((sum, trade) => sum + trade.quantity, 0);
    };
    const candidates = [vwap((ts) => ts < report.endedAt), vwap((ts) => ts <= report.endedAt)];
    expect(candidates.some((candidate) => Math.abs(candidate - report.marketVwap!) < 1e-6)).toBe(true);
    expect(report.vwapSlippageBps).toBeCloseTo(((report.averagePrice - report.marketVwap!) / report.marketVwap!) * 10_000, 9);
  });
});

