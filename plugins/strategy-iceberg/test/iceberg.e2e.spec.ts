import { describe, expect, it } from 'vitest';
import { expectAlgoInvariants, InMemoryVenue, loadRecordedFixture, TestBench } from '@tranche/testkit';
import icebergStrategyPlugin from '../src/index.js';

// End to end on a minute of real Binance BTC/USDT data (from the captures bundled with the replay feed).
describe('Iceberg on recorded Binance data', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`works a ${side} of 2 BTC over 50 s to completion with its schedule in the report`, async () => {
      const fixture = loadRecordedFixture();
      const bench = await TestBench.create({ plugins: [icebergStrategyPlugin], market: fixture, markets: [fixture.market] });
      const mid = (fixture.snapshot.bids[0]![0] + fixture.snapshot.asks[0]![0]) / 2;
      const limitPrice = Number((side === 'buy' ? mid * 1.001 : mid * 0.999).toFixed(2));
      const params = { durationMs: 50_000, displayQuantity: 0.25, randomization: 0.3, seed: 1, maxParticipation: 0.3, limitPrice };
      const report = await bench.execute({ symbol: 'BTC/USDT', side, type: 'iceberg', quantity: 2, params });
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
      expect(report.schedule!.length).toBeGreaterThan(2);
      expect(report.marketVwap).toBeGreaterThan(0);
      expect(report.vwapSlippageBps).not.toBeNull();
      expect(report.completion?.outcome).toMatch(/completed|swept/);
      expect(await bench.venue.openOrders()).toHaveLength(0);
      await bench.close();
    });
  }
});
