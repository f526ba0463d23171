import { existsSync, statSync } from 'node:fs';
import { SymbolSchema } from '@tranche/core';
import { bundledDataDir } from '@tranche/feed-replay';
import { z } from 'zod';

/** Log levels of the app's logger, in increasing severity. */
export const MINIMAL_LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level of the app's logger. */
export type MinimalLogLevel = (typeof MINIMAL_LOG_LEVELS)[number];

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s`, `5m`, `1h`, `1500ms` or a plain number of milliseconds → milliseconds. */
const DurationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h)?$/, { error: 'must be a duration such as 90s, 5m, 1h or a number of milliseconds' })
  .transform((text) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text)!;
    return Math.round(Number(amount) * DURATION_UNITS_MS[unit ?? 'ms']!);
  })
  .pipe(z.number().int().min(1_000, { error: 'must be at least 1s' }).max(24 * 3_600_000, { error: 'must be at most 24h' }));

/** A decimal number written on the command line (`0.5`, `61900`). */
const DecimalSchema = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { error: 'must be a positive decimal number such as 0.5' })
  .transform(Number)
  .pipe(z.number().finite().positive({ error: 'must be greater than 0' }));

/**
 * The flags of `tranche-minimal`, as strings from the command line. Parsed once at
 * the boundary; a bad flag is one validation `TrancheError` naming it and its value.
 */
export const MinimalSettingsSchema = z
  .object({
    /** `buy` or `sell`. */
    side: z.enum(['buy', 'sell']).default('buy'),
    /** Parent quantity in the base currency. */
    quantity: DecimalSchema.default(0.5),
    /** Symbol to trade; must be in the recorded data (the bundled data has BTC/USDT). */
    symbol: SymbolSchema.default('BTC/USDT'),
    /** How long the TWAP runs (data time). */
    duration: DurationSchema.default(5 * 60_000),
    /** Number of TWAP slices (default: one a minute, at least 5). */
    slices: z
      .string()
      .regex(/^\d+$/, { error: 'must be a whole number' })
      .transform(Number)
      .pipe(z.number().int().min(1).max(10_000))
      .optional(),
    /** Worst price the TWAP accepts (a buy never pays more, a sell never gets less). */
    limitPrice: DecimalSchema.optional(),
    /** Directory of recorded captures (default: the Binance data bundled with @tranche/feed-replay). */
    data: z
      .string()
      .min(1)
      .refine((dir) => existsSync(dir) && statSync(dir).isDirectory(), { error: 'must be an existing directory' })
      .default(() => bundledDataDir()),
    /** `max` (virtual time, as fast as the CPU allows) or a factor of real time. */
    speed: z
      .union([z.literal('max'), DecimalSchema], { error: 'must be "max" or a positive factor of real time such as 10' })
      .default('max'),
    /** Print the report as JSON on stdout. */
    json: z.boolean().default(false),
    /** Lowest level of the log lines written to stderr. */
    logLevel: z.enum(MINIMAL_LOG_LEVELS).default('warn'),
  })
  .strict();
/** The parsed settings of one `tranche-minimal` run. */
export type MinimalSettings = z.infer<typeof MinimalSettingsSchema>;
/** The settings as given (flag values are strings). */
export type MinimalSettingsInput = z.input<typeof MinimalSettingsSchema>;
