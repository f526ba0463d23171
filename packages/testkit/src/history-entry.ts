import type { ExecutionHistoryEntry, ExecutionQualityRecord, ExecutionReport } from '@tranche/core';

/** A consistent report and quality record of one finished execution, for tests of history stores and the optimizer. */
export function historyEntry(id: string, overrides: Partial<ExecutionQualityRecord> = {}): ExecutionHistoryEntry {
  const startedAt = overrides.startedAt ?? 1_723_161_255_000;
  const endedAt = overrides.endedAt ?? startedAt + 60_000;
  const strategy = overrides.strategy ?? 'twap';
  const fillRate = overrides.fillRate ?? 1;
  const report: ExecutionReport = {
    id,
    symbol: overrides.symbol ?? 'BTC/USDT',
    side: overrides.side ?? 'buy',
    type: overrides.requestedType ?? strategy,
    strategy,
    status: fillRate === 1 ? 'filled' : 'partially_filled',
    endReason: 'filled the requested quantity',
    requestedQuantity: 1,
    filledQuantity: fillRate,
    averagePrice: 61_805,
    arrivalPrice: 61_800,
    slippageBps: 0.81,
    fees: 6.18,
    feeCurrency: 'USDT',
    notional: 61_805 * fillRate,
    startedAt,
    endedAt,
    childOrders: [],
    fills: [],
    errors: [],
  };
  const quality: ExecutionQualityRecord = {
    executionId: id,
    symbol: report.symbol,
    side: report.side,
    strategy,
    requestedType: report.type,
    marketState: 'normal',
    sizeBucket: 'small',
    status: report.status,
    startedAt,
    endedAt,
    requestedQuantity: 1,
    filledQuantity: fillRate,
    fillRate,
    arrivalPrice: 61_800,
    averagePrice: 61_805,
    implementationShortfallBps: 0.81,
    vwapSlippageBps: 0.2,
    makerShare: 0,
    fees: 6.18,
    feeBps: 1,
    spreadCostBps: 0.1,
    impactCostBps: 0.71,
    totalCostBps: 1.81,
    participationRate: 0.01,
    timeToCompleteMs: 60_000,
    markout1mBps: null,
    markout5mBps: null,
    marketVolume: 100,
    ...overrides,
  };
  return { report, quality };
}
