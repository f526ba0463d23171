import { z } from 'zod';
import { AlgoParamsSchema, PositiveNumberSchema, refineAlgoParams } from '@tranche/core';

/**
 * Params of the `iceberg` strategy (the order request's `params`): the common algorithm
 * params (`AlgoParamsSchema`; the window bounds the iceberg and urgency measures lag
 * against a linear schedule over it) plus the display. `childOrderStyle` is `passive`
 * (shown at the near touch) or `marketable` (shown at the far side: each shown order
 * takes what it reaches and rests the rest); `market` does not apply to a resting order.
 */
export const IcebergParamsSchema = AlgoParamsSchema.extend({
  /** The most shown at a time; `randomization` shows up to half of it less. */
  displayQuantity: PositiveNumberSchema,
  /** Reprice the shown order when the near touch moved away from it by more than this many ticks. */
  repriceTicks: z.number().int().min(0).default(10),
  /** Pause between a shown order filling and the next one, in milliseconds (jittered by `randomization`). */
  refillDelayMs: z.number().int().min(0).default(0),
  /** Where the shown order is priced. */
  childOrderStyle: z.enum(['passive', 'marketable']).default('passive'),
}).superRefine(refineAlgoParams);
/** Params of the `iceberg` strategy. */
export type IcebergParams = z.infer<typeof IcebergParamsSchema>;
