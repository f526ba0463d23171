import { describe, expect, it } from 'vitest';
import { ceilToIncrement, decimalsOf, floorToIncrement, isMultipleOf, roundToIncrement } from './rounding.js';

describe('rounding', () => {
  it('counts decimals of increments', () => {
    expect([decimalsOf(0.01), decimalsOf(0.00001), decimalsOf(1), decimalsOf(1e-8), decimalsOf(0.5)]).toEqual([2, 5, 0, 8, 1]);
  });
  it('rounds to tick and step without float noise', () => {
    expect(floorToIncrement(0.30000000000000004, 0.1)).toBe(0.3);
    expect(floorToIncrement(1.23456789, 0.00001)).toBe(1.23456);
    expect(ceilToIncrement(61837.631, 0.01)).toBe(61837.64);
    expect(floorToIncrement(61837.639, 0.01)).toBe(61837.63);
    expect(roundToIncrement(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(floorToIncrement(0.00008999999999, 0.00001)).toBe(0.00009);
  });
  it('recognises multiples within float noise', () => {
    expect(isMultipleOf(0.3, 0.1)).toBe(true);
    expect(isMultipleOf(61837.63, 0.01)).toBe(true);
    expect(isMultipleOf(61837.635, 0.01)).toBe(false);
    expect(isMultipleOf(9001, 0.00001)).toBe(true);
    expect(isMultipleOf(123456.78901, 0.00001)).toBe(true);
    expect(isMultipleOf(123456.789015, 0.00001)).toBe(false);
  });
});
