import type { CandleEvent } from '@tranche/core';
import { UtcCalendar } from './utc-calendar.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Statistics of one UTC day of bars: the inputs of a baseline profile. */
export interface DailyStats {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Minutes of the day covered by bars (1440 for a complete day of 1-minute bars). */
  minutes: number;
  /** Realized volatility in percent per √day: `sqrt(Σ r² / minutes × 1440) × 100`. */
  realizedVolatilityPct: number;
  volumePerMinute?: number;
  quoteVolumePerMinute?: number;
  tradesPerMinute?: number;
  /** Share of bars with zero volume. */
  zeroVolumeShare: number;
}

/** One UTC hour of price range and volume: the input of intraday seasonality. */
export interface HourlyBar {
  /** Start of the hour (epoch ms). */
  openTime: number;
  high: number;
  low: number;
  /** Quote volume when known, otherwise base volume. */
  volume: number;
}

/**
 * Daily statistics of candles (any bar length, time order): returns are taken
 * close to close across day boundaries, the first bar against its own open.
 */
export function dailyStatsFromCandles(candles: Iterable<CandleEvent>): DailyStats[] {
  const days: DailyStats[] = [];
  let current: { day: number; minutes: number; squares: number; volume: number; quote: number; quoteKnown: boolean; trades: number; tradesKnown: boolean; bars: number; zero: number } | undefined;
  let previousClose = Number.NaN;
  const finish = (): void => {
    if (!current || current.minutes === 0) return;
    days.push({
      day: UtcCalendar.day(current.day * DAY_MS),
      minutes: current.minutes,
      realizedVolatilityPct: Math.sqrt((current.squares / current.minutes) * 1440) * 100,
      volumePerMinute: current.volume / current.minutes,
      ...(current.quoteKnown ? { quoteVolumePerMinute: current.quote / current.minutes } : {}),
      ...(current.tradesKnown ? { tradesPerMinute: current.trades / current.minutes } : {}),
      zeroVolumeShare: current.zero / current.bars,
    });
  };
  for (const candle of candles) {
    const day = Math.floor(candle.openTime / DAY_MS);
    if (!current || current.day !== day) {
      finish();
      current = { day, minutes: 0, squares: 0, volume: 0, quote: 0, quoteKnown: true, trades: 0, tradesKnown: true, bars: 0, zero: 0 };
    }
    const reference = Number.isNaN(previousClose) ? candle.open : previousClose;
    const logReturn = Math.log(candle.close / reference);
    previousClose = candle.close;
    current.minutes += candle.intervalMs / MINUTE_MS;
    current.squares += logReturn * logReturn;
    current.volume += candle.volume;
    current.bars++;
    if (candle.volume === 0) current.zero++;
    if (candle.quoteVolume === undefined) current.quoteKnown = false;
    else current.quote += candle.quoteVolume;
    if (candle.trades === undefined) current.tradesKnown = false;
    else current.trades += candle.trades;
  }
  finish();
  return days;
}

/** Candles aggregated into UTC hours (high, low and volume of each hour with data). */
export function hourlyBarsFromCandles(candles: Iterable<CandleEvent>): HourlyBar[] {
  const hours: HourlyBar[] = [];
  let current: HourlyBar | undefined;
  for (const candle of candles) {
    const openTime = Math.floor(candle.openTime / HOUR_MS) * HOUR_MS;
    if (!current || current.openTime !== openTime) {
      if (current) hours.push(current);
      current = { openTime, high: candle.high, low: candle.low, volume: 0 };
    }
    current.high = Math.max(current.high, candle.high);
    current.low = Math.min(current.low, candle.low);
    current.volume += candle.quoteVolume ?? candle.volume;
  }
  if (current) hours.push(current);
  return hours;
}
