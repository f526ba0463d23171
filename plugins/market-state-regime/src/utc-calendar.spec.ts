import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UtcCalendar } from './utc-calendar.js';

describe('UtcCalendar', () => {
  it('converts known instants', () => {
    expect(UtcCalendar.day(0)).toBe('1970-01-01');
    expect(UtcCalendar.day(1_503_100_800_000)).toBe('2017-08-19');
    expect(UtcCalendar.day(1_709_164_800_000)).toBe('2024-02-29');
    expect(UtcCalendar.year(1_735_689_599_999)).toBe(2024);
    expect(UtcCalendar.year(1_735_689_600_000)).toBe(2025);
    expect(UtcCalendar.hour(1_503_100_800_000 + 13 * 3_600_000 + 59_999)).toBe(13);
    expect(UtcCalendar.parseDay('2024-02-29')).toBe(1_709_164_800_000);
  });

  it('round-trips days and keeps hours in 0..23 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
        const start = UtcCalendar.parseDay(UtcCalendar.day(ms));
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms - start).toBeLessThan(UtcCalendar.dayMs);
        expect(UtcCalendar.hour(ms)).toBe(Math.floor((ms - start) / UtcCalendar.hourMs));
        expect(UtcCalendar.year(ms)).toBe(Number(UtcCalendar.day(ms).slice(0, 4)));
      }),
    );
  });
});
