/**
 * UTC calendar arithmetic on epoch milliseconds, without `Date` objects (time in
 * Tranche comes from the data; these only convert it). Civil-date conversions follow
 * H. Hinnant's `days_from_civil` / `civil_from_days`.
 */
export const UtcCalendar = {
  /** Milliseconds in a day. */
  dayMs: 86_400_000,
  /** Milliseconds in an hour. */
  hourMs: 3_600_000,

  /** UTC hour of day, 0..23. */
  hour(ms: number): number {
    return Math.floor(ms / 3_600_000) - Math.floor(ms / 86_400_000) * 24;
  },

  /** UTC calendar year. */
  year(ms: number): number {
    return civilFromDays(Math.floor(ms / 86_400_000)).year;
  },

  /** UTC day as `YYYY-MM-DD`. */
  day(ms: number): string {
    const { year, month, day } = civilFromDays(Math.floor(ms / 86_400_000));
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  },

  /** Epoch ms of the start of a `YYYY-MM-DD` UTC day. */
  parseDay(day: string): number {
    const year = Number(day.slice(0, 4));
    const month = Number(day.slice(5, 7));
    const date = Number(day.slice(8, 10));
    return daysFromCivil(year, month, date) * 86_400_000;
  },
} as const;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
