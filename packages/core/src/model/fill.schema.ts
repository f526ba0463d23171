import { z } from 'zod';
import { LiquiditySchema, NonNegativeNumberSchema, OrderSideSchema, PositiveNumberSchema, SymbolSchema, TimestampMsSchema } from './common.schema.js';

/** One execution of (part of) a child order at the venue. */
export const FillSchema = z
  .object({
    /** Venue-unique id of this fill (trade id); used to drop duplicates. */
    fillId: z.string().min(1),
    clientOrderId: z.string().min(1),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    ts: TimestampMsSchema,
    price: PositiveNumberSchema,
    quantity: PositiveNumberSchema,
    /** Fee paid, in `feeCurrency` (negative for a rebate). */
    fee: z.number().finite(),
    feeCurrency: z.string(),
    liquidity: LiquiditySchema,
  })
  .strict();
/** One execution of (part of) a child order. */
export type Fill = z.infer<typeof FillSchema>;

/** A venue balance of one asset. */
export const BalanceSchema = z
  .object({
    asset: z.string(),
    free: NonNegativeNumberSchema,
    locked: NonNegativeNumberSchema,
  })
  .strict();
/** A venue balance of one asset. */
export type Balance = z.infer<typeof BalanceSchema>;
