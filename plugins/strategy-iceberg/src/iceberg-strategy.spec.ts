import { describe, expect, it } from 'vitest';
import type { ExecutionEvent, ExecutionReport, MarketEvent } from '@tranche/core';
import { InMemoryVenue, TestBench, expectConsistentReport, loadRecordedFixture, strategyContract, syntheticMarket } from '@tranche/testkit';
import icebergStrategyPlugin from './index.js';

strategyContract('iceberg (passive)', { plugin: icebergStrategyPlugin, type: 'iceberg', params: { durationMs: 40_000, displayQuantity: 0.1 } });
strategyContract('iceberg (randomized, limit price, cap)', {
  plugin: icebergStrategyPlugin,
  type: 'iceberg',
  params: { durationMs: 60_000, displayQuantity: 0.05, randomization: 1, maxParticipation: 0.3, refillDelayMs: 500 },
  price: (side, mid) => (side === 'buy' ? mid + 1 : mid - 1),
});
strategyContract('iceberg (marketable)', { plugin: icebergStrategyPlugin, type: 'iceberg', params: { durationMs: 30_000, displayQuantity: 0.2, childOrderStyle: 'marketable' } });

const order = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ symbol: 'BTC/USDT', side: 'buy', type: 'iceberg', quantity: 1, params: { durationMs: 120_000, displayQuantity: 0.1, ...params }, ...extra });

/** The largest quantity working at once and the most children working at once, from the events. */
function shownOverTime(events: readonly ExecutionEvent[]): { maxShown: number; maxWorking: number } {
  const working = new Map<string, number>();
  let maxShown = 0;
  let maxWorking = 0;
  for (const event of events) {
    if (event.type === 'child-order-intent' || event.type === 'child-order-updated') {
      const { order: child } = event;
      if (['filled', 'cancelled', 'rejected', 'expired'].includes(child.status)) working.delete(child.clientOrderId);
      else working.set(child.clientOrderId, child.quantity - child.filledQuantity);
    }
    if (event.type === 'fill') {
      const left = (working.get(event.fill.clientOrderId) ?? 0) - event.fill.quantity;
      if (left <= 1e-9) working.delete(event.fill.clientOrderId);
      else working.set(event.fill.clientOrderId, left);
    }
    maxWorking = Math.max(maxWorking, working.size);
    maxShown = Math.max(maxShown, [...working.values()].reduce((sum, quantity) => sum + quantity, 0));
  }
  return { maxShown, maxWorking };
}

async function execute(request: unknown, market: ReturnType<typeof syntheticMarket> = syntheticMarket({ seed: 3 })): Promise<{ report: ExecutionReport; bench: TestBench }> {
  const bench = await TestBench.create({ plugins: [icebergStrategyPlugin], market });
  const report = await bench.execute(request);
  await bench.close();
  return { report, bench };
}

describe('IcebergStrategy params', () => {
  it('requires a display size the venue accepts, and no market style', async () => {
    const bench = await TestBench.create({ plugins: [icebergStrategyPlugin] });
    await expect(bench.manager.executeOrder(order({ displayQuantity: undefined }))).rejects.toThrow(/params\.displayQuantity is required/);
    await expect(bench.manager.executeOrder(order({ displayQuantity: 0.000001 }))).rejects.toThrow(/params\.displayQuantity must be at least 0\.00001/);
    await expect(bench.manager.executeOrder(order({ displayQuantity: 0.00005 }, { price: 60_000 }))).rejects.toThrow(/below the minimum notional/);
    await expect(bench.manager.executeOrder(order({ childOrderStyle: 'market' }))).rejects.toThrow(/params\.childOrderStyle/);
    await expect(bench.manager.executeOrder(order({ durationMs: undefined }))).rejects.toThrow(/params\.durationMs is required/);
    expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
    await bench.close();
  });
});

