import { describe, expect, it } from 'vitest';
import { expectAlgoInvariants, InMemoryVenue, TestBench, loadRecordedFixture } from '@tranche/testkit';
import adaptiveStrategyPlugin from '../src/index.js';
import { scriptedMarketStates, type ScriptedState } from './scripted-market-states.js';

// End to end on a minute of real Binance BTC/USDT data, with market states scripted over it
// (the real monitor and classifier run in apps/runner/test/adaptive.e2e.spec.ts).
const SCRIPT: ScriptedState[] = [
  { atMs: 0, state: 'ranging' },
  { atMs: 12_000, state: 'volatile' },
  { atMs: 22_000, state: 'trending', features: { logReturn: 0.0005 } },
  { atMs: 32_000, state: 'normal' },
];

describe('Adaptive on recorded Binance data', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`works a ${side} of 2 BTC over 50 s through ranging, volatile, trending and normal states to completion`, async () => {
      const fixture = loadRecordedFixture();
      const bench = await TestBench.create({ plugins: [adaptiveStrategyPlugin, scriptedMarketStates(SCRIPT)], market: fixture, markets: [fixture.market] });
      const mid = (fixture.snapshot.bids[0]![0] + fixture.snapshot.asks[0]![0]) / 2;
      const limitPrice = Number((side === 'buy' ? mid * 1.001 : mid * 0.999).toFixed(2));
      const params = { durationMs: 50_000, slices: 10, randomization: 0.3, seed: 1, maxParticipation: 0.3, limitPrice };
      const report = await bench.execute({ symbol: 'BTC/USDT', side, type: 'adaptive', quantity: 2, params });
      expectAlgoInvariants({
        report,
        received: (bench.venue as InMemoryVenue).received,
        executionEvents: bench.events,
        events: fixture.events,
        market: fixture.market,
        limitPrice,
        maxParticipation: 0.3,
        endTime: report.startedAt + 50_000,
      });
      expect(report.status).toBe('filled');
      expect(report.marketVwap).toBeGreaterThan(0);
      expect(report.vwapSlippageBps).not.toBeNull();
      // The tactic each state change chose (catch-ups in between depend on the fills); a rising market (logReturn > 0) runs against a buy and with a sell.
      const byState = bench.events.flatMap((event) =>
        event.type === 'note' && /^Adaptive (starts|switches|keeps)/.test(event.message) && event.data!['trigger'] !== 'check' && event.data!['trigger'] !== 'bound'
          ? [[event.ts - fixture.snapshot.ts, event.data!['state'], event.data!['tactic']]]
          : [],
      );
      expect(byState).toEqual([
        [0, 'ranging', 'passive'],
        [12_000, 'volatile', 'pause'],
        [22_000, 'trending', side === 'buy' ? 'aggressive' : 'passive'],
        [32_000, 'normal', 'twap'],
      ]);
      const summary = bench.events.filter((event) => event.type === 'note' && /^Adaptive summary/.test(event.message));
      expect(summary).toHaveLength(1);
      expect(await bench.venue.openOrders()).toHaveLength(0);
      await bench.close();
    });
  }
});
