import { describe, expect, it } from 'vitest';
import { candleVertices, pathPrices } from './candle-path.js';

describe('candle path', () => {
  it('visits the low first on an up bar and the high first on a down bar, unless told otherwise', () => {
    const up = { open: 10, high: 12, low: 9, close: 11 };
    const down = { open: 11, high: 12, low: 9, close: 10 };
    expect(candleVertices(up, 'by-direction')).toEqual([10, 9, 12, 11]);
    expect(candleVertices(down, 'by-direction')).toEqual([11, 12, 9, 10]);
    expect(candleVertices(down, 'low-first')).toEqual([11, 9, 12, 10]);
    expect(candleVertices(up, 'high-first')).toEqual([10, 12, 9, 11]);
    // A bar whose extremes do not contain its open and close is widened, not trusted.
    expect(candleVertices({ open: 10, high: 9.5, low: 9, close: 9.2 }, 'by-direction')).toEqual([10, 10, 9, 9.2]);
  });

  it('puts every vertex on the path and spreads the other points by leg length', () => {
    expect(pathPrices([10, 9, 12, 11], 4)).toEqual([10, 9, 12, 11]);
    // Legs of 1, 3 and 1: four extra points go 1, 2, 1 (largest remainder, ties to the first leg).
    expect(pathPrices([10, 9, 12, 11], 8)).toEqual([10, 9.5, 9, 10, 11, 12, 11.5, 11]);
    const flat = pathPrices([5, 5, 5, 5], 9);
    expect(flat).toHaveLength(9);
    expect(new Set(flat)).toEqual(new Set([5]));
  });
});
