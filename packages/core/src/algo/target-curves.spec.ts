import { describe, expect, it } from 'vitest';
import { blendTargetCurves } from './blend-target-curves.js';
import { observedVolumeCurve } from './observed-volume-curve.js';
import { ParticipationTracker } from './participation-tracker.js';
import { linearTargetCurve } from './target-curve.js';
import { volumeProfileCurve } from './volume-profile-curve.js';
import { VolumeProfileSchema, type VolumeProfile } from './volume-profile.schema.js';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;
const window = (startTime: number, durationMs: number) => ({ startTime, endTime: startTime + durationMs, durationMs });
const flat = (weight = 1): number[] => Array.from({ length: 1_440 }, () => weight);

describe('linearTargetCurve and blendTargetCurves', () => {
  it('goes from 0 to 1 linearly and clamps outside the window', () => {
    const curve = linearTargetCurve(window(1_000, 1_000));
    expect([curve.fractionAt(0), curve.fractionAt(1_250), curve.fractionAt(1_500), curve.fractionAt(5_000)]).toEqual([0, 0.25, 0.5, 1]);
  });

  it('blends two curves by weight', () => {
    const base = linearTargetCurve(window(0, 100));
    const front = { description: 'front-loaded', fractionAt: (time: number) => Math.min(1, time / 50) };
    expect(blendTargetCurves(base, front, 0.5).fractionAt(25)).toBeCloseTo(0.375, 12);
    expect(blendTargetCurves(base, front, 0)).toBe(base);
    expect(blendTargetCurves(base, front, 1)).toBe(front);
  });
});

describe('volumeProfileCurve', () => {
  it('is linear for a flat profile', () => {
    const curve = volumeProfileCurve({ description: 'flat', minuteOfDay: flat() }, window(7 * MINUTE, 10 * MINUTE));
    for (const fraction of [0, 0.1, 0.35, 0.5, 0.99, 1]) expect(curve.fractionAt(7 * MINUTE + fraction * 10 * MINUTE)).toBeCloseTo(fraction, 12);
  });

  it('puts the volume where the profile has it, within minutes too', () => {
    const weights = flat();
    weights[1] = 3; // minute 1 trades three times minute 0
    const curve = volumeProfileCurve({ description: 'test', minuteOfDay: weights }, window(0, 2 * MINUTE));
    expect(curve.fractionAt(MINUTE)).toBeCloseTo(0.25, 12);
    expect(curve.fractionAt(MINUTE + MINUTE / 2)).toBeCloseTo(0.25 + 0.375, 12);
    expect(curve.fractionAt(2 * MINUTE)).toBe(1);
  });

  it('wraps around midnight and picks the weekday row (1970-01-01 was a Thursday)', () => {
    const weights = flat(0);
    weights[1_439] = 1; // only the last minute of the day trades
    weights[0] = 1; // and the first
    const overnight = volumeProfileCurve({ description: 'test', minuteOfDay: weights }, window(DAY - 2 * MINUTE, 4 * MINUTE));
    expect(overnight.fractionAt(DAY - MINUTE)).toBe(0);
    expect(overnight.fractionAt(DAY)).toBeCloseTo(0.5, 12);
    const byDay: VolumeProfile = { description: 'weekday', minuteOfDay: flat(), dayOfWeek: Array.from({ length: 7 }, (_, day) => (day === 4 ? flat(1).map((_, minute) => (minute < 720 ? 1 : 3)) : flat())) };
    const thursday = volumeProfileCurve(byDay, window(0, DAY), { dayOfWeek: true });
    expect(thursday.fractionAt(DAY / 2)).toBeCloseTo(0.25, 12);
    expect(volumeProfileCurve(byDay, window(0, DAY)).fractionAt(DAY / 2)).toBeCloseTo(0.5, 12);
    expect(volumeProfileCurve(byDay, window(DAY, DAY), { dayOfWeek: true }).fractionAt(DAY + DAY / 2)).toBeCloseTo(0.5, 12);
  });

  it('falls back to linear when the profile expects nothing in the window', () => {
    const curve = volumeProfileCurve({ description: 'zero', minuteOfDay: flat(0) }, window(0, 10 * MINUTE));
    expect(curve.fractionAt(5 * MINUTE)).toBeCloseTo(0.5, 12);
  });

  it('validates profiles: 1440 non-negative weights, seven weekday rows', () => {
    expect(VolumeProfileSchema.safeParse({ description: 'x', minuteOfDay: flat() }).success).toBe(true);
    expect(VolumeProfileSchema.safeParse({ description: 'x', minuteOfDay: flat().slice(1) }).success).toBe(false);
    expect(VolumeProfileSchema.safeParse({ description: 'x', minuteOfDay: flat(-1) }).success).toBe(false);
    expect(VolumeProfileSchema.safeParse({ description: 'x', minuteOfDay: flat(), dayOfWeek: [flat()] }).success).toBe(false);
  });
});

describe('observedVolumeCurve', () => {
  const span = window(0, 100_000);
  it('is the forecast until the market trades', () => {
    const tracker = new ParticipationTracker(0, 10_000);
    const curve = observedVolumeCurve(tracker, span, () => 20_000);
    expect(curve.fractionAt(50_000)).toBeCloseTo(0.5, 12);
  });

  it('moves ahead of a flat forecast when recent volume is heavy, and behind when it dried up', () => {
    let now = 50_000;
    const busy = new ParticipationTracker(0, 10_000);
    for (let ts = 1_000; ts <= 40_000; ts += 1_000) busy.observe({ ts, price: 100, quantity: 1 });
    for (let ts = 41_000; ts <= 50_000; ts += 1_000) busy.observe({ ts, price: 100, quantity: 5 });
    const curve = observedVolumeCurve(busy, span, () => now);
    // 90 traded by half time; rate ≈ (180 + 500)/2 per unit of forecast → expect 90 + 340 more.
    expect(curve.fractionAt(50_000)).toBeCloseTo(90 / (90 + 340 * 0.5), 9);
    expect(curve.fractionAt(75_000)).toBeGreaterThan(curve.fractionAt(50_000));
    expect(curve.fractionAt(100_000)).toBe(1);
    now = 90_000;
    const quiet = new ParticipationTracker(0, 10_000);
    for (let ts = 1_000; ts <= 60_000; ts += 1_000) quiet.observe({ ts, price: 100, quantity: 1 });
    // Nothing in the last 30 s: the remaining volume is projected at half the session rate, so the schedule is ahead of time.
    expect(observedVolumeCurve(quiet, span, () => now).fractionAt(90_000)).toBeGreaterThan(0.9);
  });
});
