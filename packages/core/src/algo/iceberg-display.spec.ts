import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDisplayQuantity } from './iceberg-display.js';

const base = { displayQuantity: 1, randomization: 0, draw: 0.5, remaining: 10, allowance: Number.POSITIVE_INFINITY, minimum: 0.01, stepSize: 0.001 };

describe('nextDisplayQuantity', () => {
  it('shows the display size, shrunk (never grown) by randomization', () => {
    expect(nextDisplayQuantity(base)).toBe(1);
    expect(nextDisplayQuantity({ ...base, randomization: 1, draw: 0.5 })).toBe(0.75);
    expect(nextDisplayQuantity({ ...base, randomization: 1, draw: 0.999 })).toBe(0.5);
  });

  it('takes a small remainder with the last refill, or leaves exactly the minimum for the next', () => {
    expect(nextDisplayQuantity({ ...base, remaining: 0.4 })).toBe(0.4);
    expect(nextDisplayQuantity({ ...base, displayQuantity: 0.5, remaining: 0.505 })).toBe(0.495);
    expect(nextDisplayQuantity({ ...base, remaining: 1.005 })).toBe(0.995);
    expect(nextDisplayQuantity({ ...base, remaining: 0.005 })).toBe(0);
  });

  it('waits until a participation cap allows the whole display', () => {
    expect(nextDisplayQuantity({ ...base, allowance: 0.5 })).toBe(0);
    expect(nextDisplayQuantity({ ...base, allowance: 1 })).toBe(1);
  });

  it('never shows more than the display size or the remainder, nor less than the minimum (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.double({ min: 0, max: 20, noNaN: true })),
        (displayQuantity, randomization, draw, remaining, allowance) => {
          const shown = nextDisplayQuantity({ displayQuantity, randomization, draw, remaining, allowance, minimum: 0.01, stepSize: 0.001 });
          if (shown === 0) return;
          expect(shown).toBeLessThanOrEqual(displayQuantity + 1e-12);
          expect(shown).toBeLessThanOrEqual(remaining + 1e-12);
          expect(shown).toBeGreaterThanOrEqual(0.01);
          expect(shown).toBeLessThanOrEqual(allowance + 0.01 + 1e-12);
          const rest = remaining - shown;
          expect(rest < 0.001 || rest >= 0.01 - 1e-9).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
