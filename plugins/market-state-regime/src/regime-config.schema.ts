import { z } from 'zod';
import { SymbolSchema } from '@tranche/core';
import { BaselineProfileSchema } from './baseline-profile.schema.js';

/** Thresholds of the regime rules, as multiples of the baseline (ratios) or in standard deviations. */
export const RegimeThresholdsSchema = z
  .object({
    /** `volatile` when the window's volatility is at least this multiple of the baseline's. */
    volatileRatio: z.number().finite().positive().default(2).describe('`volatile` when the window\'s volatility is at least this multiple of the baseline\'s.'),
    /** `ranging` when the window's volatility is at most this multiple of the baseline's. */
    rangingRatio: z.number().finite().positive().default(0.5).describe('`ranging` when the window\'s volatility is at most this multiple of the baseline\'s.'),
    /** `trending` needs a move over the window of at least this many baseline standard deviations… */
    trendMoveSigmas: z.number().finite().positive().default(2).describe('`trending` needs a move over the window of at least this many baseline standard deviations…'),
    /** …and a drift t-statistic against the window's own volatility of at least this. */
    trendDriftTStat: z.number().finite().nonnegative().default(1).describe('…and a drift t-statistic against the window\'s own volatility of at least this.'),
    /** `illiquid` when at least this share of bars has no volume at all. */
    illiquidZeroVolumeShare: z.number().min(0).max(1).default(0.2).describe('`illiquid` when at least this share of bars has no volume at all.'),
    /** `illiquid` when volume is at most this multiple of the baseline's. */
    illiquidVolumeRatio: z.number().finite().nonnegative().default(0.1).describe('`illiquid` when volume is at most this multiple of the baseline\'s.'),
    /** `illiquid` when the spread is at least this multiple of the baseline's (book data only). */
    illiquidSpreadRatio: z.number().finite().positive().default(3).describe('`illiquid` when the spread is at least this multiple of the baseline\'s (book data only).'),
    /** `illiquid` when near-touch depth is at most this multiple of the baseline's (book data only). */
    illiquidDepthRatio: z.number().finite().nonnegative().default(0.25).describe('`illiquid` when near-touch depth is at most this multiple of the baseline\'s (book data only).'),
  })
  .strict();
/** Parsed regime thresholds. */
export type RegimeThresholds = z.infer<typeof RegimeThresholdsSchema>;

/** How the bundled profile gives way to the run's own history. */
export const RegimeAdaptSchema = z
  .object({
    /** Blend the run's own daily medians into the baseline (the `baseline*` features of the window). */
    enabled: z.boolean().default(true).describe('Blend the run\'s own daily medians into the baseline (the `baseline*` features of the window).'),
    /** Complete days of the run needed before they count. */
    minDays: z.number().int().nonnegative().default(3).describe('Complete days of the run needed before they count.'),
    /** The profile weighs as much as this many days of the run: weight of the run = days / (days + this). */
    profileWeightDays: z.number().finite().nonnegative().default(14).describe('The profile weighs as much as this many days of the run: weight of the run = days / (days + this).'),
  })
  .strict();

/** The `market-state-regime` config section. Strict: unknown keys are errors; every key has a default. */
export const RegimeConfigSchema = z
  .object({
    /** Thresholds of the regime rules, as multiples of the baseline (ratios) or in standard deviations. */
    thresholds: RegimeThresholdsSchema.prefault({}).describe('Thresholds of the regime rules, as multiples of the baseline (ratios) or in standard deviations.'),
    /** The baseline counts as this many minutes of observations (shrinks early, short windows towards "normal"). */
    priorMinutes: z.number().finite().nonnegative().default(60).describe('The baseline counts as this many minutes of observations (shrinks early, short windows towards "normal").'),
    /** Baseline profile per symbol: a path to a profile JSON file or the profile itself (overrides the bundled one). */
    profiles: z.record(SymbolSchema, z.union([z.string().min(1), BaselineProfileSchema])).default({}).describe('Baseline profile per symbol: a path to a profile JSON file or the profile itself (overrides the bundled one).'),
    /** Use the profiles bundled with the package (BTC/USDT from Binance spot, 2017–2025) for symbols not in `profiles`. */
    bundledProfiles: z.boolean().default(true).describe('Use the profiles bundled with the package (BTC/USDT from Binance spot, 2017–2025) for symbols not in `profiles`.'),
    /** Symbol assumed when `classify` is called without a context. */
    defaultSymbol: SymbolSchema.default('BTC/USDT').describe('Symbol assumed when `classify` is called without a context.'),
    /** How the bundled profile gives way to the run's own history. */
    adapt: RegimeAdaptSchema.prefault({}).describe('How the bundled profile gives way to the run\'s own history.'),
  })
  .strict();
/** The parsed `market-state-regime` config section. */
export type RegimeConfig = z.infer<typeof RegimeConfigSchema>;
/** The `market-state-regime` config section as a user writes it. */
export type RegimeConfigInput = z.input<typeof RegimeConfigSchema>;
/** Token under which the parsed `market-state-regime` config section is bound. */
export const RegimeConfig = Symbol.for('tranche.market-state-regime.config');
