import { z } from 'zod';
import { NonNegativeNumberSchema, OrderSideSchema, SymbolSchema, TimestampMsSchema } from '../model/common.schema.js';

/** Order-size buckets, by the order's share of the market volume over its horizon. */
export const OrderSizeBucketSchema = z.enum(['small', 'medium', 'large', 'xlarge']);
/** Order-size bucket. */
export type OrderSizeBucket = z.infer<typeof OrderSizeBucketSchema>;

/**
 * Transaction-cost analysis of one finished execution: what the quality monitor
 * measures, the history store keeps and the optimizer learns from. Costs are in basis
 * points of the arrival price, signed so that positive is worse for the trader; `null`
 * where the data does not allow the figure (nothing filled, no arrival price, no market
 * data after the end for markouts).
 */
export const ExecutionQualityRecordSchema = z
  .object({
    executionId: z.string(),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    /** The strategy that ran (`twap`, …), also when `auto` chose it. */
    strategy: z.string(),
    /** The request's type (`auto` when the optimizer chose). */
    requestedType: z.string(),
    /** Market state at the start (from the state monitor), `null` when none was known. */
    marketState: z.string().nullable(),
    sizeBucket: OrderSizeBucketSchema,
    status: z.enum(['filled', 'partially_filled', 'cancelled', 'expired', 'rejected']),
    startedAt: TimestampMsSchema,
    endedAt: TimestampMsSchema,
    requestedQuantity: z.number().positive(),
    filledQuantity: NonNegativeNumberSchema,
    /** filled / requested, 0..1. */
    fillRate: z.number().min(0).max(1),
    arrivalPrice: z.number().nullable(),
    averagePrice: z.number().nullable(),
    /** Implementation shortfall on the filled part: side × (average − arrival) / arrival × 10⁴. */
    implementationShortfallBps: z.number().nullable(),
    /** side × (average − market VWAP over the execution window) / market VWAP × 10⁴. */
    vwapSlippageBps: z.number().nullable(),
    /** Share of the filled quantity that provided liquidity, 0..1. */
    makerShare: z.number().min(0).max(1).nullable(),
    /** Fees in the quote currency. */
    fees: z.number(),
    /** Fees over filled notional, bps. */
    feeBps: z.number().nullable(),
    /** Half-spread paid (or earned, negative) at each fill against the mid then, quantity-weighted, bps. */
    spreadCostBps: z.number().nullable(),
    /** Shortfall not explained by the half-spread: impact and drift, bps. */
    impactCostBps: z.number().nullable(),
    /** fees + spread + impact, bps. */
    totalCostBps: z.number().nullable(),
    /** Our filled quantity over the market volume traded during the execution, 0..1+. */
    participationRate: z.number().nonnegative().nullable(),
    /** Start to the last fill of a filled order, ms; `null` when not filled. */
    timeToCompleteMs: z.number().nonnegative().nullable(),
    /** side × (mid 1 min after the end − average) / average × 10⁴: negative means the price moved against us after (adverse). */
    markout1mBps: z.number().nullable(),
    /** As `markout1mBps`, 5 minutes after the end. */
    markout5mBps: z.number().nullable(),
    /** Market volume traded during the execution (base units). */
    marketVolume: NonNegativeNumberSchema.nullable(),
  })
  .strict();
/** Transaction-cost analysis of one finished execution. */
export type ExecutionQualityRecord = z.infer<typeof ExecutionQualityRecordSchema>;

/** Share-of-volume limits of the size buckets: below 1 % small, 5 % medium, 20 % large, above xlarge. */
export const ORDER_SIZE_BUCKET_LIMITS = { small: 0.01, medium: 0.05, large: 0.2 } as const;

/**
 * The size bucket of an order of `quantity` when `referenceVolume` is the market volume
 * expected (or seen) over its horizon; `medium` when the volume is unknown.
 */
export function orderSizeBucket(quantity: number, referenceVolume: number | null | undefined): OrderSizeBucket {
  if (referenceVolume === null || referenceVolume === undefined || !(referenceVolume > 0)) return 'medium';
  const share = quantity / referenceVolume;
  if (share < ORDER_SIZE_BUCKET_LIMITS.small) return 'small';
  if (share < ORDER_SIZE_BUCKET_LIMITS.medium) return 'medium';
  if (share < ORDER_SIZE_BUCKET_LIMITS.large) return 'large';
  return 'xlarge';
}
