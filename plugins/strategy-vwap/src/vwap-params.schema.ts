import { z } from 'zod';
import { AlgoParamsSchema, refineAlgoParams } from '@tranche/core';

/**
 * Where the VWAP's expected volume comes from: `intraday` — the bundled 24h profile by
 * UTC minute of the day; `day-of-week` — its row for the UTC weekday; `session` — no
 * history, only the volume the market trades during the execution.
 */
export const VolumeProfileSourceSchema = z.enum(['intraday', 'day-of-week', 'session']);
/** Where the VWAP's expected volume comes from. */
export type VolumeProfileSource = z.infer<typeof VolumeProfileSourceSchema>;

/**
 * Params of the `vwap` strategy (the order request's `params`): the common algorithm
 * params (`AlgoParamsSchema`) plus the volume profile, how much the target follows the
 * volume actually traded, and the slicing (default one slice a minute, 5–240).
 */
export const VwapParamsSchema = AlgoParamsSchema.extend({
  /** Volume profile the target curve follows. */
  profile: VolumeProfileSourceSchema.default('intraday'),
  /**
   * 0–1: weight of the market volume actually traded (projected at the session's own rate)
   * against the historical profile's forecast; ignored for `session`, which only follows
   * the traded volume.
   */
  volumeTracking: z.number().min(0).max(1).default(0.5),
  /** Number of time slices. */
  slices: z.number().int().min(1).max(10_000).optional(),
  /** Longest slice length in milliseconds (instead of `slices`). */
  intervalMs: z.number().int().min(100).optional(),
}).superRefine((params, ctx) => {
  refineAlgoParams(params, ctx);
  if (params.slices !== undefined && params.intervalMs !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['intervalMs'], message: 'give slices or intervalMs, not both' });
  }
});
/** Params of the `vwap` strategy. */
export type VwapParams = z.infer<typeof VwapParamsSchema>;
