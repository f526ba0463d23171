import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

describe('Histogram', () => {
  it('counts, sums and keeps exact min, max and mean', () => {
    const histogram = new Histogram([1, 2, 5, 10]);
    for (const value of [0.5, 1, 3, 7, 20]) histogram.observe(value);
    expect(histogram.count).toBe(5);
    expect(histogram.sum).toBe(31.5);
    expect(histogram.min).toBe(0.5);
    expect(histogram.max).toBe(20);
    expect(histogram.mean).toBeCloseTo(6.3, 12);
  });

  it('reports cumulative buckets with inclusive upper bounds (Prometheus le)', () => {
    const histogram = new Histogram([1, 2, 5, 10]);
    for (const value of [0.5, 1, 3, 7, 20]) histogram.observe(value);
    expect(histogram.toMetricValue('help')).toEqual({
      kind: 'histogram',
      count: 5,
      sum: 31.5,
      buckets: [
        { le: 1, count: 2 },
        { le: 2, count: 2 },
        { le: 5, count: 3 },
        { le: 10, count: 4 },
      ],
      help: 'help',
    });
  });

  it('interpolates quantiles inside the bucket holding the rank (hand-computed)', () => {
    // 10 values in (10, 20] and 10 in (20, 30]: the median rank 10 ends the first bucket.
    const histogram = new Histogram([10, 20, 30]);
    for (let index = 1; index <= 10; index++) histogram.observe(10 + index);
    for (let index = 1; index <= 10; index++) histogram.observe(20 + index);
    expect(histogram.quantile(0.5)).toBe(20);
    // p99: rank 19.8, 9.8 of the 10 in (20, 30] → 20 + 10 × 0.98 = 29.8.
    expect(histogram.quantile(0.99)).toBeCloseTo(29.8, 10);
    // p25: rank 5 of the first bucket, whose lower edge is the minimum 11 → 11 + 9 × 0.5.
    expect(histogram.quantile(0.25)).toBeCloseTo(15.5, 10);
    expect(histogram.quantile(0)).toBe(11);
    expect(histogram.quantile(1)).toBe(30);
  });

  it('ends the overflow bucket at the largest value', () => {
    const histogram = new Histogram([1]);
    histogram.observe(5);
    histogram.observe(9);
    expect(histogram.quantile(0.999)).toBeLessThanOrEqual(9);
    expect(histogram.quantile(0.999)).toBeGreaterThan(5);
  });

  it('ignores non-finite values and is empty-safe', () => {
    const histogram = new Histogram([1, 2]);
    expect(histogram.quantile(0.5)).toBeNaN();
    expect(histogram.mean).toBeNaN();
    histogram.observe(Number.NaN);
    histogram.observe(Number.POSITIVE_INFINITY);
    expect(histogram.count).toBe(0);
    expect(histogram.ignored).toBe(2);
    histogram.observe(1.5);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.min).toBeNaN();
  });

  it('refuses unsorted or empty bounds', () => {
    expect(() => new Histogram([])).toThrow(/at least one/);
    expect(() => new Histogram([2, 1])).toThrow(/ascending/);
    expect(() => new Histogram([1, Number.NaN])).toThrow(/finite/);
  });

  it('builds exponential and per-decade bounds', () => {
    expect(Histogram.exponentialBounds(1, 2, 4)).toEqual([1, 2, 4, 8]);
    const bounds = Histogram.logBounds(1, 1_000, 4);
    expect(bounds).toHaveLength(13);
    expect(bounds[0]).toBe(1);
    expect(bounds.at(-1)).toBeCloseTo(1_000, 6);
    expect(bounds[4]).toBeCloseTo(10, 6);
  });

  it('estimates any quantile within one bucket of the exact sample quantile (property)', () => {
    const bounds = Histogram.logBounds(1, 1e6, 8);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 0.999, noNaN: true }), (values, q) => {
        const histogram = new Histogram(bounds);
        for (const value of values) histogram.observe(value);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
        const estimate = histogram.quantile(q);
        // One bucket is a factor 10^(1/8) ≈ 1.334 wide.
        expect(estimate).toBeGreaterThanOrEqual(exact / 1.34);
        expect(estimate).toBeLessThanOrEqual(exact * 1.34);
        expect(estimate).toBeGreaterThanOrEqual(histogram.min);
        expect(estimate).toBeLessThanOrEqual(histogram.max);
      }),
    );
  });
});
