import { z } from 'zod';
import { NonNegativeNumberSchema, OrderSideSchema, PositiveNumberSchema, SymbolSchema, TimestampMsSchema } from './common.schema.js';

/**
 * A parent order as a trader hands it to Tranche: `type` names the execution
 * strategy (`market`, `limit`, `twap`, …, or `auto` to let the optimizer pick) and
 * `params` holds that strategy's own parameters, validated by its `paramsSchema`.
 */
export const OrderRequestSchema = z
  .object({
    /** Optional caller-chosen id (letters, digits, `_`, `-`; at most 24 characters). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,24}$/, { error: 'must be 1-24 characters of letters, digits, "_" or "-"' })
      .optional(),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    type: z.string({ error: 'must be a strategy id such as "market" or "limit"' }).regex(/^[a-z][a-z0-9-]{0,39}$/, {
      error: 'must be a kebab-case strategy id such as "market" or "limit"',
    }),
    quantity: PositiveNumberSchema,
    price: PositiveNumberSchema.optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
/** A parent order request. */
export type OrderRequest = z.infer<typeof OrderRequestSchema>;

/** Order types a venue executes. Algorithms are built from these. */
export const ChildOrderTypeSchema = z.enum(['market', 'limit']);
/** Order types a venue executes. */
export type ChildOrderType = z.infer<typeof ChildOrderTypeSchema>;

/**
 * Time in force of a child order: `GTC` rests until cancelled, `IOC` fills what it
 * can at once and cancels the rest, `FOK` fills completely at once or not at all,
 * `GTX` (post-only) is rejected if it would take liquidity.
 */
export const TimeInForceSchema = z.enum(['GTC', 'IOC', 'FOK', 'GTX']);
/** Time in force of a child order. */
export type TimeInForce = z.infer<typeof TimeInForceSchema>;

/** Life-cycle of a child order at the venue. */
export const ChildOrderStatusSchema = z.enum([
  /** Journaled intent, not yet acknowledged by the venue. */
  'pending',
  'open',
  'partially_filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);
/** Life-cycle of a child order at the venue. */
export type ChildOrderStatus = z.infer<typeof ChildOrderStatusSchema>;

/** Child-order states after which nothing can change. */
export const TERMINAL_CHILD_STATUSES: ReadonlySet<ChildOrderStatus> = new Set([
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);

/** An order sent to a venue on behalf of a parent order. */
export const ChildOrderSchema = z
  .object({
    /** Deterministic id, `{parentId}-{n}`; never reused. */
    clientOrderId: z.string().min(1).max(36),
    parentId: z.string(),
    venueOrderId: z.string().optional(),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    type: ChildOrderTypeSchema,
    timeInForce: TimeInForceSchema,
    price: PositiveNumberSchema.optional(),
    quantity: PositiveNumberSchema,
    filledQuantity: NonNegativeNumberSchema,
    /** Volume-weighted fill price, 0 when nothing filled. */
    averagePrice: NonNegativeNumberSchema,
    status: ChildOrderStatusSchema,
    createdAt: TimestampMsSchema,
    updatedAt: TimestampMsSchema,
    /** Why the venue rejected or ended it, when it did. */
    reason: z.string().optional(),
  })
  .strict();
/** An order sent to a venue on behalf of a parent order. */
export type ChildOrder = z.infer<typeof ChildOrderSchema>;

/** Terminal and working states of a parent order. */
export const ParentOrderStatusSchema = z.enum([
  'working',
  'filled',
  'partially_filled',
  'cancelled',
  'expired',
  'rejected',
]);
/** Terminal and working states of a parent order. */
export type ParentOrderStatus = z.infer<typeof ParentOrderStatusSchema>;

/** The terminal statuses an `ExecutionReport` can carry. */
export type TerminalParentStatus = Exclude<ParentOrderStatus, 'working'>;
