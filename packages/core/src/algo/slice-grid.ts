import type { SeededRandom } from './seeded-random.js';

/** One time slice of an algorithmic schedule. */
export interface GridSlice {
  /** 0-based position. */
  readonly index: number;
  readonly startTime: number;
  readonly endTime: number;
  /** Factor (around 1) applied to the slice's share of the schedule; 1 without randomization. */
  readonly sizeJitter: number;
}

/** The slices of an execution window, in time order, covering it without gaps. */
export interface SliceGrid {
  readonly startTime: number;
  readonly endTime: number;
  readonly slices: readonly GridSlice[];
}

/** Options of `buildSliceGrid`. */
export interface SliceGridOptions {
  readonly startTime: number;
  readonly endTime: number;
  /** Number of slices; wins over `intervalMs`. */
  readonly slices?: number;
  /** Longest slice length; the window is cut into `ceil(duration / intervalMs)` equal slices. */
  readonly intervalMs?: number;
  /** 0–1: how far slice boundaries (up to ±45% of a slice) and sizes (up to ±50%) are jittered. */
  readonly randomization: number;
  /** Source of the jitter (used only when `randomization > 0`). */
  readonly random: SeededRandom;
}

/** Fewest and most slices `defaultSliceCount` picks. */
const DEFAULT_SLICES = { min: 5, max: 240, targetMs: 60_000 };

/** One slice a minute, at least 5 and at most 240: the default when neither `slices` nor `intervalMs` is given. */
export function defaultSliceCount(durationMs: number): number {
  return Math.min(DEFAULT_SLICES.max, Math.max(DEFAULT_SLICES.min, Math.round(durationMs / DEFAULT_SLICES.targetMs)));
}

/**
 * Cuts a window into equal time slices, then (with randomization) moves each inner
 * boundary by up to ±45% of a slice and gives each slice a size factor in
 * `[1 − r/2, 1 + r/2]`, drawn from the seeded generator so a seed always gives the same
 * grid. Boundaries stay strictly increasing and whole milliseconds; the first slice
 * starts at `startTime` and the last ends at `endTime`.
 */
export function buildSliceGrid(options: SliceGridOptions): SliceGrid {
  const { startTime, endTime, randomization, random } = options;
  const durationMs = endTime - startTime;
  const requested = options.slices ?? (options.intervalMs !== undefined ? Math.ceil(durationMs / options.intervalMs) : defaultSliceCount(durationMs));
  // A slice is at least one millisecond long.
  const count = Math.max(1, Math.min(Math.floor(requested), Math.max(1, durationMs)));
  const step = durationMs / count;
  const boundaries: number[] = [startTime];
  const jitters: number[] = [];
  for (let index = 0; index < count; index++) {
    const timing = randomization > 0 ? random.next() - 0.5 : 0;
    const size = randomization > 0 ? 1 + randomization * (random.next() - 0.5) : 1;
    jitters.push(size);
    if (index < count - 1) {
      const nominal = startTime + (index + 1) * step;
      const shifted = Math.round(nominal + timing * 0.9 * randomization * step);
      boundaries.push(Math.min(endTime - (count - 1 - index), Math.max(boundaries[index]! + 1, shifted)));
    }
  }
  boundaries.push(endTime);
  const slices = jitters.map((sizeJitter, index) => ({ index, startTime: boundaries[index]!, endTime: boundaries[index + 1]!, sizeJitter }));
  return { startTime, endTime, slices };
}
