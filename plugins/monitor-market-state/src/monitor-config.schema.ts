import { z } from 'zod';
import { SymbolSchema } from '@tranche/core';

const ClassifierId = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case classifier id' });

/** The `monitor-market-state` config section. Strict: unknown keys are errors; every key has a default. */
export const MarketStateMonitorConfigSchema = z
  .object({
    /** Length of the rolling feature window in minutes (default a day; it expands from the first bar until full). */
    windowMinutes: z.number().finite().positive().default(1440).describe('Length of the rolling feature window in minutes (default a day; it expands from the first bar until full).'),
    /** Bar length in seconds for trades and book data (candles are bars as they come). */
    barSeconds: z.number().finite().positive().default(60).describe('Bar length in seconds for trades and book data (candles are bars as they come).'),
    /** Minimum data time between evaluations in seconds; 0 evaluates on every closed bar. */
    evaluateEverySeconds: z.number().finite().nonnegative().default(0).describe('Minimum data time between evaluations in seconds; 0 evaluates on every closed bar.'),
    /** Complete days of the run kept for the run's own baseline (`baseline*` features). */
    baselineDays: z.number().int().nonnegative().default(30).describe('Complete days of the run kept for the run\'s own baseline (`baseline*` features).'),
    /** Band around the mid within which book depth counts, in bps. */
    depthBandBps: z.number().finite().positive().default(10).describe('Band around the mid within which book depth counts, in bps.'),
    /** How sticky the published state is: a new state must win several evaluations in a row, or win clearly. */
    hysteresis: z
      .object({
        /** A new state must win this many evaluations in a row to replace the current one. */
        confirmEvaluations: z.number().int().positive().default(5).describe('A new state must win this many evaluations in a row to replace the current one.'),
        /** …unless its confidence beats the current state's by at least this much. */
        confidenceMargin: z.number().finite().nonnegative().default(0.3).describe('…unless its confidence beats the current state\'s by at least this much.'),
      })
      .strict()
      .prefault({})
      .describe('How sticky the published state is: a new state must win several evaluations in a row, or win clearly.'),
    /**
     * Classifier ids in priority order. The first whose verdict reaches its minimum
     * confidence wins; the last is the fallback and always counts. Empty: every
     * installed classifier in registration order, with `regime` (the default) last.
     */
    classifiers: z.array(ClassifierId).default([]).describe('Classifier ids in priority order. The first whose verdict reaches its minimum confidence wins; the last is the fallback and always counts. Empty: every installed classifier in registration order, with `regime` (the default) last.'),
    /** Minimum confidence for a classifier before the last to override the ones after it. */
    minConfidence: z.number().min(0).max(1).default(0.5).describe('Minimum confidence for a classifier before the last to override the ones after it.'),
    /** Per-classifier minimum confidence, overriding `minConfidence`. */
    classifierMinConfidence: z.record(ClassifierId, z.number().min(0).max(1)).default({}).describe('Per-classifier minimum confidence, overriding `minConfidence`.'),
    /** State changes kept per symbol by `history(symbol)`. */
    historyLimit: z.number().int().positive().default(1000).describe('State changes kept per symbol by `history(symbol)`.'),
    /** `changes`: `state$` emits when the state changes; `evaluations`: after every evaluation. */
    publish: z.enum(['changes', 'evaluations']).default('changes').describe('`changes`: `state$` emits when the state changes; `evaluations`: after every evaluation.'),
    /** Symbols to follow (empty: every symbol with data). */
    symbols: z.array(SymbolSchema).default([]).describe('Symbols to follow (empty: every symbol with data).'),
  })
  .strict();
/** The parsed `monitor-market-state` config section. */
export type MarketStateMonitorConfig = z.infer<typeof MarketStateMonitorConfigSchema>;
/** The `monitor-market-state` config section as a user writes it. */
export type MarketStateMonitorConfigInput = z.input<typeof MarketStateMonitorConfigSchema>;
/** Token under which the parsed `monitor-market-state` config section is bound. */
export const MarketStateMonitorConfig = Symbol.for('tranche.monitor-market-state.config');
