import type { AlgoWindow } from './algo-window.js';
import { clampFraction, linearTargetCurve, type TargetCurve } from './target-curve.js';
import type { VolumeProfile } from './volume-profile.schema.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;
/** 1970-01-01 was a Thursday (Sunday = 0). */
const EPOCH_DAY_OF_WEEK = 4;

/** Options of `volumeProfileCurve`. */
export interface VolumeProfileCurveOptions {
  /** Use the profile's row for each UTC day of the week (falls back to `minuteOfDay` when it has none). */
  readonly dayOfWeek?: boolean;
}

/**
 * The VWAP curve of a historical volume profile: the fraction of the window's expected
 * market volume that trades by a time, with each minute's volume spread evenly over the
 * minute. A window with no expected volume at all falls back to the linear curve.
 */
export function volumeProfileCurve(profile: VolumeProfile, window: AlgoWindow, options: VolumeProfileCurveOptions = {}): TargetCurve {
  const byDay = options.dayOfWeek === true && profile.dayOfWeek !== undefined;
  const weightAt = (minute: number): number => {
    const minuteOfDay = ((minute % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
    if (!byDay) return profile.minuteOfDay[minuteOfDay] ?? 0;
    const dayOfWeek = (((Math.floor(minute / DAY_MINUTES) + EPOCH_DAY_OF_WEEK) % 7) + 7) % 7;
    return profile.dayOfWeek![dayOfWeek]![minuteOfDay] ?? 0;
  };
  const firstMinute = Math.floor(window.startTime / MINUTE_MS);
  const lastMinute = Math.floor((window.endTime - 1) / MINUTE_MS);
  // cumulative[i]: expected volume from the window start to the start of minute firstMinute + i.
  const cumulative: number[] = [0];
  for (let minute = firstMinute; minute <= lastMinute; minute++) {
    const from = Math.max(window.startTime, minute * MINUTE_MS);
    const to = Math.min(window.endTime, (minute + 1) * MINUTE_MS);
    cumulative.push(cumulative[cumulative.length - 1]! + (weightAt(minute) * (to - from)) / MINUTE_MS);
  }
  const total = cumulative[cumulative.length - 1]!;
  if (!(total > 0)) return linearTargetCurve(window);
  return {
    description: `the ${byDay ? 'day-of-week' : 'intraday'} volume profile`,
    fractionAt: (time) => {
      if (time <= window.startTime) return 0;
      if (time >= window.endTime) return 1;
      const minute = Math.floor(time / MINUTE_MS);
      const index = minute - firstMinute;
      const from = Math.max(window.startTime, minute * MINUTE_MS);
      const partial = (weightAt(minute) * (time - from)) / MINUTE_MS;
      return clampFraction((cumulative[index]! + partial) / total);
    },
  };
}
