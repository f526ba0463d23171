import { describe, expect, it } from 'vitest';
import { loadRecordedFixture, TestBench, testStrategies } from '@tranche/testkit';
import monitorQualityPlugin, { ExecutionQualityMonitor } from '../src/index.js';
import { MemoryHistoryStore, testServices } from './test-services.js';

// A minute of real Binance BTC/USDT data: a paced buy and sell of 2 BTC over 40 s
// (alternating passive and marketable slices). The figures must agree with the engine's
// report wherever both state them, and add up (spread + impact = shortfall).
describe('ExecutionQualityMonitor on recorded Binance data', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`measures a paced ${side} of 2 BTC over 40 s consistently with the report`, async () => {
      const fixture = loadRecordedFixture();
      const history = new MemoryHistoryStore();
      const bench = await TestBench.create({
        plugins: [testStrategies(), testServices(history, 'normal'), monitorQualityPlugin],
        market: fixture,
        markets: [fixture.market],
      });
      const monitor = bench.tranche.get(ExecutionQualityMonitor);
      const report = await bench.execute({ id: `paced-${side}`, symbol: 'BTC/USDT', side, type: 'paced', quantity: 2, params: { durationMs: 40_000, slices: 8 } });
      await bench.close();
      await monitor.flush();
      const record = monitor.record(report.id)!;
      expect(monitor.isFinal(report.id)).toBe(true);
      expect(record.status).toBe(report.status);
      expect(record.filledQuantity).toBeCloseTo(report.filledQuantity, 9);
      expect(record.averagePrice).toBeCloseTo(report.averagePrice, 6);
      expect(record.implementationShortfallBps).toBeCloseTo(report.slippageBps!, 6);
      expect(record.vwapSlippageBps).toBeCloseTo(report.vwapSlippageBps!, 6);
      expect(record.fees).toBeCloseTo(report.fees, 8);
      expect(record.spreadCostBps! + record.impactCostBps!).toBeCloseTo(record.implementationShortfallBps!, 9);
      expect(record.totalCostBps).toBeCloseTo(record.feeBps! + record.implementationShortfallBps!, 9);
      expect(record.makerShare).toBeGreaterThan(0);
      expect(record.makerShare).toBeLessThan(1);
      expect(record.participationRate).toBeCloseTo(report.filledQuantity / report.marketVolume!, 9);
      // The fixture is a minute long: no mid a minute after the end.
      expect(record.markout1mBps).toBeNull();
      expect(record.marketState).toBe('normal');
      expect(history.entries).toHaveLength(1);
      // TRANCHE_FIGURES=1 prints the figures (for the README and reviews).
      if (process.env['TRANCHE_FIGURES']) console.log(
        `${side}: status ${record.status}, fill ${record.fillRate}, IS ${record.implementationShortfallBps?.toFixed(3)} bps, VWAP ${record.vwapSlippageBps?.toFixed(3)} bps, ` +
          `spread ${record.spreadCostBps?.toFixed(3)}, impact ${record.impactCostBps?.toFixed(3)}, fees ${record.feeBps?.toFixed(3)}, total ${record.totalCostBps?.toFixed(3)} bps, ` +
          `maker ${record.makerShare?.toFixed(3)}, participation ${record.participationRate?.toFixed(3)}, time ${record.timeToCompleteMs} ms, bucket ${record.sizeBucket} (market ${record.marketVolume} BTC)`,
      );
    });
  }
});