describe('IcebergStrategy', () => {
  it('shows at most the display size at a time and refills on fill until done', async () => {
    const { report, bench } = await execute(order({ displayQuantity: 0.1 }));
    expectConsistentReport(report, 1);
    expect(report.status).toBe('filled');
    const { maxShown, maxWorking } = shownOverTime(bench.events);
    expect(maxWorking).toBe(1);
    expect(maxShown).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(report.childOrders.length).toBeGreaterThanOrEqual(10);
    expect(report.childOrders.every((child) => child.quantity <= 0.1 + 1e-9)).toBe(true);
    expect(bench.events.some((event) => event.type === 'note' && /filled: refill/.test(event.message))).toBe(true);
  });

  it('randomizes the shown size below the display size, reproducibly by seed', async () => {
    const run = async (seed: number) => (await execute(order({ displayQuantity: 0.1, randomization: 1, seed }))).report;
    const first = await run(5);
    const sizes = first.childOrders.map((child) => child.quantity);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(0.1);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThanOrEqual(0.05);
    expect(new Set(sizes).size).toBeGreaterThan(3);
    expect(JSON.stringify(await run(5))).toBe(JSON.stringify(first));
    expect((await run(6)).childOrders.map((child) => child.quantity)).not.toEqual(sizes);
  });

  it('reprices within the limit price when the market moves away', async () => {
    const fixture = loadRecordedFixture();
    const mid = (fixture.snapshot.bids[0]![0] + fixture.snapshot.asks[0]![0]) / 2;
    const run = async (params: Record<string, unknown>) => {
      const bench = await TestBench.create({ plugins: [icebergStrategyPlugin], market: fixture, markets: [fixture.market] });
      const report = await bench.execute({ symbol: 'BTC/USDT', side: 'sell', type: 'iceberg', quantity: 3, params: { durationMs: 55_000, displayQuantity: 0.05, ...params } });
      await bench.close();
      return { report, notes: bench.events.flatMap((event) => (event.type === 'note' ? [event.message] : [])) };
    };
    const free = await run({ repriceTicks: 20 });
    expect(free.notes.filter((note) => /the ask moved .* ticks away .* more than repriceTicks 20: reprice/.test(note)).length).toBeGreaterThan(2);
    expect(free.notes.some((note) => /Iceberg reprice .* at the new touch/.test(note))).toBe(true);
    // A sell never shown below its limit, whatever the touch does.
    const limitPrice = Number((mid + 3).toFixed(2));
    const limited = await run({ repriceTicks: 20, limitPrice, completion: 'best-effort' });
    expect(limited.report.childOrders.length).toBeGreaterThan(0);
    for (const child of limited.report.childOrders) expect(child.price!).toBeGreaterThanOrEqual(limitPrice);
    for (const fill of limited.report.fills) expect(fill.price).toBeGreaterThanOrEqual(limitPrice);
  });

  it('cancels: the shown order is cancelled and the quantities are exact', async () => {
    const bench = await TestBench.create({ plugins: [icebergStrategyPlugin], market: syntheticMarket({ seed: 3 }) });
    const report = await bench.execute(order({ displayQuantity: 0.05, refillDelayMs: 1_000 }, { quantity: 5 }), { cancelAfterMs: 20_000 });
    expect(report.status).toBe('cancelled');
    expectConsistentReport(report, 5);
    expect(report.completion).toMatchObject({ outcome: 'interrupted' });
    expect(await bench.venue.openOrders()).toHaveLength(0);
    await bench.close();
  });

  it('reports a reference schedule and the market VWAP of its window', async () => {
    const market = syntheticMarket({ seed: 6 });
    const { report } = await execute(order({ displayQuantity: 0.02, refillDelayMs: 2_000 }, { side: 'sell' }), market);
    expect(report.schedule!.length).toBeGreaterThan(2);
    expect(report.marketVwap).toBeGreaterThan(0);
    const trades = market.events.filter((event): event is Extract<MarketEvent, { type: 'trade' }> => event.type === 'trade' && event.ts > report.startedAt && event.ts <= report.endedAt);
    const volume = trades.reduce((sum, trade) => sum + trade.quantity, 0);
    expect(Math.abs(report.marketVolume! - volume)).toBeLessThanOrEqual(Math.max(...trades.map((trade) => trade.quantity)));
  });
});
