import { z } from 'zod';
import { AlgoParamsSchema, refineAlgoParams } from '@tranche/core';

/**
 * Params of the `twap` strategy (the order request's `params`): the common algorithm
 * params (`AlgoParamsSchema`: window, limit price, participation cap, urgency, child
 * order style, randomization, seed, completion) plus the slicing. Without `slices` or
 * `intervalMs` the window is cut into one slice a minute, at least 5 and at most 240.
 */
export const TwapParamsSchema = AlgoParamsSchema.extend({
  /** Number of equal time slices. */
  slices: z.number().int().min(1).max(10_000).optional(),
  /** Longest slice length in milliseconds (instead of `slices`). */
  intervalMs: z.number().int().min(100).optional(),
}).superRefine((params, ctx) => {
  refineAlgoParams(params, ctx);
  if (params.slices !== undefined && params.intervalMs !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['intervalMs'], message: 'give slices or intervalMs, not both' });
  }
});
/** Params of the `twap` strategy. */
export type TwapParams = z.infer<typeof TwapParamsSchema>;
