import { BaselineProfileSchema, type BaselinePeriod, type BaselineProfile, type HourOfDaySeasonality } from './baseline-profile.schema.js';
import type { DailyStats, HourlyBar } from './daily-stats.js';
import { UtcCalendar } from './utc-calendar.js';

const DAY_MS = UtcCalendar.dayMs;

/** Options of `buildProfile`. */
export interface BuildProfileOptions {
  /** Unified symbol the profile describes (`BTC/USDT`). */
  symbol: string;
  /** Where the numbers come from (kept in the profile). */
  source?: string;
  /** Days of history behind each month's medians (default 90: the last quarter is the era). */
  trailingDays?: number;
  /**
   * With fewer trailing days than this (the first weeks of a listing), a month is judged
   * against the first `trailingDays` days of data instead (default 14).
   */
  minDays?: number;
  /** Days covering less than this share of 1440 minutes are left out (default 0.7). */
  minDayCoverage?: number;
  /** Years with fewer hours than this get no seasonality of their own (default 720, a month). */
  minSeasonalityHours?: number;
}

/**
 * Builds a baseline profile from daily statistics and hourly bars: one period per
 * calendar month holding the medians of the `trailingDays` complete days before it
 * (plus one for the month after the data), and hour-of-day multipliers per calendar
 * year (median Parkinson variance `ln(high/low)²` and median volume of each UTC hour,
 * normalized to average 1). Medians, not means, so a crash does not define "normal".
 */
export function buildProfile(days: readonly DailyStats[], hourly: readonly HourlyBar[], options: BuildProfileOptions): BaselineProfile {
  const trailingDays = options.trailingDays ?? 90;
  const minDays = options.minDays ?? 14;
  const coverage = (options.minDayCoverage ?? 0.7) * 1440;
  const complete = days.filter((day) => day.minutes >= coverage).sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  if (complete.length === 0) throw new RangeError('buildProfile needs at least one complete day of data');
  const first = complete[0]!.day;
  const last = complete[complete.length - 1]!.day;
  const periods: BaselinePeriod[] = [];
  for (let month = monthStart(first); month <= nextMonth(monthStart(last)); month = nextMonth(month)) {
    const from = dayMs(month);
    let window = complete.filter((day) => dayMs(day.day) < from && dayMs(day.day) >= from - trailingDays * DAY_MS);
    if (window.length < minDays) window = complete.slice(0, trailingDays);
    periods.push(periodOf(month, window));
  }
  return BaselineProfileSchema.parse({
    symbol: options.symbol,
    ...(options.source !== undefined ? { source: options.source } : {}),
    trailingDays,
    periods,
    hourOfDay: seasonality(hourly, options.minSeasonalityHours ?? 720),
  });
}

function periodOf(from: string, window: readonly DailyStats[]): BaselinePeriod {
  const median = (pick: (day: DailyStats) => number | undefined): number | undefined => {
    const values = window.map(pick).filter((value): value is number => value !== undefined && Number.isFinite(value));
    return values.length > 0 ? round(medianOf(values)) : undefined;
  };
  const optional = (key: 'volumePerMinute' | 'quoteVolumePerMinute' | 'tradesPerMinute'): Partial<BaselinePeriod> => {
    const value = median((day) => day[key]);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    from,
    days: window.length,
    realizedVolatilityPct: median((day) => day.realizedVolatilityPct)!,
    ...optional('volumePerMinute'),
    ...optional('quoteVolumePerMinute'),
    ...optional('tradesPerMinute'),
    zeroVolumeShare: median((day) => day.zeroVolumeShare) ?? 0,
  };
}

function seasonality(hourly: readonly HourlyBar[], minHours: number): HourOfDaySeasonality[] {
  const years = new Map<number, { variance: number[][]; volume: number[][] }>();
  for (const bar of hourly) {
    if (!(bar.high > 0 && bar.low > 0)) continue;
    const year = UtcCalendar.year(bar.openTime);
    let entry = years.get(year);
    if (!entry) {
      entry = { variance: Array.from({ length: 24 }, () => []), volume: Array.from({ length: 24 }, () => []) };
      years.set(year, entry);
    }
    const hour = UtcCalendar.hour(bar.openTime);
    entry.variance[hour]!.push(Math.log(bar.high / bar.low) ** 2);
    entry.volume[hour]!.push(bar.volume);
  }
  const result: HourOfDaySeasonality[] = [];
  for (const [year, entry] of [...years.entries()].sort((a, b) => a[0] - b[0])) {
    const hours = entry.variance.reduce((sum, values) => sum + values.length, 0);
    if (hours < minHours) continue;
    result.push({ from: `${year}-01-01`, volatility: normalized(entry.variance), volume: normalized(entry.volume) });
  }
  return result;
}

/** Median per hour, scaled to average 1 over the day; floored so a dead hour never gets a zero baseline. */
function normalized(byHour: number[][]): number[] {
  const medians = byHour.map((values) => (values.length > 0 ? medianOf(values) : Number.NaN));
  const known = medians.filter((value) => Number.isFinite(value) && value > 0);
  const mean = known.length > 0 ? known.reduce((sum, value) => sum + value, 0) / known.length : 1;
  return medians.map((value) => Math.round(Math.max(0.05, Number.isFinite(value) && value > 0 ? value / mean : 1) * 1000) / 1000);
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Four significant digits: enough for a baseline, small in JSON. */
function round(value: number): number {
  if (value === 0) return 0;
  return Number(value.toPrecision(4));
}

function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${year + 1}-01-01` : `${year}-${String(index + 1).padStart(2, '0')}-01`;
}

function dayMs(day: string): number {
  return UtcCalendar.parseDay(day);
}
