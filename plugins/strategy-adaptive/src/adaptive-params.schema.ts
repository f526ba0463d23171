import { z } from 'zod';
import { AlgoParamsSchema, refineAlgoParams } from '@tranche/core';

/**
 * The tactics the adaptive strategy switches between. Each is core's scheduled driver
 * (`scheduledExecution`, as TWAP and VWAP use it) with a curve, a pace, a child order style
 * and an urgency: `twap` (the linear schedule, the order's style and urgency), `vwap` (the
 * session's traded volume, as VWAP's `session` profile), `passive` (rest, one urgency level
 * lower), `aggressive` (marketable children, high urgency, ahead of schedule), `slow`
 * (passive at a fraction of the pace) and `pause` (nothing new; resting children cancelled).
 */
export const AdaptiveTacticNameSchema = z.enum(['twap', 'vwap', 'passive', 'aggressive', 'slow', 'pause']);
/** One of the adaptive strategy's tactics. */
export type AdaptiveTacticName = z.infer<typeof AdaptiveTacticNameSchema>;

/** Tactics that defer part of the schedule (bounded by `maxPauseMs`, `maxDeferralShare` and `finalStretchShare`). */
export const DEFERRING_TACTICS: ReadonlySet<AdaptiveTacticName> = new Set(['slow', 'pause']);

/**
 * The default tactic of each market state. `trending-against` and `trending-with` refine
 * `trending` by the direction of the move relative to the order (a rising market is against
 * a buy); `trending` applies when the direction is unknown. States missing from the map,
 * such as user-added ones (`news-spike`), use the `normal` tactic, and a note says so.
 */
export const DEFAULT_ADAPTIVE_TACTICS: Readonly<Record<string, AdaptiveTacticName>> = {
  normal: 'twap',
  ranging: 'passive',
  trending: 'twap',
  'trending-against': 'aggressive',
  'trending-with': 'passive',
  volatile: 'pause',
  illiquid: 'slow',
};

const StateKeySchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case market state' });

/**
 * Params of the `adaptive` strategy (the order request's `params`): the common algorithm
 * params (`AlgoParamsSchema`) plus the slicing (as TWAP's), the state → tactic map, the
 * catch-up rule and the bounds of slowing down and pausing, so the deadline is still met.
 */
export const AdaptiveParamsSchema = AlgoParamsSchema.extend({
  /** Number of time slices (default one a minute, 5–240). */
  slices: z.number().int().min(1).max(10_000).optional(),
  /** Longest slice length in milliseconds (instead of `slices`). */
  intervalMs: z.number().int().min(100).optional(),
  /** Market state → tactic, over `DEFAULT_ADAPTIVE_TACTICS` (give only the states to change or add, e.g. `{ "news-spike": "pause" }`). */
  tactics: z.record(StateKeySchema, AdaptiveTacticNameSchema).default({}),
  /** The tactic used while the execution is behind its schedule by more than `catchUpLagShare`. */
  catchUpTactic: z.enum(['twap', 'vwap', 'aggressive']).default('aggressive'),
  /** Catch up (with `catchUpTactic`) when behind schedule by more than this share of the order (and at least 1.5 average slices); stop under half of it. */
  catchUpLagShare: z.number().positive().max(1).default(0.1),
  /** Longest single pause in milliseconds; then the state's tactic slows down instead (default a tenth of the window). */
  maxPauseMs: z.number().int().positive().optional(),
  /** Most of the window's schedule that pauses and slow-downs may defer in total (a pause defers its whole time, `slow` the part it does not work). */
  maxDeferralShare: z.number().min(0).max(0.5).default(0.25),
  /** No pause and no slow-down in this last share of the window: the rest is worked to finish on time. */
  finalStretchShare: z.number().min(0).max(1).default(0.2),
  /** Pace of the `slow` tactic, relative to the pace that finishes on time. */
  slowPace: z.number().positive().lt(1).default(0.5),
  /** Pace of the `aggressive` tactic, relative to the pace that finishes on time. */
  aggressivePace: z.number().min(1).max(4).default(1.5),
  /** Time between the checks of schedule drift and of the pause bounds; default a third of a slice within [1 s, 30 s]. */
  checkIntervalMs: z.number().int().min(100).optional(),
}).superRefine((params, ctx) => {
  refineAlgoParams(params, ctx);
  if (params.slices !== undefined && params.intervalMs !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['intervalMs'], message: 'give slices or intervalMs, not both' });
  }
});
/** Params of the `adaptive` strategy. */
export type AdaptiveParams = z.infer<typeof AdaptiveParamsSchema>;
