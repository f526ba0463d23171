import { describe, expect, it } from 'vitest';
import { loadRecordedFixture, TestBench, testStrategies } from '@tranche/testkit';
import monitorExecutionPlugin, { ExecutionMonitor, type ExecutionProgress } from '../src/index.js';

// A minute of real Binance BTC/USDT data: the monitor's view agrees with the engine's report.
describe('ExecutionMonitor on recorded Binance data', () => {
  it('tracks a paced buy of 2 BTC over 40 s against its schedule and end time', async () => {
    const fixture = loadRecordedFixture();
    const bench = await TestBench.create({ plugins: [testStrategies(), monitorExecutionPlugin], market: fixture, markets: [fixture.market] });
    const monitor = bench.tranche.get(ExecutionMonitor);
    const views: ExecutionProgress[] = [];
    monitor.progress$('r1').subscribe((view) => views.push(view));
    const report = await bench.execute({ id: 'r1', symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 2, params: { durationMs: 40_000, slices: 8 } });
    await bench.close();
    const last = views.at(-1)!;
    expect(last.status).toBe(report.status);
    expect(last.filledQuantity).toBeCloseTo(report.filledQuantity, 12);
    expect(last.endTime).toBe(report.startedAt + 40_000);
    // The last schedule point of the report is the monitor's last scheduled quantity.
    expect(last.scheduledQuantity).toBeCloseTo(report.schedule!.at(-1)!.scheduledQuantity, 12);
    const deviations = views.map((view) => view.scheduleDeviationRatio ?? 0);
    const maxWorking = Math.max(...views.map((view) => view.workingOrders));
    const alerts = bench.events.filter((event) => event.type === 'alert');
    expect(alerts.filter((alert) => alert.type === 'alert' && alert.kind === 'stalled')).toEqual([]);
    expect(Math.min(...deviations)).toBeGreaterThan(-0.5);
    if (process.env['TRANCHE_FIGURES']) {
      console.log(
        `views ${views.length}, status ${last.status} in ${(report.endedAt - report.startedAt) / 1_000} s, most behind ${(Math.min(...deviations) * 100).toFixed(1)} % of the order, ` +
          `most ahead ${(Math.max(...deviations) * 100).toFixed(1)} %, max working children ${maxWorking}, alerts ${alerts.map((alert) => (alert.type === 'alert' ? `${alert.kind}@${(alert.ts - report.startedAt) / 1_000}s` : '')).join(', ') || 'none'}`,
      );
    }
  });
});
