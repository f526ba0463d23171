import { ExecutionQualityRecordSchema, orderSizeBucket, type ExecutionQualityRecord, type ExecutionReport } from '@tranche/core';
import {
  averageFillPrice,
  feeBps,
  filledNotional,
  fillRate,
  impactCostBps,
  implementationShortfallBps,
  makerShare,
  markoutBps,
  participationRate,
  spreadCostBps,
  totalCostBps,
  totalFees,
  vwapSlippageBps,
  type QualityFill,
} from './quality-formulas.js';

/** What one record is computed from. */
export interface QualityRecordInput {
  /** The engine's report of the finished execution. */
  report: ExecutionReport;
  /** The fills with the mid at each and fees in the quote currency (in fill order). */
  fills: readonly QualityFill[];
  /** Market state at the start, `null` when none was known. */
  marketState: string | null;
  /** Market volume over the window (base units), `null` when unknown. */
  marketVolume: number | null;
  /** Market VWAP over the window, `null` when no trade printed. */
  marketVwap: number | null;
  /** Volume the size bucket is measured against (see `sizeReferenceVolume`). */
  sizeReferenceVolume: number | null;
  /** Mid 1 and 5 minutes after the end, `null` where the data did not reach (yet). */
  midAfter1m: number | null;
  midAfter5m: number | null;
}

/**
 * Builds the `ExecutionQualityRecord` of one execution from its report, its fills with
 * the mids then, the market's volume and VWAP over the window and the mids after the end.
 * The result is checked against the core schema (a failed check is a bug: it throws).
 */
export function buildQualityRecord(input: QualityRecordInput): ExecutionQualityRecord {
  const { report, fills } = input;
  const side = report.side;
  // The engine's filled quantity (rounded to the step's precision) is the authority; fills give the rest.
  const filled = report.filledQuantity;
  const averagePrice = fills.length > 0 ? averageFillPrice(fills) : report.filledQuantity > 0 ? report.averagePrice : null;
  const notional = fills.length > 0 ? filledNotional(fills) : report.notional;
  const fees = fills.length > 0 ? totalFees(fills) : report.fees;
  const shortfall = implementationShortfallBps(side, averagePrice, report.arrivalPrice);
  const spread = spreadCostBps(side, fills);
  const fee = feeBps(fees, notional);
  const lastFill = fills.length > 0 ? fills.reduce((latest, fill) => Math.max(latest, fill.ts), report.startedAt) : null;
  const record: ExecutionQualityRecord = {
    executionId: report.id,
    symbol: report.symbol,
    side,
    strategy: report.strategy,
    requestedType: report.type,
    marketState: input.marketState,
    sizeBucket: orderSizeBucket(report.requestedQuantity, input.sizeReferenceVolume),
    status: report.status,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    requestedQuantity: report.requestedQuantity,
    filledQuantity: filled,
    fillRate: fillRate(filled, report.requestedQuantity),
    arrivalPrice: report.arrivalPrice,
    averagePrice,
    implementationShortfallBps: shortfall,
    vwapSlippageBps: vwapSlippageBps(side, averagePrice, input.marketVwap),
    makerShare: makerShare(fills),
    fees,
    feeBps: fee,
    spreadCostBps: spread,
    impactCostBps: impactCostBps(shortfall, spread),
    totalCostBps: totalCostBps(fee, shortfall),
    participationRate: participationRate(filled, input.marketVolume),
    timeToCompleteMs: report.status === 'filled' && lastFill !== null ? Math.max(0, lastFill - report.startedAt) : null,
    markout1mBps: markoutBps(side, averagePrice, input.midAfter1m),
    markout5mBps: markoutBps(side, averagePrice, input.midAfter5m),
    marketVolume: input.marketVolume,
  };
  return ExecutionQualityRecordSchema.parse(record);
}
