import { z } from 'zod';
import { OrderSideSchema, SymbolSchema } from '@tranche/core';

const StrategyIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { message: 'must be a strategy id such as "twap" or "auto"' });
const DurationMsSchema = z.number().int().positive();

/** Strategies a backtest runs when the grid names none: every built-in one and `auto`. */
export const DEFAULT_BACKTEST_STRATEGIES = ['market', 'limit', 'twap', 'vwap', 'iceberg', 'adaptive', 'auto'] as const;

/**
 * The grid of parent orders a backtest runs (the `backtest` section of a config file, or
 * the command's flags). Every combination of symbol × side × size × duration × strategy
 * is a lane; each lane runs one order per start time on its own replay of the data, so
 * orders of different lanes never trade against each other. Strict: unknown keys are errors.
 */
export const BacktestGridSchema = z
  .object({
    /** Symbols to trade (default: every symbol of the data). */
    symbols: z.array(SymbolSchema).min(1).optional(),
    /** Sides (default both). */
    sides: z.array(OrderSideSchema).min(1).default(['buy', 'sell']),
    /**
     * Order sizes as a share of the market volume expected over the order's window,
     * estimated from the volume traded in the `warmupMs` before its start (never from the
     * window itself: sizing must not look ahead). Default 1 % and 5 %.
     */
    sizes: z.array(z.number().positive().max(1)).min(1).default([0.01, 0.05]),
    /** Order windows, ms (default 2 minutes). */
    durationsMs: z.array(DurationMsSchema).min(1).default([120_000]),
    /** Strategies, `auto` included (default: market, limit, twap, vwap, iceberg, adaptive, auto). */
    strategies: z.array(StrategyIdSchema).min(1).default([...DEFAULT_BACKTEST_STRATEGIES]),
    /** Most start times per lane (default: as many as fit in the data). */
    starts: z.number().int().positive().max(10_000).optional(),
    /** Time between start times, ms (default: the longest duration, so a lane's orders never overlap; spread to at most 24 starts over long data when `starts` is not set). */
    startEveryMs: DurationMsSchema.optional(),
    /** Data before the first start, for the volume estimate and the market-state monitor, ms (default: the longest duration, at least a minute). */
    warmupMs: DurationMsSchema.optional(),
    /** Seed of the randomized strategies (each run derives its own from it). */
    seed: z.number().int().nonnegative().default(1),
    /** Extra params per strategy id, merged over the backtest's defaults (e.g. `{ "twap": { "randomization": 0.3 } }`). */
    params: z.record(StrategyIdSchema, z.record(z.string(), z.unknown())).default({}),
  })
  .strict();
/** The parsed backtest grid. */
export type BacktestGrid = z.infer<typeof BacktestGridSchema>;
/** The backtest grid as a user writes it. */
export type BacktestGridInput = z.input<typeof BacktestGridSchema>;
