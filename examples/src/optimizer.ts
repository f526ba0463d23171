/**
 * The seed design's strategy-optimizer example, translated to TypeScript: the seed's
 * `strategy_optimizer` config, `initialize()`, the optimal strategy for the `volatile`
 * state, then for an urgent order of 10 % of the market volume, `close()` in `finally`.
 *
 * Run it with `npm run example:optimizer`. The optimizer learns from the execution history
 * that `tranche execute` runs record in `.tranche/tranche.db` (see `tranche history`);
 * until a state has `min_samples` recorded executions, its documented priors decide.
 */
import { createStrategyOptimizer, type StrategySelection } from '@tranche/core';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { pathToFileURL } from 'node:url';

/** The seed's optimizer config, with its snake_case keys, as written there. */
export const optimizerConfig = {
  strategies: ['twap', 'vwap', 'market', 'limit', 'iceberg', 'adaptive'],
  optimization_interval: 24, // hours
  min_samples: 10,
};

/** Options of the example (the tests point it at a temporary history). */
export interface OptimizerExampleOptions {
  /** The execution history file (default `.tranche/tranche.db` under the working directory). */
  historyPath?: string;
}

/** Runs the example; `print` receives what the seed prints. Resolves with both choices. */
export async function runOptimizerExample(
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  options: OptimizerExampleOptions = {},
): Promise<{ plain: StrategySelection; detailed: StrategySelection }> {
  // The strategy optimizer, learning from the recorded executions.
  const history = SqliteExecutionHistoryStore.open(options.historyPath === undefined ? {} : { path: options.historyPath });
  const optimizer = createStrategyOptimizer(optimizerConfig, { history });
  await optimizer.initialize();

  try {
    // The optimal strategy for a market state.
    const marketState = 'volatile';
    const plain = optimizer.getOptimalStrategy(marketState);

    print(`시장 상태 '${marketState}'에 대한 최적 전략: ${plain.strategy}`);
    print(`  (why: ${plain.explanation.decidedBy})`);

    // With the order's details.
    const orderDetails = {
      quantity: 10.0,
      market_volume: 100.0, // 10%
      urgent: true,
    };

    const detailed = optimizer.getOptimalStrategy(marketState, orderDetails);
    print(`주문 상세 정보를 고려한 최적 전략: ${detailed.strategy}`);
    print(`  (why: ${detailed.explanation.decidedBy})`);
    return { plain, detailed };
  } finally {
    // Release resources (the re-optimization timer and the history file).
    await optimizer.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runOptimizerExample();
}
