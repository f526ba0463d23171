import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  MarketFeature,
  MarketStateClassifier,
  definePlugin,
  type ExecutionEvent,
  type MarketFeatures,
  type MarketStateClassification,
  type TranchePlugin,
} from '@tranche/core';
import marketStateRegime from '@tranche/market-state-regime';
import monitorMarketState, { MarketStateMonitor } from '@tranche/monitor-market-state';
import adaptiveStrategy from '@tranche/strategy-adaptive';
import { expectAlgoInvariants, loadRecordedFixture, TestBench } from '@tranche/testkit';
import { PaperVenue } from '@tranche/venue-paper';

// The adaptive strategy on a minute of real Binance BTC/USDT data with the real market-state
// pipeline installed: the monitor (5-second bars over a one-minute window, so it speaks within
// the minute) and the default regime classifier, matched by the paper venue.
const MONITOR = { 'monitor-market-state': { bar_seconds: 5, window_minutes: 1, hysteresis: { confirm_evaluations: 1 } } };

/** A user-added state, as a user would register it: `volume-burst` when the window trades at least 24 BTC a minute. */
const volumeBurstPlugin = definePlugin({
  name: 'volume-burst',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(MarketStateClassifier).toConstantValue({
      id: 'volume-burst',
      states: ['volume-burst'],
      classify: (features: MarketFeatures): MarketStateClassification =>
        (features[MarketFeature.volumePerMinute] ?? 0) >= 24
          ? { state: 'volume-burst', confidence: 0.95, features }
          : { state: 'normal', confidence: 0, features },
    });
  }),
}) as TranchePlugin<unknown>;

async function run(side: 'buy' | 'sell', params: Record<string, unknown>, extra: { plugins?: TranchePlugin<unknown>[]; config?: Record<string, unknown> } = {}) {
  const fixture = loadRecordedFixture();
  const bench = await TestBench.create({
    plugins: [monitorMarketState, marketStateRegime, ...(extra.plugins ?? []), adaptiveStrategy] as TranchePlugin<unknown>[],
    config: { ...MONITOR, ...extra.config },
    market: fixture,
    markets: [fixture.market],
    venue: (clock, source) => PaperVenue.create({ clock, source, config: { markets: [fixture.market] } }),
  });
  const venue = bench.venue as PaperVenue;
  const received: Parameters<typeof expectAlgoInvariants>[0]['received'][number][] = [];
  const place = venue.placeOrder.bind(venue);
  venue.placeOrder = (request) => {
    received.push(request);
    return place(request);
  };
  const report = await bench.execute({ symbol: 'BTC/USDT', side, type: 'adaptive', quantity: 2, params });
  const monitor = bench.tranche.get<MarketStateMonitor>(MarketStateMonitor);
  const history = monitor.history('BTC/USDT').map((change) => ({ at: change.ts - fixture.snapshot.ts, state: change.state }));
  const openOrders = await venue.openOrders();
  await bench.close();
  return { report, bench, fixture, received, history, openOrders };
}

type Note = Extract<ExecutionEvent, { type: 'note' }>;
const decisions = (bench: TestBench): Note[] =>
  bench.events.filter((event): event is Note => event.type === 'note' && /^Adaptive (starts|switches|keeps)/.test(event.message));
const summary = (bench: TestBench): string => bench.events.filter((event): event is Note => event.type === 'note' && /^Adaptive summary/.test(event.message)).at(-1)!.message;

describe('adaptive on recorded Binance data with the real market-state monitor and regime classifier', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`works a ${side} of 2 BTC over 50 s on the monitor's states, within the limit price and participation cap`, async () => {
      const fixture = loadRecordedFixture();
      const mid = (fixture.snapshot.bids[0]![0] + fixture.snapshot.asks[0]![0]) / 2;
      const limitPrice = Number((side === 'buy' ? mid * 1.001 : mid * 0.999).toFixed(2));
      const { report, bench, received, history, openOrders } = await run(side, { durationMs: 50_000, slices: 10, seed: 1, maxParticipation: 0.3, limitPrice });
      expectAlgoInvariants({ report, received, executionEvents: bench.events, events: fixture.events, market: fixture.market, limitPrice, maxParticipation: 0.3, endTime: report.startedAt + 50_000 });
      expect(report.status).toBe('filled');
      expect(report.vwapSlippageBps).not.toBeNull();
      expect(openOrders).toHaveLength(0);
      // The regime calls this quiet minute normal from the first 5-second bar: the adaptive starts
      // before any state (and says so), then keeps the normal tactic on the monitor's verdict.
      expect(history).toEqual([{ at: 4_592, state: 'normal' }]);
      const [start, first] = decisions(bench);
      expect(start!.message).toMatch(/^Adaptive starts with twap: no market state received/);
      expect(first!.message).toMatch(/^Adaptive keeps twap \(normal, confidence 0\.\d+, classified at 23:54:20\.000 UTC\): market state normal: tactics\.normal = twap/);
      expect(summary(bench)).toMatch(/market states seen: normal/);
    });
  }

  it('a user-added state from a classifier registered next to the regime: the normal tactic and a note, or its own tactic when mapped', async () => {
    const params = { durationMs: 58_000, slices: 12, seed: 3, finalStretchShare: 0.1 };
    const plugins = [volumeBurstPlugin];
    // A 15-second window, so a burst of trading stands out.
    const config = { 'monitor-market-state': { ...MONITOR['monitor-market-state'], window_minutes: 0.25 } };
    const unmapped = await run('buy', params, { plugins, config });
    // The window's volume reaches 24 BTC a minute when the bar ending 23:55:00 closes.
    expect(unmapped.history).toEqual([
      { at: 4_592, state: 'normal' },
      { at: 44_592, state: 'volume-burst' },
    ]);
    const burstAt = unmapped.history.find((change) => change.state === 'volume-burst')!.at;
    const kept = decisions(unmapped.bench).find((note) => note.data!['state'] === 'volume-burst')!;
    expect(kept.message).toMatch(/^Adaptive keeps twap \(volume-burst, confidence 0\.95, .*\): market state volume-burst has no tactic of its own: falls back to tactics\.normal = twap/);
    expect(unmapped.report.status).toBe('filled');

    const mapped = await run('buy', { ...params, tactics: { 'volume-burst': 'pause' } }, { plugins, config });
    const paused = decisions(mapped.bench).find((note) => note.data!['state'] === 'volume-burst')!;
    expect(paused.data!['stateTs']).toBe(mapped.fixture.snapshot.ts + burstAt);
    expect(paused.message).toMatch(/^Adaptive switches twap → pause \(volume-burst, .*\): market state volume-burst: tactics\.volume-burst = pause/);
    // Nothing new is sent during the pause (bounded by maxPauseMs, a tenth of the window).
    const sentInPause = mapped.bench.events.filter((event) => event.type === 'child-order-intent' && event.ts >= paused.ts && event.ts < paused.ts + 5_800);
    expect(sentInPause).toHaveLength(0);
    expect(mapped.report.filledQuantity).toBeGreaterThan(1.9);
    expect(mapped.openOrders).toHaveLength(0);
    expect(summary(mapped.bench)).toMatch(/twap → pause/);
  });
});
