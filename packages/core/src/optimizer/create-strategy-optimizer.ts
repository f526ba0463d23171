import type { Clock } from '../contracts/clock.js';
import type { ExecutionHistoryStore } from '../contracts/execution-history-store.js';
import type { ExecutionStrategy } from '../contracts/execution-strategy.js';
import type { Logger } from '../contracts/logger.js';
import { TrancheError } from '../errors/tranche-error.js';
import { parseInput } from '../errors/validation.js';
import { CoreConfigSchema } from '../model/config.schema.js';
import { DuplicateConfigKeyError, normalizeConfigKeys, originalConfigPath } from '../plugin/config-keys.js';
import { LiveClock } from '../time/live-clock.js';
import { NoopLogger } from '../util/noop-logger.js';
import { ExecutionStrategyOptimizer } from './execution-strategy-optimizer.js';

/** What a standalone optimizer may use besides its config. */
export interface StrategyOptimizerDependencies {
  /** Where recorded executions come from (e.g. `@tranche/journal-sqlite`); without one, priors decide. */
  history?: ExecutionHistoryStore;
  /** Time and the re-optimization schedule (default: the wall clock). */
  clock?: Clock;
  logger?: Logger;
  /** Installed strategies; candidates are the configured ones among them (default: every configured id). */
  strategies?: readonly ExecutionStrategy<unknown>[];
}

/**
 * An `ExecutionStrategyOptimizer` outside a container, as in the seed's example:
 * `config` is the `strategy_optimizer` section (snake_case or camelCase keys:
 * `strategies`, `optimization_interval` hours, `min_samples`). Call `initialize()`
 * before use and `close()` after (it stops the re-optimization timer).
 */
export function createStrategyOptimizer(config: unknown = {}, dependencies: StrategyOptimizerDependencies = {}): ExecutionStrategyOptimizer {
  let section: unknown;
  try {
    section = normalizeConfigKeys(config);
  } catch (error) {
    if (error instanceof DuplicateConfigKeyError) throw new TrancheError('validation', error.message, { field: error.field, retryable: false });
    throw error;
  }
  const core = parseInput(CoreConfigSchema, { strategyOptimizer: section }, 'strategy_optimizer config', (path) =>
    originalConfigPath(config, path.slice(1)),
  );
  return new ExecutionStrategyOptimizer(
    core,
    dependencies.clock ?? new LiveClock(),
    dependencies.logger ?? new NoopLogger(),
    dependencies.history,
    dependencies.strategies,
  );
}
