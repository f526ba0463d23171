import { describe, expect, it } from 'vitest';
import { shareOfTime } from './share-of-time.js';

describe('shareOfTime', () => {
  it('weighs each state by how long it held', () => {
    const series = [
      { ts: 0, state: 'normal' },
      { ts: 30, state: 'volatile' },
      { ts: 40, state: 'normal' },
    ];
    expect(shareOfTime(series, 100)).toEqual({ normal: 0.9, volatile: 0.1 });
  });

  it('counts one step for the last entry by default (one verdict per bar weighs bars alike)', () => {
    const series = ['a', 'a', 'b', 'a'].map((state, index) => ({ ts: index * 60, state }));
    expect(shareOfTime(series)).toEqual({ a: 0.75, b: 0.25 });
  });

  it('handles empty and single-entry series', () => {
    expect(shareOfTime([])).toEqual({});
    expect(shareOfTime([{ ts: 5, state: 'ranging' }])).toEqual({ ranging: 1 });
    expect(shareOfTime([{ ts: 5, state: 'ranging' }], 5)).toEqual({ ranging: 1 });
  });
});
