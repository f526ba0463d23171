import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Clock, MarketDataSource, createTranche, type ExecutionReport, type TranchePlugin, type VirtualClock } from '@tranche/core';
// End to end on purpose: the candle replay must drive the real paper venue and a real algorithm.
// eslint-disable-next-line @nx/enforce-module-boundaries
import paperVenuePlugin from '@tranche/venue-paper';
// eslint-disable-next-line @nx/enforce-module-boundaries
import twapStrategyPlugin from '@tranche/strategy-twap';
import feedReplay, { CandleReplayMarketDataSource, ReplayMarketDataSource, bundledDataDir, readCandles } from '../src/index.js';

const DAY_FILE = join(bundledDataDir(), 'candles', 'binance-spot_BTCUSDT_1m_2024-03-18.csv.gz');
const plugins = [feedReplay, paperVenuePlugin, twapStrategyPlugin] as TranchePlugin<unknown>[];

/** Lowest low and highest high of the bars overlapping `[from, to]`. */
function barRange(from: number, to: number): { low: number; high: number } {
  const bars = readCandles(DAY_FILE).candles.filter((bar) => bar.ts > from && bar.openTime <= to);
  return { low: Math.min(...bars.map((bar) => bar.low)), high: Math.max(...bars.map((bar) => bar.high)) };
}

describe('a candle replay drives the paper venue and a TWAP', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const tranche of open) await tranche.close();
  });

  for (const [side, style] of [
    ['buy', 'marketable'],
    ['sell', 'passive'],
  ] as const) {
    it(`fills a ${style} TWAP ${side} of 2 BTC over 30 minutes of 1m bars, at an average price within the bars' range`, async () => {
      const tranche = createTranche({ config: { 'feed-replay': { candles: DAY_FILE } }, plugins });
      open.push(tranche);
      const source = tranche.get<MarketDataSource>(MarketDataSource);
      expect(source).toBeInstanceOf(CandleReplayMarketDataSource);
      expect(tranche.get(ReplayMarketDataSource)).toBe(source);
      expect(source.symbols()).toEqual(['BTC/USDT']);
      await tranche.manager.initialize();
      const clock = tranche.get<VirtualClock>(Clock);
      const startedAt = clock.now();
      expect(startedAt).toBe(Date.UTC(2024, 2, 18));

      const report: ExecutionReport = await tranche.manager.executeOrder({
        symbol: 'BTC/USDT',
        side,
        type: 'twap',
        quantity: 2,
        params: { durationMs: 30 * 60_000, slices: 30, childOrderStyle: style, seed: 1 },
      });
      expect(report.status).toBe('filled');
      expect(report.filledQuantity).toBeCloseTo(2, 8);
      const lastFill = Math.max(...report.fills.map((fill) => fill.ts));
      expect(lastFill).toBeLessThanOrEqual(startedAt + 31 * 60_000);
      const { low, high } = barRange(startedAt, lastFill);
      expect(report.averagePrice).toBeGreaterThanOrEqual(low);
      expect(report.averagePrice).toBeLessThanOrEqual(high);
      for (const fill of report.fills) {
        const bar = barRange(fill.ts, fill.ts);
        // A taker pays at most half the synthetic spread (plus walking the book) beyond the bar's range.
        expect(fill.price).toBeGreaterThanOrEqual(bar.low * (1 - 5e-4));
        expect(fill.price).toBeLessThanOrEqual(bar.high * (1 + 5e-4));
      }
      if (style === 'passive') expect(report.fills.some((fill) => fill.liquidity === 'maker')).toBe(true);
    });
  }
});
