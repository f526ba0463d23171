import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent, ExecutionReport, MarketEvent } from '@tranche/core';
import { InMemoryVenue, TestBench, expectConsistentReport, strategyContract, syntheticMarket } from '@tranche/testkit';
import { BUNDLED_VOLUME_PROFILE } from './bundled-volume-profile.js';
import vwapStrategyPlugin from './index.js';

strategyContract('vwap (intraday profile)', { plugin: vwapStrategyPlugin, type: 'vwap', params: { durationMs: 40_000, slices: 4 } });
strategyContract('vwap (day-of-week profile, limit price, cap)', {
  plugin: vwapStrategyPlugin,
  type: 'vwap',
  params: { durationMs: 60_000, profile: 'day-of-week', maxParticipation: 0.25, randomization: 0.5 },
  price: (side, mid) => (side === 'buy' ? mid + 2 : mid - 2),
});
strategyContract('vwap (session volume only)', { plugin: vwapStrategyPlugin, type: 'vwap', params: { durationMs: 45_000, profile: 'session', urgency: 'high' } });

type Market = { snapshot: BookSnapshotEvent; events: MarketEvent[] };
const US_OPEN = Date.UTC(2024, 7, 8, 13, 50); // 13:50 UTC: the profile's volume rises into the US session

async function execute(request: unknown, market: Market = syntheticMarket({ seed: 3 })): Promise<{ report: ExecutionReport; bench: TestBench }> {
  const bench = await TestBench.create({ plugins: [vwapStrategyPlugin], market });
  const report = await bench.execute(request);
  await bench.close();
  return { report, bench };
}

/** The schedule's value at (or just before) `fraction` of the window. */
function scheduledAt(report: ExecutionReport, durationMs: number, fraction: number): number {
  const ts = report.startedAt + durationMs * fraction;
  return report.schedule!.filter((point) => point.ts <= ts).at(-1)!.scheduledQuantity;
}

/** A synthetic market whose trades are `factor` times larger in one half of the session. */
function lopsided(busyHalf: 'first' | 'second', factor = 6): Market {
  const market = syntheticMarket({ seed: 4, durationMs: 330_000 });
  const middle = market.snapshot.ts + 150_000;
  const events = market.events.map((event) => {
    if (event.type !== 'trade') return event;
    const busy = busyHalf === 'first' ? event.ts < middle : event.ts >= middle;
    return busy ? { ...event, quantity: Number((event.quantity * factor).toFixed(5)) } : event;
  });
  return { snapshot: market.snapshot, events };
}

describe('the bundled volume profile', () => {
  it('has 1440 minute weights and seven weekday rows, busiest in the US session', () => {
    expect(BUNDLED_VOLUME_PROFILE.minuteOfDay).toHaveLength(1_440);
    expect(BUNDLED_VOLUME_PROFILE.dayOfWeek).toHaveLength(7);
    const hour = (h: number) => BUNDLED_VOLUME_PROFILE.minuteOfDay.slice(h * 60, h * 60 + 60).reduce((sum, value) => sum + value, 0);
    expect(hour(14)).toBeGreaterThan(1.3 * hour(3));
    expect(BUNDLED_VOLUME_PROFILE.description).toMatch(/Binance BTC\/USDT spot 1m volume, 60 UTC days/);
  });
});

describe('VwapStrategy', () => {
  it('follows the profile: back-loaded into the US open, against TWAP', async () => {
    const market = syntheticMarket({ seed: 3, startMs: US_OPEN, durationMs: 700_000 });
    const durationMs = 600_000;
    const { report, bench } = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'vwap', quantity: 2, params: { durationMs, volumeTracking: 0, slices: 10 } }, market);
    const plan = bench.events.find((event) => event.type === 'note' && event.message.startsWith('VWAP plan'));
    const shares = (plan?.type === 'note' ? plan.data?.['expectedShares'] : undefined) as number[];
    expect(shares).toHaveLength(10);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 5);
    expect(shares.at(-1)!).toBeGreaterThan(shares[0]!);
    // Half the time, less than half the quantity: the profile expects more volume later.
    expect(scheduledAt(report, durationMs, 0.5)).toBeLessThan(1);
    expectConsistentReport(report, 2);
  });

  it('tracks the volume the session actually trades (profile: session)', async () => {
    const durationMs = 300_000;
    const request = { symbol: 'BTC/USDT', side: 'sell', type: 'vwap', quantity: 3, params: { durationMs, profile: 'session', slices: 10 } };
    const busyFirst = (await execute(request, lopsided('first'))).report;
    const busySecond = (await execute(request, lopsided('second'))).report;
    // At 80% of the window the clock says 2.4: ahead of it after a busy first half (most of
    // the volume has traded), behind it when the volume only arrives in the second half.
    expect(scheduledAt(busyFirst, durationMs, 0.8)).toBeGreaterThan(3 * 0.8 + 0.1);
    expect(scheduledAt(busySecond, durationMs, 0.8)).toBeLessThan(3 * 0.8 - 0.1);
    // While the rate is steady (the first half), the session curve is the clock.
    expect(scheduledAt(busyFirst, durationMs, 0.4)).toBeCloseTo(1.2, 1);
    expect(scheduledAt(busyFirst, durationMs, 0.8)).toBeGreaterThan(scheduledAt(busySecond, durationMs, 0.8));
  });

  it('reports the market VWAP of the window and the slippage against it', async () => {
    const market = syntheticMarket({ seed: 8 });
    const { report } = await execute({ symbol: 'BTC/USDT', side: 'sell', type: 'vwap', quantity: 1, params: { durationMs: 120_000 } }, market);
    const trades = market.events.filter((event): event is Extract<MarketEvent, { type: 'trade' }> => event.type === 'trade' && event.ts > report.startedAt);
    const vwapOf = (keep: (ts: number) => boolean) => {
      const kept = trades.filter((trade) => keep(trade.ts));
      return kept.reduce((sum, trade) => sum + trade.price * trade.quantity, 0) / kept.reduce((sum, trade) => sum + trade.quantity, 0);
    };
    expect([vwapOf((ts) => ts < report.endedAt), vwapOf((ts) => ts <= report.endedAt)].some((vwap) => Math.abs(vwap - report.marketVwap!) < 1e-6)).toBe(true);
    expect(report.vwapSlippageBps).toBeCloseTo(-((report.averagePrice - report.marketVwap!) / report.marketVwap!) * 10_000, 9);
  });

  it('keeps within a participation cap and says so', async () => {
    const bench = await TestBench.create({ plugins: [vwapStrategyPlugin], market: syntheticMarket({ seed: 2 }) });
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'vwap', quantity: 20, params: { durationMs: 120_000, maxParticipation: 0.05, completion: 'best-effort' } });
    expect(report.completion).toMatchObject({ policy: 'best-effort', outcome: 'left-unfilled' });
    expect(report.filledQuantity / report.marketVolume!).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(bench.events.some((event) => event.type === 'note' && /VWAP participation cap/.test(event.message))).toBe(true);
    expect((bench.venue as InMemoryVenue).received.length).toBeGreaterThan(1);
    await bench.close();
  });

  it('rejects unknown profiles and a missing window, naming the field', async () => {
    const bench = await TestBench.create({ plugins: [vwapStrategyPlugin] });
    await expect(bench.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'vwap', quantity: 1, params: { durationMs: 1_000, profile: 'weekly' } })).rejects.toThrow(/params\.profile/);
    await expect(bench.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'vwap', quantity: 1, params: {} })).rejects.toThrow(/params\.durationMs is required/);
    await bench.close();
  });
});
