import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pacedTargetCurve } from './paced-target-curve.js';
import { linearTargetCurve } from './target-curve.js';

const window = { startTime: 0, endTime: 100, durationMs: 100 };
const linear = linearTargetCurve(window);

describe('pacedTargetCurve', () => {
  it('with pace 1 from the base curve’s own value is the base curve', () => {
    const curve = pacedTargetCurve(linear, window, { from: 40, fraction: 0.4 });
    for (const time of [0, 10, 40, 55, 99, 100]) expect(curve.fractionAt(time)).toBeCloseTo(linear.fractionAt(time), 12);
  });

  it('spreads the rest after a delay over the rest of the window (pace 1)', () => {
    // Half the window passed with only 20% done: the remaining 80% over the remaining half.
    const curve = pacedTargetCurve(linear, window, { from: 50, fraction: 0.2 });
    expect(curve.fractionAt(50)).toBeCloseTo(0.2, 12);
    expect(curve.fractionAt(75)).toBeCloseTo(0.6, 12);
    expect(curve.fractionAt(100)).toBe(1);
    // Before `from` it scales the base curve to meet the fraction.
    expect(curve.fractionAt(25)).toBeCloseTo(0.1, 12);
  });

  it('holds at pace 0, goes half as fast at 0.5, runs ahead above 1, and is 1 at the end whatever the pace', () => {
    const paused = pacedTargetCurve(linear, window, { from: 20, fraction: 0.2, pace: 0 });
    expect([paused.fractionAt(20), paused.fractionAt(60), paused.fractionAt(99.9), paused.fractionAt(100)]).toEqual([0.2, 0.2, 0.2, 1]);
    expect(paused.description).toMatch(/holding at 20% of the order/);
    const slow = pacedTargetCurve(linear, window, { from: 20, fraction: 0.2, pace: 0.5 });
    expect(slow.fractionAt(60)).toBeCloseTo(0.4, 12);
    expect(slow.fractionAt(99)).toBeCloseTo(0.595, 12);
    const fast = pacedTargetCurve(linear, window, { from: 20, fraction: 0.2, pace: 2 });
    expect(fast.fractionAt(40)).toBeCloseTo(0.6, 12);
    expect(fast.fractionAt(60)).toBe(1);
  });

  it('is non-decreasing, within [0, 1], 0 at the start and 1 at the end, for any pace and start', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 110, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (from, fraction, pace) => {
        const curve = pacedTargetCurve(linear, window, { from, fraction, pace });
        let previous = 0;
        for (let time = -5; time <= 105; time += 2.5) {
          const value = curve.fractionAt(time);
          expect(value).toBeGreaterThanOrEqual(previous - 1e-12);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
          previous = value;
        }
        expect(curve.fractionAt(0)).toBe(0);
        expect(curve.fractionAt(100)).toBe(1);
      }),
    );
  });
});
