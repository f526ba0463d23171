import { z } from 'zod';

/** Params of the `market` strategy (the order request's `params`). */
export const MarketParamsSchema = z
  .object({
    /**
     * Most child orders to send. When the visible book is thinner than the order, the
     * rest is swept again at the next book update, up to this many orders in all.
     */
    maxOrders: z.number().int().min(1).max(100).default(5),
    /**
     * Protection: never pay more (buy) or receive less (sell) than this many basis
     * points away from the arrival mid; child orders become marketable limit IOCs.
     */
    maxSlippageBps: z.number().positive().max(10_000).optional(),
  })
  .strict();
/** Params of the `market` strategy. */
export type MarketParams = z.infer<typeof MarketParamsSchema>;
