import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AlgoParamsSchema, refineAlgoParams } from './algo-params.schema.js';
import { resolveAlgoWindow } from './algo-window.js';

const Schema = AlgoParamsSchema.extend({ slices: z.number().int().positive().optional() }).superRefine(refineAlgoParams);

describe('AlgoParamsSchema', () => {
  it('fills the documented defaults', () => {
    expect(Schema.parse({ durationMs: 60_000 })).toEqual({
      durationMs: 60_000,
      urgency: 'medium',
      childOrderStyle: 'passive',
      randomization: 0,
      completion: 'sweep',
    });
  });

  it('is strict after extension, and requires exactly one of durationMs and endTime', () => {
    expect(Schema.safeParse({ durationMs: 1, oops: 1 }).error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['oops'] });
    expect(Schema.safeParse({}).error?.issues[0]).toMatchObject({ path: ['durationMs'] });
    expect(Schema.safeParse({ durationMs: 1, endTime: 2 }).error?.issues[0]).toMatchObject({ path: ['endTime'] });
    expect(Schema.safeParse({ endTime: 5, startTime: 5 }).error?.issues[0]).toMatchObject({ path: ['endTime'] });
    expect(Schema.safeParse({ endTime: 6, startTime: 5, slices: 3 }).success).toBe(true);
  });

  it('bounds its numbers', () => {
    expect(Schema.safeParse({ durationMs: 1, maxParticipation: 0 }).success).toBe(false);
    expect(Schema.safeParse({ durationMs: 1, maxParticipation: 1.5 }).success).toBe(false);
    expect(Schema.safeParse({ durationMs: 1, randomization: -0.1 }).success).toBe(false);
    expect(Schema.safeParse({ durationMs: 1, limitPrice: 0 }).success).toBe(false);
    expect(Schema.safeParse({ durationMs: 1, urgency: 'urgent' }).success).toBe(false);
  });
});

describe('resolveAlgoWindow', () => {
  it('starts now, or at a future startTime, and ends after durationMs or at endTime', () => {
    expect(resolveAlgoWindow({ durationMs: 100 }, 1_000)).toEqual({ startTime: 1_000, endTime: 1_100, durationMs: 100 });
    expect(resolveAlgoWindow({ durationMs: 100, startTime: 2_000 }, 1_000)).toEqual({ startTime: 2_000, endTime: 2_100, durationMs: 100 });
    expect(resolveAlgoWindow({ endTime: 1_500 }, 1_000)).toEqual({ startTime: 1_000, endTime: 1_500, durationMs: 500 });
  });

  it('counts durationMs from a past startTime and refuses a window that already ended', () => {
    expect(resolveAlgoWindow({ durationMs: 1_000, startTime: 500 }, 1_000)).toEqual({ startTime: 1_000, endTime: 1_500, durationMs: 500 });
    expect(() => resolveAlgoWindow({ endTime: 900 }, 1_000)).toThrow(/window ends at 900/);
  });
});
