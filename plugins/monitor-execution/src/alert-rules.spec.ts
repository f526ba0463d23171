import { describe, expect, it } from 'vitest';
import { assessDeadline, isStalled, recentFillRate } from './alert-rules.js';

describe('recentFillRate', () => {
  const fills = [
    { ts: 1_000, quantity: 1 },
    { ts: 30_000, quantity: 2 },
    { ts: 55_000, quantity: 3 },
  ];

  it('divides the quantity of the trailing window by its length: (2 + 3) / 45 s at 70 s with a 45 s window', () => {
    expect(recentFillRate(fills, 70_000, 45_000, 0)).toBe(5 / 45);
    // The window is open at its start: at 70 s a 40 s window begins just after the fill at 30 s.
    expect(recentFillRate(fills, 70_000, 40_000, 0)).toBe(3 / 40);
  });

  it('cuts the window at the start: 6 over the 60 s since a start at 0, not over 120 s', () => {
    expect(recentFillRate(fills, 60_000, 120_000, 0)).toBe(6 / 60);
  });

  it('is 0 with no time elapsed or no fills', () => {
    expect(recentFillRate(fills, 0, 60_000, 0)).toBe(0);
    expect(recentFillRate([], 10_000, 60_000, 0)).toBe(0);
  });
});

describe('isStalled', () => {
  it('is true after stalledAfterMs without activity, counted from the window start at the earliest', () => {
    expect(isStalled({ now: 70_000, windowStart: 0, lastActivityAt: 10_000, stalledAfterMs: 60_000 })).toBe(true);
    expect(isStalled({ now: 69_999, windowStart: 0, lastActivityAt: 10_000, stalledAfterMs: 60_000 })).toBe(false);
    // A future start: nothing is expected before it.
    expect(isStalled({ now: 70_000, windowStart: 50_000, lastActivityAt: 0, stalledAfterMs: 60_000 })).toBe(false);
    expect(isStalled({ now: 110_000, windowStart: 50_000, lastActivityAt: 0, stalledAfterMs: 60_000 })).toBe(true);
  });
});

describe('assessDeadline', () => {
  const base = { windowStart: 0, endTime: 100_000, minElapsedMs: 10_000, tolerance: 0.1 };

  it('projects now + remaining / rate: 4 left at 0.1/s from 50 s → 90 s, before the 100 s end', () => {
    const verdict = assessDeadline({ ...base, now: 50_000, remaining: 4, rate: 0.1 });
    expect(verdict).toEqual({ projectedCompletionAt: 90_000, atRisk: false, pastEnd: false });
  });

  it('is at risk beyond the tolerance: 7 left at 0.1/s from 50 s → 120 s > 100 s + 10 % of 100 s', () => {
    expect(assessDeadline({ ...base, now: 50_000, remaining: 7, rate: 0.1 })).toEqual({ projectedCompletionAt: 120_000, atRisk: true, pastEnd: false });
    // 6 left → 110 s: exactly at the tolerance, not beyond.
    expect(assessDeadline({ ...base, now: 50_000, remaining: 6, rate: 0.1 }).atRisk).toBe(false);
  });

  it('with nothing filled recently the projection is never, hence at risk once past minElapsedMs', () => {
    expect(assessDeadline({ ...base, now: 9_999, remaining: 1, rate: 0 }).atRisk).toBe(false);
    expect(assessDeadline({ ...base, now: 10_000, remaining: 1, rate: 0 })).toEqual({ projectedCompletionAt: Number.POSITIVE_INFINITY, atRisk: true, pastEnd: false });
  });

  it('says when the end has passed and is never at risk with nothing left', () => {
    expect(assessDeadline({ ...base, now: 115_000, remaining: 1, rate: 1 })).toEqual({ projectedCompletionAt: 116_000, atRisk: true, pastEnd: true });
    expect(assessDeadline({ ...base, now: 50_000, remaining: 0, rate: 0 })).toEqual({ projectedCompletionAt: null, atRisk: false, pastEnd: false });
  });
});
