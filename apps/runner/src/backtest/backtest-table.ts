import { sampleMean, sampleQuantile } from '@tranche/monitor-quality';
import type { OrderSizeBucket } from '@tranche/core';
import type { BacktestRow, BacktestRun, BacktestStat } from './backtest-result.js';

const BUCKET_ORDER: Record<OrderSizeBucket, number> = { small: 0, medium: 1, large: 2, xlarge: 3 };

/**
 * Groups runs by requested strategy (so `auto` is its own row) × market state at the
 * start × size bucket, with the mean and p90 of implementation shortfall, VWAP slippage,
 * fill rate and total cost; rows sorted by strategy, state and bucket.
 */
export function backtestTable(runs: readonly BacktestRun[]): BacktestRow[] {
  const groups = new Map<string, BacktestRun[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.requestedStrategy, run.marketState, run.sizeBucket]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(run);
  }
  return [...groups.values()]
    .map((group): BacktestRow => {
      const first = group[0]!;
      return {
        strategy: first.requestedStrategy,
        marketState: first.marketState,
        sizeBucket: first.sizeBucket,
        count: group.length,
        filledCount: group.filter((run) => run.status === 'filled').length,
        implementationShortfallBps: stat(group.map((run) => run.implementationShortfallBps)),
        vwapSlippageBps: stat(group.map((run) => run.vwapSlippageBps)),
        fillRate: stat(group.map((run) => run.fillRate)),
        totalCostBps: stat(group.map((run) => run.totalCostBps)),
      };
    })
    .sort((a, b) => a.strategy.localeCompare(b.strategy) || a.marketState.localeCompare(b.marketState) || BUCKET_ORDER[a.sizeBucket] - BUCKET_ORDER[b.sizeBucket]);
}

function stat(values: ReadonlyArray<number | null>): BacktestStat {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return { count: known.length, mean: sampleMean(known), p90: sampleQuantile(known, 0.9) };
}
