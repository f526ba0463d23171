import { toFixedNumber, type ExecutionReport } from '@tranche/core';

/** The compact report `tranche-minimal` prints: the figures a desk looks at first. */
export interface MinimalReport {
  /** Execution id. */
  id: string;
  /** `buy BTC/USDT`. */
  order: string;
  /** Strategy that ran. */
  strategy: string;
  /** Terminal status. */
  status: ExecutionReport['status'];
  /** Why it ended. */
  endReason: string;
  /** Requested quantity, base currency. */
  requestedQuantity: number;
  /** Filled quantity, base currency. */
  filledQuantity: number;
  /** Filled share of the request, 0–1. */
  fillRatio: number;
  /** Volume-weighted fill price; `null` when nothing filled. */
  averagePrice: number | null;
  /** Mid at the start. */
  arrivalPrice: number | null;
  /** Average price against the arrival mid, bps (positive is worse). */
  slippageBps: number | null;
  /** Average price against the market VWAP over the execution, bps (positive is worse). */
  vwapSlippageBps: number | null;
  /** Fees paid, in `feeCurrency`. */
  fees: number;
  /** Currency of `fees`. */
  feeCurrency: string;
  /** Child orders sent. */
  childOrders: number;
  /** Fills received. */
  fills: number;
  /** Start, data time (ISO 8601). */
  startedAt: string;
  /** End, data time (ISO 8601). */
  endedAt: string;
}

/** Prices and amounts to 8 decimals, basis points to 4: the figures without binary floating-point noise. */
const price = (value: number | null): number | null => (value === null ? null : toFixedNumber(value, 8));
const bps = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : toFixedNumber(value, 4));

/** Reduces a full `ExecutionReport` to the compact report (prices rounded to 8 decimals, bps to 4). */
export function toMinimalReport(report: ExecutionReport): MinimalReport {
  return {
    id: report.id,
    order: `${report.side} ${report.symbol}`,
    strategy: report.strategy,
    status: report.status,
    endReason: report.endReason,
    requestedQuantity: report.requestedQuantity,
    filledQuantity: report.filledQuantity,
    fillRatio: report.requestedQuantity > 0 ? toFixedNumber(report.filledQuantity / report.requestedQuantity, 8) : 0,
    averagePrice: report.filledQuantity > 0 ? price(report.averagePrice) : null,
    arrivalPrice: price(report.arrivalPrice),
    slippageBps: bps(report.slippageBps),
    vwapSlippageBps: bps(report.vwapSlippageBps),
    fees: toFixedNumber(report.fees, 8),
    feeCurrency: report.feeCurrency,
    childOrders: report.childOrders.length,
    fills: report.fills.length,
    startedAt: new Date(report.startedAt).toISOString(),
    endedAt: new Date(report.endedAt).toISOString(),
  };
}

function fixed(value: number | null, digits: number, unit = ''): string {
  return value === null ? '-' : `${value.toFixed(digits)}${unit}`;
}

/** The compact report as aligned text lines. */
export function formatMinimalReport(report: MinimalReport): string {
  return [
    `${report.id}: ${report.order} with ${report.strategy}: ${report.status} (${report.endReason})`,
    `  filled      ${report.filledQuantity} of ${report.requestedQuantity} (${(report.fillRatio * 100).toFixed(1)}%) in ${report.childOrders} child orders, ${report.fills} fills`,
    `  avg price   ${fixed(report.averagePrice, 2)}   arrival ${fixed(report.arrivalPrice, 2)}`,
    `  slippage    ${fixed(report.slippageBps, 2, ' bps')} vs arrival, ${fixed(report.vwapSlippageBps, 2, ' bps')} vs market VWAP`,
    `  fees        ${report.fees.toFixed(6)} ${report.feeCurrency}`,
    `  time        ${report.startedAt} → ${report.endedAt} (data time)`,
  ].join('\n');
}
