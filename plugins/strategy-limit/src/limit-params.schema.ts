import { z } from 'zod';

/** Params of the `limit` strategy (the order request's `params`). */
export const LimitParamsSchema = z
  .object({
    /** `GTC` rests until filled, cancelled or expired; `IOC`/`FOK` act at once; `GTX` is post-only. */
    timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'GTX']).default('GTC'),
    /** Cancel the order this many milliseconds after it starts (virtual time in replays). */
    expireAfterMs: z.number().int().positive().optional(),
    /** Cancel the order at this time (epoch ms). */
    expireAt: z.number().int().positive().optional(),
  })
  .strict();
/** Params of the `limit` strategy. */
export type LimitParams = z.infer<typeof LimitParamsSchema>;
