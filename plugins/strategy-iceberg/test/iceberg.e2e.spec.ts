import { describe, expect, it } from 'vitest';
import { runAlgoScenario } from '@tranche/testkit';
import icebergStrategyPlugin from '../src/index.js';

// End to end on a minute of real Binance BTC/USDT data (from the captures bundled with the replay feed).
describe('Iceberg on recorded Binance data', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`works a ${side} of 2 BTC over 50 s to completion with its schedule in the report`, async () => {
      const params = { durationMs: 50_000, displayQuantity: 0.25, randomization: 0.3, seed: 1, maxParticipation: 0.3 };
      const { report, openOrdersAtEnd } = await runAlgoScenario({
        plugins: [icebergStrategyPlugin],
        type: 'iceberg',
        side,
        quantity: 2,
        params,
        market: 'recorded',
        limitOffsetBps: side === 'buy' ? 10 : -10,
      });
      expect(report.status).toBe('filled');
      expect(report.schedule!.length).toBeGreaterThan(2);
      expect(report.marketVwap).toBeGreaterThan(0);
      expect(report.vwapSlippageBps).not.toBeNull();
      expect(report.completion?.outcome).toMatch(/completed|swept/);
      expect(openOrdersAtEnd).toBe(0);
    });
  }
});
