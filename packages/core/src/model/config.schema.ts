import { z } from 'zod';
import { NotificationsConfigSchema } from '../observe/execution-notifier-config.schema.js';

/** `strategy_optimizer` section of the seed's config. */
export const StrategyOptimizerConfigSchema = z
  .object({
    /** Strategy ids the optimizer may choose from. */
    strategies: z.array(z.string().min(1)).min(1).default(['twap', 'vwap', 'market', 'limit', 'iceberg', 'adaptive']).describe('Strategy ids the optimizer may choose from.'),
    /** Hours between re-optimizations. */
    optimizationInterval: z.number().positive().default(24).describe('Hours between re-optimizations.'),
    /** Below this many recorded executions for a state, documented priors decide. */
    minSamples: z.number().int().nonnegative().default(10).describe('Below this many recorded executions for a state, documented priors decide.'),
  })
  .strict();
/** `strategy_optimizer` config. */
export type StrategyOptimizerConfig = z.infer<typeof StrategyOptimizerConfigSchema>;

/** `asset_cache` section of the seed's config. */
export const AssetCacheConfigSchema = z
  .object({
    /** Seconds after which a cached entry is stale. */
    cacheTtl: z.number().positive().default(60).describe('Seconds after which a cached entry is stale.'),
    /** Seconds between refreshes through the venue when no stream keeps an entry fresh. */
    refreshInterval: z.number().positive().default(5).describe('Seconds between refreshes through the venue when no stream keeps an entry fresh.'),
    /** Symbols warmed at `initialize()`. */
    defaultSymbols: z.array(z.string()).default([]).describe('Symbols warmed at `initialize()`.'),
  })
  .strict();
/** `asset_cache` config. */
export type AssetCacheConfig = z.infer<typeof AssetCacheConfigSchema>;

/**
 * The core part of a Tranche config. Plugin sections are added under each plugin's
 * name by `createTranche`; any other key is an error. Keys may be written in the
 * seed's snake_case (`max_retries`) or in camelCase (`maxRetries`).
 */
export const CoreConfigSchema = z
  .object({
    /** Strategy used for `type: "auto"` when no optimizer is installed. */
    defaultStrategy: z.string().regex(/^[a-z][a-z0-9-]*$/).default('market').describe('Strategy used for `type: "auto"` when no optimizer is installed.'),
    /** Retries of a retryable venue error before a child order is given up. */
    maxRetries: z.number().int().min(0).max(20).default(3).describe('Retries of a retryable venue error before a child order is given up.'),
    /** Id of the venue to trade on when several venue plugins are installed. */
    venue: z.string().optional().describe('Id of the venue to trade on when several venue plugins are installed.'),
    /** How the optimizer chooses a strategy for `type: "auto"` (installed with an execution history store). */
    strategyOptimizer: StrategyOptimizerConfigSchema.prefault({}).describe('How the optimizer chooses a strategy for `type: "auto"` (installed with an execution history store).'),
    /** The per-symbol cache of books, trades, tickers and market info. */
    assetCache: AssetCacheConfigSchema.prefault({}).describe('The per-symbol cache of books, trades, tickers and market info.'),
    /** Routing, thresholds and throttling of the `ExecutionNotifier` (see docs/notifications.md). */
    notifications: NotificationsConfigSchema.prefault({}).describe('Routing, thresholds and throttling of the `ExecutionNotifier` (see docs/notifications.md).'),
  })
  .strict();
/** The core part of a Tranche config, after defaults. */
export type CoreConfig = z.infer<typeof CoreConfigSchema>;
/** The core part of a Tranche config as a user writes it. */
export type CoreConfigInput = z.input<typeof CoreConfigSchema>;
