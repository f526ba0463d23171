import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessDeadline, recentFillRate } from './alert-rules.js';

describe('alert rule properties', () => {
  it('more left or a slower pace never makes a deadline safer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (now, remaining, rate, extra) => {
          const base = { now, windowStart: 0, endTime: 100_000, minElapsedMs: 10_000, tolerance: 0.25 };
          const verdict = assessDeadline({ ...base, remaining, rate });
          if (verdict.atRisk) {
            expect(assessDeadline({ ...base, remaining: remaining + extra, rate }).atRisk).toBe(true);
            expect(assessDeadline({ ...base, remaining, rate: rate * (1 - extra) }).atRisk).toBe(true);
          }
          if (verdict.projectedCompletionAt !== null) expect(verdict.projectedCompletionAt).toBeGreaterThanOrEqual(now);
        },
      ),
    );
  });

  it('the recent fill rate times the window is the quantity filled in it', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ ts: fc.integer({ min: 0, max: 100_000 }), quantity: fc.double({ min: 0.001, max: 1, noNaN: true }) })), fc.integer({ min: 60_000, max: 100_000 }), (fills, now) => {
        const inWindow = fills.filter((fill) => fill.ts > now - 60_000 && fill.ts <= now).reduce((sum, fill) => sum + fill.quantity, 0);
        expect(recentFillRate(fills, now, 60_000, 0) * 60).toBeCloseTo(inWindow, 9);
      }),
    );
  });
});
