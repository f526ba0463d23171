import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrailingVolume } from './trailing-volume.js';

describe('TrailingVolume', () => {
  it('sums the trades in (from, to]', () => {
    const volume = new TrailingVolume(60_000);
    volume.add(1_000, 1);
    volume.add(2_000, 2);
    volume.add(3_000, 4);
    expect(volume.volumeBetween(0, 3_000)).toBe(7);
    expect(volume.volumeBetween(1_000, 3_000)).toBe(6);
    expect(volume.volumeBetween(1_000, 2_500)).toBe(2);
    expect(volume.volumeBetween(3_000, 9_000)).toBe(0);
  });

  it('equals a plain sum over any look-back window, over long streams (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 12_000 }), fc.integer({ min: 1, max: 60_000 }), (steps, lookbackMs) => {
        const volume = new TrailingVolume(lookbackMs);
        const trades: Array<[number, number]> = [];
        let ts = 0;
        for (const [gap, quantity] of steps) {
          ts += gap;
          volume.add(ts, quantity);
          trades.push([ts, quantity]);
        }
        const expected = trades.filter(([at]) => at > ts - lookbackMs && at <= ts).reduce((sum, [, quantity]) => sum + quantity, 0);
        expect(volume.volumeBetween(ts - lookbackMs, ts)).toBeCloseTo(expected, 6);
      }),
      { numRuns: 60 },
    );
  });
});
