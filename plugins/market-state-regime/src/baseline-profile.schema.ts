import { z } from 'zod';
import { SymbolSchema } from '@tranche/core';

const DaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a UTC day written YYYY-MM-DD' });
const Positive = z.number().finite().positive();
const NonNegative = z.number().finite().nonnegative();

/**
 * What is normal for a symbol from one day on: medians of daily statistics over the
 * trailing days before `from` (so a day is judged against its own era).
 */
export const BaselinePeriodSchema = z
  .object({
    /** First UTC day this period applies to; it holds until the next period's `from`. */
    from: DaySchema,
    /** Days of history behind the medians. */
    days: z.number().int().positive(),
    /** Median daily realized volatility: stdev of 1-minute log returns × √1440 × 100 (percent per √day). */
    realizedVolatilityPct: Positive,
    /** Median daily base volume per minute. */
    volumePerMinute: NonNegative.optional(),
    /** Median daily quote volume per minute. */
    quoteVolumePerMinute: NonNegative.optional(),
    /** Median daily trades per minute. */
    tradesPerMinute: NonNegative.optional(),
    /** Median daily share of 1-minute bars without volume. */
    zeroVolumeShare: z.number().min(0).max(1),
    /** Typical bid-ask spread in bps, when known (not from candles). */
    spreadBps: Positive.optional(),
    /** Typical near-touch depth in quote currency, when known (not from candles). */
    topDepthQuote: Positive.optional(),
  })
  .strict();
/** One period of a baseline profile. */
export type BaselinePeriod = z.infer<typeof BaselinePeriodSchema>;

const HourlyMultipliers = z.array(Positive).length(24);

/** Intraday seasonality from one day on: multipliers per UTC hour, averaging 1 over the day. */
export const HourOfDaySeasonalitySchema = z
  .object({
    /** First UTC day these multipliers apply to. */
    from: DaySchema,
    /** Variance multipliers by UTC hour (0..23). */
    volatility: HourlyMultipliers,
    /** Volume multipliers by UTC hour (0..23). */
    volume: HourlyMultipliers,
  })
  .strict();
/** Intraday seasonality of a baseline profile. */
export type HourOfDaySeasonality = z.infer<typeof HourOfDaySeasonalitySchema>;

/** A symbol's baseline: what its market is normally like, period by period. */
export const BaselineProfileSchema = z
  .object({
    symbol: SymbolSchema,
    /** Where the numbers come from. */
    source: z.string().optional(),
    /** Length of the trailing history behind each period's medians, in days. */
    trailingDays: z.number().int().positive(),
    /** Periods in increasing `from` order; before the first, the first applies; after the last, the last. */
    periods: z
      .array(BaselinePeriodSchema)
      .min(1)
      .refine((periods) => periods.every((period, index) => index === 0 || periods[index - 1]!.from < period.from), {
        error: 'periods must be in increasing "from" order',
      }),
    /** Intraday seasonality, in increasing `from` order (none: flat). */
    hourOfDay: z.array(HourOfDaySeasonalitySchema).default([]),
  })
  .strict();
/** A symbol's baseline profile. */
export type BaselineProfile = z.infer<typeof BaselineProfileSchema>;
/** A baseline profile as written in a file or config. */
export type BaselineProfileInput = z.input<typeof BaselineProfileSchema>;
