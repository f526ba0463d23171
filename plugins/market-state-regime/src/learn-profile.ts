import type { CandleEvent } from '@tranche/core';
import type { BaselineProfile } from './baseline-profile.schema.js';
import { buildProfile, type BuildProfileOptions } from './build-profile.js';
import { dailyStatsFromCandles, hourlyBarsFromCandles } from './daily-stats.js';

/**
 * Learns a baseline profile from a symbol's own candle history (time order, any bar
 * length; months of 1-minute bars are ideal): daily statistics → monthly trailing
 * medians, hourly ranges and volumes → hour-of-day multipliers. Save it as JSON and
 * name it in `market-state-regime.profiles`, or pass it inline.
 */
export function learnProfile(candles: readonly CandleEvent[], options: BuildProfileOptions): BaselineProfile {
  return buildProfile(dailyStatsFromCandles(candles), hourlyBarsFromCandles(candles), {
    source: `learned from ${candles.length} candles`,
    ...options,
  });
}
