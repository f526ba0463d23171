import type { ErrorInfo, ExecutionCompletion, ExecutionReport, SchedulePoint } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { ChildOrder, OrderRequest, TerminalParentStatus } from '../model/order.schema.js';
import type { StrategySelection } from '../optimizer/strategy-selection.schema.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/** What an execution knows when it ends. */
export interface ExecutionReportInput {
  id: string;
  request: OrderRequest;
  strategy: string;
  status: TerminalParentStatus;
  reason: string;
  arrivalPrice: number | null;
  startedAt: number;
  endedAt: number;
  filledQuantity: number;
  /** Σ price × quantity of the fills. */
  filledValue: number;
  fees: number;
  feeCurrency: string;
  /** Market volume and Σ price × quantity of the market's trades during the execution. */
  marketVolume: number;
  marketValue: number;
  children: readonly ChildOrder[];
  fills: readonly Fill[];
  errors: readonly ErrorInfo[];
  completion: ExecutionCompletion | undefined;
  schedule: readonly SchedulePoint[];
  selection: StrategySelection | undefined;
}

/**
 * Builds the `ExecutionReport` of a finished execution. Slippages are signed so that
 * positive is worse for the trader: against the arrival mid and against the market VWAP
 * over the execution window; `null` when nothing filled or the reference is unknown.
 */
export function buildExecutionReport(input: ExecutionReportInput): ExecutionReport {
  const { request } = input;
  const sign = request.side === 'buy' ? 1 : -1;
  const averagePrice = input.filledQuantity > 0 ? input.filledValue / input.filledQuantity : 0;
  const slippageBps =
    input.filledQuantity > 0 && input.arrivalPrice !== null ? sign * ((averagePrice - input.arrivalPrice) / input.arrivalPrice) * 10_000 : null;
  const marketVwap = input.marketVolume > 0 ? input.marketValue / input.marketVolume : null;
  const vwapSlippageBps = input.filledQuantity > 0 && marketVwap !== null ? sign * ((averagePrice - marketVwap) / marketVwap) * 10_000 : null;
  return {
    id: input.id,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    strategy: input.strategy,
    status: input.status,
    endReason: input.reason,
    requestedQuantity: request.quantity,
    filledQuantity: round(input.filledQuantity, 12),
    averagePrice,
    arrivalPrice: input.arrivalPrice,
    slippageBps,
    fees: round(input.fees, 10),
    feeCurrency: input.feeCurrency,
    notional: round(input.filledValue, 10),
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    childOrders: input.children.map((child) => ({
      clientOrderId: child.clientOrderId,
      type: child.type,
      side: child.side,
      timeInForce: child.timeInForce,
      quantity: child.quantity,
      filledQuantity: child.filledQuantity,
      averagePrice: child.averagePrice,
      status: child.status,
      ...(child.price === undefined ? {} : { price: child.price }),
      ...(child.reason === undefined ? {} : { reason: child.reason }),
    })),
    fills: input.fills.map((fill) => ({
      ts: fill.ts,
      clientOrderId: fill.clientOrderId,
      price: fill.price,
      quantity: fill.quantity,
      fee: fill.fee,
      liquidity: fill.liquidity,
    })),
    errors: [...input.errors],
    marketVolume: round(input.marketVolume, 10),
    marketVwap,
    vwapSlippageBps,
    ...(input.completion === undefined ? {} : { completion: input.completion }),
    ...(input.schedule.length === 0 ? {} : { schedule: input.schedule.map((point) => ({ ...point })) }),
    ...(input.selection === undefined ? {} : { selection: input.selection }),
  };
}

function round(value: number, decimals: number): number {
  return toFixedNumber(value, decimals);
}
