import { z } from 'zod';
import { PositiveNumberSchema } from '../model/common.schema.js';

/** How far behind its schedule an algorithm may fall before it crosses the spread. */
export const UrgencySchema = z.enum(['low', 'medium', 'high']);
/** How far behind its schedule an algorithm may fall before it crosses the spread. */
export type Urgency = z.infer<typeof UrgencySchema>;

/**
 * How child orders are priced: `passive` rests at the near touch and crosses only to
 * catch up with the schedule; `marketable` sends limit IOCs priced through the visible
 * book; `market` sends market orders (marketable limits at the limit price when there is one).
 */
export const ChildOrderStyleSchema = z.enum(['passive', 'marketable', 'market']);
/** How child orders are priced. */
export type ChildOrderStyle = z.infer<typeof ChildOrderStyleSchema>;

/** What happens to an unfilled remainder at the end time: `sweep` it (within the limit price) or leave it (`best-effort`). */
export const CompletionPolicySchema = z.enum(['sweep', 'best-effort']);
/** What happens to an unfilled remainder at the end time. */
export type CompletionPolicy = z.infer<typeof CompletionPolicySchema>;

/**
 * The params every algorithmic strategy shares (in the order request's `params`). Each
 * strategy `.extend()`s this strict object with its own keys and applies
 * `refineAlgoParams` (a window is required: `durationMs` or `endTime`, not both).
 *
 * Defaults: `urgency` `medium`, `childOrderStyle` `passive`, `randomization` 0 (none),
 * `completion` `sweep`, `seed` derived from the parent order's id, start at once, no
 * limit price beyond the request's `price`, no participation cap.
 */
export const AlgoParamsSchema = z
  .object({
    /** Length of the execution window in milliseconds, from `startTime` (or from the start). */
    durationMs: z.number().int().positive().optional(),
    /** End of the execution window (epoch ms); instead of `durationMs`. */
    endTime: z.number().int().positive().optional(),
    /** Start of the execution window (epoch ms); default: at once. */
    startTime: z.number().int().nonnegative().optional(),
    /** Never buy above / sell below this price, whatever the schedule says (the request's `price` wins). */
    limitPrice: PositiveNumberSchema.optional(),
    /** Most this fraction (0–1] of the market volume traded since the start may be filled (give or take one child order). */
    maxParticipation: z.number().positive().max(1).optional(),
    /** How far behind schedule the algorithm may fall before it crosses the spread. */
    urgency: UrgencySchema.default('medium'),
    /** Pricing of child orders. */
    childOrderStyle: ChildOrderStyleSchema.default('passive'),
    /** Jitter (0–1) of slice sizes and timing; 0 is an exact schedule. */
    randomization: z.number().min(0).max(1).default(0),
    /** Seed of the randomization; the same seed gives the same schedule. Default: derived from the parent order's id. */
    seed: z.number().int().nonnegative().optional(),
    /** At the end time: `sweep` the remainder (within the limit price) or leave it unfilled (`best-effort`). */
    completion: CompletionPolicySchema.default('sweep'),
  })
  .strict();
/** The params every algorithmic strategy shares. */
export type AlgoParams = z.infer<typeof AlgoParamsSchema>;

/**
 * Cross-field checks of the common params, for `.superRefine(refineAlgoParams)`: a
 * window is required (`durationMs` or `endTime`, not both) and must end after `startTime`.
 */
export function refineAlgoParams(params: Pick<AlgoParams, 'durationMs' | 'endTime' | 'startTime'>, ctx: z.RefinementCtx): void {
  if (params.durationMs === undefined && params.endTime === undefined) {
    ctx.addIssue({ code: 'custom', path: ['durationMs'], message: 'is required (or give endTime)' });
  }
  if (params.durationMs !== undefined && params.endTime !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'give durationMs or endTime, not both' });
  }
  if (params.endTime !== undefined && params.startTime !== undefined && params.endTime <= params.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: `must be after startTime ${params.startTime}` });
  }
}
