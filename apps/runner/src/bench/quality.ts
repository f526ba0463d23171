import { sampleMean, sampleQuantile } from '@tranche/monitor-quality';
import { runBacktest } from '../backtest/run-backtest.js';
import type { BacktestResult } from '../backtest/backtest-result.js';
import { formatBacktest } from '../backtest/backtest-format.js';
import { nowMs, type BenchFigure, type BenchSection } from './bench-section.js';

/** Strategies of the bench's backtest (quick mode: two). */
const STRATEGIES = ['market', 'limit', 'twap', 'vwap', 'iceberg', 'adaptive', 'auto'];

/**
 * Execution quality: the backtest table on the captures (the default grid, with a
 * throw-away history so `auto` decides from the documented priors and every run gives the
 * same figures). Each strategy's mean implementation shortfall and total cost are printed
 * beside the market order's on the same orders: the cost of trading at once.
 */
export const qualitySection: BenchSection = {
  id: 'quality',
  title: 'Execution quality (tranche backtest on the same captures; bps, positive = worse)',
  async run(context) {
    const started = nowMs();
    const result: BacktestResult = await runBacktest({
      data: context.dataDir,
      logger: context.logger,
      config: { 'journal-sqlite': { path: ':memory:' } },
      grid: context.quick ? { strategies: ['market', 'twap'], sides: ['buy'], sizes: [0.02], starts: 2 } : { strategies: STRATEGIES },
    });
    const wallMs = nowMs() - started;
    const byStrategy = new Map<string, { shortfall: number[]; cost: number[]; vwap: number[]; fill: number[] }>();
    for (const run of result.runs) {
      let entry = byStrategy.get(run.requestedStrategy);
      if (!entry) byStrategy.set(run.requestedStrategy, (entry = { shortfall: [], cost: [], vwap: [], fill: [] }));
      if (run.implementationShortfallBps !== null) entry.shortfall.push(run.implementationShortfallBps);
      if (run.totalCostBps !== null) entry.cost.push(run.totalCostBps);
      if (run.vwapSlippageBps !== null) entry.vwap.push(run.vwapSlippageBps);
      entry.fill.push(run.fillRate);
    }
    const summary = Object.fromEntries(
      [...byStrategy].map(([strategy, values]) => [
        strategy,
        {
          runs: values.fill.length,
          implementationShortfallBps: { mean: sampleMean(values.shortfall), p90: sampleQuantile(values.shortfall, 0.9) },
          vwapSlippageBps: { mean: sampleMean(values.vwap), p90: sampleQuantile(values.vwap, 0.9) },
          totalCostBps: { mean: sampleMean(values.cost), p90: sampleQuantile(values.cost, 0.9) },
          fillRate: sampleMean(values.fill),
        },
      ]),
    );
    const market = summary['market'];
    const figures: BenchFigure[] = [];
    for (const [strategy, row] of Object.entries(summary)) {
      if (row.implementationShortfallBps.mean === null) continue;
      figures.push({
        name: `${strategy}: mean shortfall (${row.runs} runs, fill ${((row.fillRate ?? 0) * 100).toFixed(1)}%)`,
        value: row.implementationShortfallBps.mean,
        unit: 'bps',
        ...(strategy !== 'market' && market?.implementationShortfallBps.mean != null ? { baseline: { name: 'market order', value: market.implementationShortfallBps.mean } } : {}),
      });
    }
    figures.push({ name: 'backtest throughput', value: result.runs.length / (wallMs / 1000), unit: 'runs/s' });
    return {
      figures,
      notes: formatBacktest(result).split('\n'),
      json: {
        wallMs,
        runs: result.runs.length,
        skipped: (result.skipped ?? []).length,
        lanes: result.timing.sessions,
        replayedMessages: result.timing.replayedEvents,
        byStrategy: summary,
        table: result.table,
      },
    };
  },
};
