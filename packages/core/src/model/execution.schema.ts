import { z } from 'zod';
import { LiquiditySchema, NonNegativeNumberSchema, OrderSideSchema, SymbolSchema, TimestampMsSchema } from './common.schema.js';
import { FillSchema } from './fill.schema.js';
import { MarketInfoSchema } from './market.schema.js';
import { StrategySelectionSchema } from '../optimizer/strategy-selection.schema.js';
import { ChildOrderSchema, ChildOrderStatusSchema, ChildOrderTypeSchema, OrderRequestSchema, ParentOrderStatusSchema, TimeInForceSchema } from './order.schema.js';

/** Error kinds shared by every component (see `TrancheError`). */
export const ErrorKindSchema = z.enum([
  'validation',
  'risk',
  'venue-rejected',
  'venue-unavailable',
  'rate-limited',
  'timeout-ambiguous',
  'insufficient-funds',
  'internal',
]);
/** Error kinds shared by every component. */
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

/** A serializable error, as carried by events. */
export const ErrorInfoSchema = z
  .object({ kind: ErrorKindSchema, message: z.string(), retryable: z.boolean(), field: z.string().optional() })
  .strict();
/** A serializable error. */
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** A child order as the report lists it. */
export const ReportChildOrderSchema = z
  .object({
    clientOrderId: z.string(),
    type: ChildOrderTypeSchema,
    side: OrderSideSchema,
    timeInForce: TimeInForceSchema,
    price: z.number().optional(),
    quantity: z.number(),
    filledQuantity: z.number(),
    averagePrice: z.number(),
    status: ChildOrderStatusSchema,
    reason: z.string().optional(),
  })
  .strict();
/** A child order as the report lists it. */
export type ReportChildOrder = z.infer<typeof ReportChildOrderSchema>;

/** A fill as the report lists it. */
export const ReportFillSchema = z
  .object({
    ts: TimestampMsSchema,
    clientOrderId: z.string(),
    price: z.number(),
    quantity: z.number(),
    fee: z.number(),
    liquidity: LiquiditySchema,
  })
  .strict();
/** A fill as the report lists it. */
export type ReportFill = z.infer<typeof ReportFillSchema>;

/**
 * One point of an execution's schedule-versus-actual series: how much the strategy's
 * schedule wanted filled by `ts` (its latest `schedule` action) and how much was filled then.
 */
export const SchedulePointSchema = z
  .object({ ts: TimestampMsSchema, scheduledQuantity: z.number(), filledQuantity: z.number() })
  .strict();
/** One point of an execution's schedule-versus-actual series. */
export type SchedulePoint = z.infer<typeof SchedulePointSchema>;

/**
 * How an algorithm with an end time finished, as its strategy reported it
 * (`ExecutionContext.reportCompletion`). `policy` is what the order asked for at the end
 * time: `sweep` the remainder (within the limit price) or leave it (`best-effort`).
 * `outcome`: `completed` (filled before the end time), `swept` (the remainder was sent as
 * one sweeping child at the end time; `filledQuantity` says how much of it filled),
 * `left-unfilled` (best-effort: the remainder was not traded), `interrupted` (cancelled,
 * failed or out of market data before the end time). `remainingQuantity` is what was
 * unfilled when the outcome was decided.
 */
export const ExecutionCompletionSchema = z
  .object({
    policy: z.enum(['sweep', 'best-effort']),
    outcome: z.enum(['completed', 'swept', 'left-unfilled', 'interrupted']),
    remainingQuantity: NonNegativeNumberSchema,
    ts: TimestampMsSchema,
  })
  .strict();
/** How an algorithm with an end time finished. */
export type ExecutionCompletion = z.infer<typeof ExecutionCompletionSchema>;

/**
 * The result of one parent order. `slippageBps` is signed so that positive is worse
 * for the trader: for a buy `(averagePrice - arrivalPrice) / arrivalPrice × 10⁴`, for a
 * sell the negative of that. It is `null` when nothing filled or no arrival price was known.
 */
