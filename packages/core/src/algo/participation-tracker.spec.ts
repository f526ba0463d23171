import { describe, expect, it } from 'vitest';
import { ParticipationTracker } from './participation-tracker.js';

describe('ParticipationTracker', () => {
  it('counts volume and VWAP from the start only', () => {
    const tracker = new ParticipationTracker(1_000);
    expect(tracker.vwap).toBeNull();
    tracker.observe({ ts: 999, price: 50, quantity: 10 });
    tracker.observe({ ts: 1_000, price: 100, quantity: 1 });
    tracker.observe({ ts: 2_000, price: 110, quantity: 3 });
    expect(tracker.volume).toBe(4);
    expect(tracker.vwap).toBeCloseTo(107.5, 12);
  });

  it('allows cap × volume minus what is committed, never below 0, unlimited without a cap', () => {
    const tracker = new ParticipationTracker(0);
    tracker.observe({ ts: 1, price: 1, quantity: 10 });
    expect(tracker.allowance(0.1, 0.4)).toBeCloseTo(0.6, 12);
    expect(tracker.allowance(0.1, 2)).toBe(0);
    expect(tracker.allowance(undefined, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps a trailing window of recent volume', () => {
    const tracker = new ParticipationTracker(0, 10_000);
    for (let ts = 1_000; ts <= 30_000; ts += 1_000) tracker.observe({ ts, price: 1, quantity: 1 });
    expect(tracker.recentVolume(30_000)).toBe(10);
    expect(tracker.recentVolume(35_000)).toBe(5);
    expect(tracker.recentVolume(60_000)).toBe(0);
    expect(tracker.recentWindowStart(5_000)).toBe(0);
    expect(tracker.recentWindowStart(60_000)).toBe(50_000);
    for (let ts = 61_000; ts <= 5_000_000; ts += 1_000) tracker.observe({ ts, price: 1, quantity: 2 });
    expect(tracker.recentVolume(5_000_000)).toBe(20);
    expect(tracker.volume).toBe(30 + 2 * 4_940);
  });
});
