import type { BaselinePeriod, BaselineProfile, HourOfDaySeasonality } from './baseline-profile.schema.js';
import { UtcCalendar } from './utc-calendar.js';

/** Mean intraday multipliers over a time span (1 = no seasonality). */
export interface SeasonalFactors {
  /** Mean variance multiplier. */
  volatility: number;
  /** Mean volume multiplier. */
  volume: number;
}

/**
 * Fast look-ups in a parsed baseline profile: the period in force at a time (binary
 * search) and the mean hour-of-day multipliers over a window.
 */
export class BaselineProfileIndex {
  private readonly periodStarts: number[];
  private readonly seasonalityStarts: number[];

  constructor(readonly profile: BaselineProfile) {
    this.periodStarts = profile.periods.map((period) => UtcCalendar.parseDay(period.from));
    this.seasonalityStarts = profile.hourOfDay.map((entry) => UtcCalendar.parseDay(entry.from));
  }

  /** The symbol the profile describes. */
  get symbol(): string {
    return this.profile.symbol;
  }

  /** The period in force at `ts` (the first before the profile starts, the last after it ends). */
  periodAt(ts: number): BaselinePeriod {
    return this.profile.periods[Math.max(0, lastAtOrBefore(this.periodStarts, ts))]!;
  }

  /** The hour-of-day multipliers in force at `ts`, if the profile has any. */
  seasonalityAt(ts: number): HourOfDaySeasonality | undefined {
    if (this.profile.hourOfDay.length === 0) return undefined;
    return this.profile.hourOfDay[Math.max(0, lastAtOrBefore(this.seasonalityStarts, ts))];
  }

  /**
   * Mean multipliers over `[startMs, endMs)`, each UTC hour weighted by its overlap
   * (whole days average out to their daily mean). O(24) at most.
   */
  seasonalFactors(startMs: number, endMs: number): SeasonalFactors {
    const seasonality = this.seasonalityAt(endMs);
    if (!seasonality || !(endMs > startMs)) {
      if (!seasonality) return { volatility: 1, volume: 1 };
      const hour = UtcCalendar.hour(startMs);
      return { volatility: seasonality.volatility[hour]!, volume: seasonality.volume[hour]! };
    }
    const span = endMs - startMs;
    const fullDays = Math.floor(span / UtcCalendar.dayMs);
    let volatility = fullDays * UtcCalendar.dayMs * mean(seasonality.volatility);
    let volume = fullDays * UtcCalendar.dayMs * mean(seasonality.volume);
    let time = startMs + fullDays * UtcCalendar.dayMs;
    while (time < endMs) {
      const hour = UtcCalendar.hour(time);
      const next = Math.min(endMs, (Math.floor(time / UtcCalendar.hourMs) + 1) * UtcCalendar.hourMs);
      volatility += seasonality.volatility[hour]! * (next - time);
      volume += seasonality.volume[hour]! * (next - time);
      time = next;
    }
    return { volatility: volatility / span, volume: volume / span };
  }
}

function lastAtOrBefore(starts: readonly number[], ts: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (starts[middle]! <= ts) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