export const ExecutionReportSchema = z
  .object({
    id: z.string(),
    symbol: SymbolSchema,
    side: OrderSideSchema,
    /** The requested type (`auto` stays `auto` here; `strategy` says what ran). */
    type: z.string(),
    strategy: z.string(),
    status: z.enum(['filled', 'partially_filled', 'cancelled', 'expired', 'rejected']),
    /** Why the execution ended, in words. */
    endReason: z.string(),
    requestedQuantity: z.number(),
    filledQuantity: NonNegativeNumberSchema,
    averagePrice: NonNegativeNumberSchema,
    /** Mid price when the execution started. */
    arrivalPrice: z.number().nullable(),
    slippageBps: z.number().nullable(),
    /** Total fees in `feeCurrency`. */
    fees: z.number(),
    feeCurrency: z.string(),
    /** Filled value in the quote currency. */
    notional: z.number(),
    startedAt: TimestampMsSchema,
    endedAt: TimestampMsSchema,
    childOrders: z.array(ReportChildOrderSchema),
    fills: z.array(ReportFillSchema),
    errors: z.array(ErrorInfoSchema),
    /** Base-currency volume of the market trades seen between `startedAt` and `endedAt` (every strategy). */
    marketVolume: NonNegativeNumberSchema.optional(),
    /** Volume-weighted price of those market trades; `null` when none printed. */
    marketVwap: z.number().nullable().optional(),
    /**
     * `averagePrice` against `marketVwap` in basis points, signed like `slippageBps`
     * (positive is worse for the trader); `null` when nothing filled or no trade printed.
     */
    vwapSlippageBps: z.number().nullable().optional(),
    /** How an algorithm with an end time finished (absent for strategies that do not report it). */
    completion: ExecutionCompletionSchema.optional(),
    /**
     * Schedule versus actual: one point per `schedule` action of the strategy (the last
     * one per timestamp) plus one at the end; absent when the strategy has no schedule.
     */
    schedule: z.array(SchedulePointSchema).optional(),
    /** For `type: "auto"`: the strategy the optimizer chose and its explanation (absent otherwise). */
    selection: StrategySelectionSchema.optional(),
  })
  .strict();
/** The result of one parent order. */
export type ExecutionReport = z.infer<typeof ExecutionReportSchema>;

const base = { executionId: z.string(), ts: TimestampMsSchema };

/** How urgent an alert is: `info`, `warning` (look at it), `critical` (act now). */
export const AlertSeveritySchema = z.enum(['info', 'warning', 'critical']);
/** How urgent an alert is. */
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

/**
 * An alert a monitor raised about a running execution (`stalled`, `deadline-at-risk`,
 * or a monitor's own kebab-case kind), published as an execution event through
 * `MetricCollector.attach`. `source` is the raising collector's id.
 */
export const ExecutionAlertSchema = z
  .object({
    type: z.literal('alert'),
    ...base,
    kind: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case alert kind' }),
    severity: AlertSeveritySchema,
    source: z.string().min(1),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
/** An alert about a running execution. */
export type ExecutionAlert = z.infer<typeof ExecutionAlertSchema>;

/** Everything that happens to a parent order, as a stream of plain messages. */
export const ExecutionEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('execution-started'),
      ...base,
      request: OrderRequestSchema,
      strategy: z.string(),
      arrivalPrice: z.number().nullable(),
      market: MarketInfoSchema,
    })
    .strict(),
  z.object({ type: z.literal('note'), ...base, message: z.string(), data: z.record(z.string(), z.unknown()).optional() }).strict(),
  /**
   * What a strategy needs to continue after a restart (journaled): the engine records the
   * pinned params (window start, seed) at the start; a strategy may add its own state.
   */
  z.object({ type: z.literal('checkpoint'), ...base, state: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ type: z.literal('child-order-intent'), ...base, order: ChildOrderSchema }).strict(),
  z.object({ type: z.literal('child-order-updated'), ...base, order: ChildOrderSchema }).strict(),
  z.object({ type: z.literal('fill'), ...base, fill: FillSchema }).strict(),
  z
    .object({ type: z.literal('child-order-error'), ...base, clientOrderId: z.string(), error: ErrorInfoSchema, willRetry: z.boolean() })
    .strict(),
  z
    .object({
      type: z.literal('progress'),
      ...base,
      requestedQuantity: z.number(),
      filledQuantity: z.number(),
      workingQuantity: z.number(),
      /** Quantity the strategy's schedule wanted filled by now, where it has one. */
      scheduledQuantity: z.number().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('execution-ended'), ...base, status: ParentOrderStatusSchema, report: ExecutionReportSchema })
    .strict(),
  ExecutionAlertSchema,
]);
/** Everything that happens to a parent order. */
export type ExecutionEvent = z.infer<typeof ExecutionEventSchema>;
/** The event with a given `type`. */
export type ExecutionEventOf<T extends ExecutionEvent['type']> = Extract<ExecutionEvent, { type: T }>;
