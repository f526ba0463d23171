import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toFixedNumber } from './to-fixed-number.js';

const reference = (value: number, decimals: number): number => Number(value.toFixed(decimals));

describe('toFixedNumber', () => {
  it('is Number(value.toFixed(decimals)) on halves, zeros, float noise and extremes', () => {
    const values = [0, -0, 0.5, -0.5, 1.5, 2.5, 0.125, 0.005, 1.005, 0.045, -0.045, 1e-7, 5e-9, -5e-9, 0.1 + 0.2, 61234.565, 1e21, 2 ** 53, Number.NaN, Infinity, -Infinity];
    for (const value of values) {
      for (let decimals = 0; decimals <= 20; decimals++) expect(Object.is(toFixedNumber(value, decimals), reference(value, decimals)), `${value} ${decimals}`).toBe(true);
    }
  });

  it('is Number(value.toFixed(decimals)) for any double and any decimals', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.integer({ min: 0, max: 20 }), (value, decimals) => Object.is(toFixedNumber(value, decimals), reference(value, decimals))),
      { numRuns: 20_000 },
    );
  });

  it('is Number(value.toFixed(decimals)) for prices and quantities on a grid, and exact halves of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(0, 0.5, 1 / 3, 1e-9), (units, decimals, offset) => {
        const value = (units + offset) / 10 ** decimals;
        return Object.is(toFixedNumber(value, decimals), reference(value, decimals)) && Object.is(toFixedNumber(value * 3, decimals), reference(value * 3, decimals));
      }),
      { numRuns: 20_000 },
    );
  });
});
