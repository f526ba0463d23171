import { z } from 'zod';
import { OrderSizeBucketSchema } from '../quality/execution-quality.schema.js';

/** How one candidate strategy was scored (all figures are expected costs in bps; lower is better). */
export const CandidateScoreSchema = z
  .object({
    strategy: z.string(),
    /** The documented prior of the strategy in this state. */
    priorBps: z.number(),
    /** Recorded executions of the strategy in this state. */
    samples: z.number().int().nonnegative(),
    /** Mean recorded objective in this state; `null` without samples. */
    observedBps: z.number().nullable(),
    /** Standard deviation of the recorded objective; `null` below two samples. */
    observedStdBps: z.number().nullable(),
    /** Weight of the observations, `n / (n + σ²/τ²)` (see `observationWeight`); 0 when priors decide the state. */
    weight: z.number().min(0).max(1),
    /** The state-level estimate: `weight × observed + (1 − weight) × prior`. */
    stateScoreBps: z.number(),
    /** Recorded executions in this state and the order's size bucket. */
    bucketSamples: z.number().int().nonnegative(),
    /** Mean recorded objective in this state and size bucket; `null` without samples. */
    bucketObservedBps: z.number().nullable(),
    /** What the order's traits added (size share, urgency, deadline), bps. */
    adjustmentBps: z.number(),
    /** Why, in words (one entry per trait that moved the score). */
    adjustments: z.array(z.string()),
    /** The final score: the size-bucket estimate plus the urgency adjustment. */
    scoreBps: z.number(),
  })
  .strict();
/** How one candidate strategy was scored. */
export type CandidateScore = z.infer<typeof CandidateScoreSchema>;

/** Why the optimizer chose what it chose: every candidate's score and the rule that decided. */
export const StrategyExplanationSchema = z
  .object({
    /** The state the order was scored in (`unknown` when the caller knew none). */
    marketState: z.string(),
    /** False when the caller knew no market state (scored as `unknown`: its own history, `normal` priors). */
    marketStateKnown: z.boolean(),
    /** The state whose priors were used (`normal` for a state without documented priors). */
    priorState: z.string(),
    /** `priors`: fewer than `minSamples` recorded executions in the state; `history`: the recorded objective, shrunk towards the priors. */
    rule: z.enum(['priors', 'history']),
    /** One sentence: what decided (the metric, the rule, the trait that changed the winner). */
    decidedBy: z.string(),
    /** The objective, in words. */
    objective: z.string(),
    /** Recorded executions of the candidate strategies in the state (what `minSamples` is compared with). */
    stateSamples: z.number().int().nonnegative(),
    minSamples: z.number().int().nonnegative(),
    /** The order's size bucket (share of market volume); `null` without quantity and volume. */
    sizeBucket: OrderSizeBucketSchema.nullable(),
    /** quantity / marketVolume; `null` when either is unknown. */
    shareOfVolume: z.number().nullable(),
    urgent: z.boolean(),
    /** Candidates, best first. */
    candidates: z.array(CandidateScoreSchema),
    /** Clock time of the scores' last re-optimization (epoch ms). */
    optimizedAt: z.number(),
  })
  .strict();
/** Why the optimizer chose what it chose. */
export type StrategyExplanation = z.infer<typeof StrategyExplanationSchema>;

/** The optimizer's answer: the strategy id and its explanation (also recorded in the report of a `type: "auto"` order). */
export const StrategySelectionSchema = z.object({ strategy: z.string(), explanation: StrategyExplanationSchema }).strict();
/** The optimizer's answer. */
export type StrategySelection = z.infer<typeof StrategySelectionSchema>;
