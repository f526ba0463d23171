import { z } from 'zod';

/**
 * A market state as `tranche gateway` publishes it on `state.<symbol>` (a
 * `MarketStateUpdate`): the fields the dashboard shows are checked; the classifier's
 * features may carry anything, so other keys are kept.
 */
export const BusMarketStateSchema = z
  .object({
    symbol: z.string().min(1),
    ts: z.number().finite(),
    state: z.string().min(1),
    confidence: z.number().min(0).max(1),
  })
  .loose();
/** A market state read from the bus. */
export type BusMarketState = z.infer<typeof BusMarketStateSchema>;
