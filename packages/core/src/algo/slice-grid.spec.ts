import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.js';
import { buildSliceGrid, defaultSliceCount } from './slice-grid.js';

describe('buildSliceGrid', () => {
  it('cuts a window into equal slices without randomization', () => {
    const grid = buildSliceGrid({ startTime: 0, endTime: 60_000, slices: 4, randomization: 0, random: new SeededRandom(1) });
    expect(grid.slices.map((slice) => [slice.startTime, slice.endTime, slice.sizeJitter])).toEqual([
      [0, 15_000, 1],
      [15_000, 30_000, 1],
      [30_000, 45_000, 1],
      [45_000, 60_000, 1],
    ]);
  });

  it('takes intervalMs as the longest slice and defaults to one slice a minute (5–240)', () => {
    expect(buildSliceGrid({ startTime: 0, endTime: 100_000, intervalMs: 30_000, randomization: 0, random: new SeededRandom(1) }).slices).toHaveLength(4);
    expect(defaultSliceCount(60_000)).toBe(5);
    expect(defaultSliceCount(3_600_000)).toBe(60);
    expect(defaultSliceCount(86_400_000)).toBe(240);
  });

  it('jitters boundaries and sizes within bounds, the same way for the same seed', () => {
    const build = (seed: number) => buildSliceGrid({ startTime: 0, endTime: 100_000, slices: 10, randomization: 1, random: new SeededRandom(seed) });
    const grid = build(5);
    expect(build(5)).toEqual(grid);
    expect(build(6)).not.toEqual(grid);
    expect(grid.slices.some((slice) => slice.startTime % 10_000 !== 0)).toBe(true);
    for (const slice of grid.slices) {
      expect(slice.sizeJitter).toBeGreaterThanOrEqual(0.5);
      expect(slice.sizeJitter).toBeLessThan(1.5);
      if (slice.index > 0) expect(Math.abs(slice.startTime - slice.index * 10_000)).toBeLessThanOrEqual(4_500);
    }
  });

  it('always covers the window with contiguous, strictly increasing slices (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (startTime, durationMs, slices, randomization, seed) => {
          const grid = buildSliceGrid({ startTime, endTime: startTime + durationMs, slices, randomization, random: new SeededRandom(seed) });
          expect(grid.slices[0]!.startTime).toBe(startTime);
          expect(grid.slices.at(-1)!.endTime).toBe(startTime + durationMs);
          expect(grid.slices.length).toBe(Math.min(slices, durationMs));
          for (const slice of grid.slices) {
            expect(slice.endTime).toBeGreaterThan(slice.startTime);
            expect(Number.isInteger(slice.startTime)).toBe(true);
            if (slice.index > 0) expect(slice.startTime).toBe(grid.slices[slice.index - 1]!.endTime);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
