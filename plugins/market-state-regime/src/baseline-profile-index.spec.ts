import { describe, expect, it } from 'vitest';
import { BaselineProfileIndex } from './baseline-profile-index.js';
import { BaselineProfileSchema } from './baseline-profile.schema.js';
import { UtcCalendar } from './utc-calendar.js';

const period = (from: string, realizedVolatilityPct: number) => ({ from, days: 90, realizedVolatilityPct, zeroVolumeShare: 0 });
const hours = (values: (hour: number) => number) => Array.from({ length: 24 }, (_, hour) => values(hour));

const profile = BaselineProfileSchema.parse({
  symbol: 'BTC/USDT',
  trailingDays: 90,
  periods: [period('2020-01-01', 3), period('2020-02-01', 4), period('2021-01-01', 2)],
  hourOfDay: [{ from: '2020-01-01', volatility: hours((hour) => (hour < 12 ? 0.5 : 1.5)), volume: hours(() => 1) }],
});

describe('BaselineProfileIndex', () => {
  const index = new BaselineProfileIndex(profile);

  it('finds the period in force, clamping before the first and after the last', () => {
    expect(index.periodAt(UtcCalendar.parseDay('2019-06-01')).realizedVolatilityPct).toBe(3);
    expect(index.periodAt(UtcCalendar.parseDay('2020-01-31') + 1000).realizedVolatilityPct).toBe(3);
    expect(index.periodAt(UtcCalendar.parseDay('2020-02-01')).realizedVolatilityPct).toBe(4);
    expect(index.periodAt(UtcCalendar.parseDay('2030-01-01')).realizedVolatilityPct).toBe(2);
  });

  it('averages hour-of-day multipliers over a window, whole days averaging out', () => {
    const day = UtcCalendar.parseDay('2020-03-01');
    expect(index.seasonalFactors(day, day + 6 * UtcCalendar.hourMs).volatility).toBeCloseTo(0.5, 12);
    expect(index.seasonalFactors(day + 11 * UtcCalendar.hourMs, day + 13 * UtcCalendar.hourMs).volatility).toBeCloseTo(1, 12);
    expect(index.seasonalFactors(day + 30 * 60_000, day + 3 * UtcCalendar.dayMs + 30 * 60_000).volatility).toBeCloseTo(1, 12);
    expect(index.seasonalFactors(day, day).volatility).toBe(0.5);
  });

  it('rejects profiles with periods out of order or unknown keys', () => {
    expect(() => BaselineProfileSchema.parse({ ...profile, periods: [period('2021-01-01', 2), period('2020-01-01', 2)] })).toThrow(/increasing/);
    expect(() => BaselineProfileSchema.parse({ ...profile, extra: 1 })).toThrow();
  });
});
