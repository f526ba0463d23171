import { describe, expect, it } from 'vitest';
import type { CandleEvent } from '@tranche/core';
import { BaselineProfileSchema } from './baseline-profile.schema.js';
import { buildProfile } from './build-profile.js';
import { dailyStatsFromCandles } from './daily-stats.js';
import { learnProfile } from './learn-profile.js';
import { UtcCalendar } from './utc-calendar.js';

const START = UtcCalendar.parseDay('2024-01-01');

/** Deterministic 1-minute candles: a zigzag whose step doubles in the afternoon (UTC 12–24) and grows by month. */
function candles(days: number): CandleEvent[] {
  const result: CandleEvent[] = [];
  let price = 100;
  for (let minute = 0; minute < days * 1440; minute++) {
    const openTime = START + minute * 60_000;
    const month = Math.floor(minute / (1440 * 31));
    const step = 0.001 * (1 + month) * (UtcCalendar.hour(openTime) >= 12 ? 2 : 1);
    const close = price * (minute % 2 === 0 ? 1 + step : 1 / (1 + step));
    result.push({
      type: 'candle', symbol: 'ETH/USDT', ts: openTime + 60_000, openTime, intervalMs: 60_000,
      open: price, high: Math.max(price, close), low: Math.min(price, close), close,
      volume: minute % 100 === 0 ? 0 : 2, quoteVolume: minute % 100 === 0 ? 0 : 200, trades: 3,
    });
    price = close;
  }
  return result;
}

describe('learnProfile / buildProfile', () => {
  const series = candles(100);

  it('computes daily statistics from candles', () => {
    const days = dailyStatsFromCandles(series.slice(0, 1440));
    expect(days).toHaveLength(1);
    expect(days[0]!.day).toBe('2024-01-01');
    expect(days[0]!.minutes).toBe(1440);
    expect(days[0]!.zeroVolumeShare).toBeCloseTo(15 / 1440, 12);
    expect(days[0]!.tradesPerMinute).toBeCloseTo(3, 12);
    const squares = 720 * Math.log(1.001) ** 2 + 720 * Math.log(1.002) ** 2;
    expect(days[0]!.realizedVolatilityPct).toBeCloseTo(Math.sqrt(squares) * 100, 6);
  });

  it('learns monthly trailing medians and the intraday shape, as a valid profile', () => {
    const profile = learnProfile(series, { symbol: 'ETH/USDT', trailingDays: 30 });
    expect(() => BaselineProfileSchema.parse(profile)).not.toThrow();
    expect(profile.symbol).toBe('ETH/USDT');
    expect(profile.periods.map((period) => period.from)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01']);
    // January is judged against its own first 30 days (nothing before it); later months against the 30 days before.
    const [january, february, march] = profile.periods;
    expect(january!.realizedVolatilityPct).toBeCloseTo(february!.realizedVolatilityPct, 1);
    expect(march!.realizedVolatilityPct).toBeGreaterThan(february!.realizedVolatilityPct * 1.5);
    expect(profile.hourOfDay).toHaveLength(1);
    const volatility = profile.hourOfDay[0]!.volatility;
    // Afternoon hourly ranges are twice the morning's: variance four times.
    expect(volatility[15]! / volatility[3]!).toBeCloseTo(4, 0);
    expect(volatility.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 2);
  });

  it('refuses to build from no complete day', () => {
    expect(() => buildProfile([], [], { symbol: 'ETH/USDT' })).toThrow(/complete day/);
  });
});
