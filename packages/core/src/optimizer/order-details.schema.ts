import { z } from 'zod';
import { OrderSideSchema, SymbolSchema, TimestampMsSchema } from '../model/common.schema.js';

/**
 * What the optimizer may know about the order (the seed's `order_details`): its
 * quantity, the market volume over its horizon (`marketVolume`, or the seed's
 * `market_volume`), whether it is urgent, and optionally its side, symbol and deadline
 * (epoch ms). Strict: unknown keys are errors.
 */
export const OrderDetailsSchema = z
  .object({
    quantity: z.number().finite().positive().optional(),
    /** Base-currency market volume expected over the order's horizon; `null` when unknown. */
    marketVolume: z.number().finite().nonnegative().nullable().optional(),
    /** The seed's spelling of `marketVolume`. */
    market_volume: z.number().finite().nonnegative().nullable().optional(),
    urgent: z.boolean().optional(),
    side: OrderSideSchema.optional(),
    symbol: SymbolSchema.optional(),
    /** Epoch ms by which the order must be done. */
    deadline: TimestampMsSchema.optional(),
  })
  .strict()
  .refine((details) => details.marketVolume === undefined || details.market_volume === undefined, {
    error: 'give marketVolume or market_volume, not both',
    path: ['market_volume'],
  })
  .transform(({ market_volume, ...details }) => ({
    ...details,
    ...(market_volume === undefined ? {} : { marketVolume: market_volume }),
  }));
/** Order details after parsing (`market_volume` folded into `marketVolume`). */
export type OrderDetails = z.output<typeof OrderDetailsSchema>;
/** Order details as a caller writes them. */
export type OrderDetailsInput = z.input<typeof OrderDetailsSchema>;
