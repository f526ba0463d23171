import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '@tranche/core';
import { aggregateQuality } from './aggregate-quality.js';
import { buildQualityRecord, type QualityRecordInput } from './build-quality-record.js';
import type { QualityFill } from './quality-formulas.js';

function report(overrides: Partial<ExecutionReport>): ExecutionReport {
  return {
    id: 'a',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'twap',
    strategy: 'twap',
    status: 'filled',
    endReason: 'filled the requested quantity',
    requestedQuantity: 2,
    filledQuantity: 2,
    averagePrice: 100.06,
    arrivalPrice: 100,
    slippageBps: 6,
    fees: 0.14511,
    feeCurrency: 'USDT',
    notional: 200.12,
    startedAt: 0,
    endedAt: 10_000,
    childOrders: [],
    fills: [],
    errors: [],
    marketVolume: 40,
    marketVwap: 100.04,
    vwapSlippageBps: 2,
    ...overrides,
  };
}

const buyFills: QualityFill[] = [
  { ts: 1_000, price: 100.02, quantity: 0.5, feeQuote: -0.005, liquidity: 'maker', mid: 100.03 },
  { ts: 2_000, price: 100.06, quantity: 1.0, feeQuote: 0.10006, liquidity: 'taker', mid: 100.05 },
  { ts: 3_000, price: 100.1, quantity: 0.5, feeQuote: 0.05005, liquidity: 'taker', mid: 100.08 },
];

function input(overrides: Partial<QualityRecordInput> = {}): QualityRecordInput {
  return {
    report: report({}),
    fills: buyFills,
    marketState: 'normal',
    marketVolume: 40,
    marketVwap: 100.04,
    sizeReferenceVolume: 40,
    midAfter1m: 100.1,
    midAfter5m: 99.9,
    ...overrides,
  };
}

describe('buildQualityRecord', () => {
  it('builds the record of fill set A with every hand-computed figure', () => {
    const record = buildQualityRecord(input());
    expect(record).toMatchObject({
      executionId: 'a',
      strategy: 'twap',
      requestedType: 'twap',
      marketState: 'normal',
      // 2 of a reference volume of 40 is 5 %: medium is [1 %, 5 %), so large.
      sizeBucket: 'large',
      status: 'filled',
      requestedQuantity: 2,
      filledQuantity: 2,
      fillRate: 1,
      arrivalPrice: 100,
      makerShare: 0.25,
      participationRate: 0.05,
      // start 0 → last fill at 3 s.
      timeToCompleteMs: 3_000,
      marketVolume: 40,
    });
    expect(record.averagePrice).toBeCloseTo(100.06, 10);
    expect(record.implementationShortfallBps).toBeCloseTo(6, 8);
    expect(record.vwapSlippageBps).toBeCloseTo(1.999200320, 8);
    expect(record.fees).toBeCloseTo(0.14511, 12);
    expect(record.feeBps).toBeCloseTo(7.251149310, 8);
    expect(record.spreadCostBps).toBeCloseTo(0.749425422, 8);
    expect(record.impactCostBps).toBeCloseTo(5.250574578, 8);
    expect(record.totalCostBps).toBeCloseTo(13.25114931, 8);
    expect(record.markout1mBps).toBeCloseTo(3.997601439, 8);
    expect(record.markout5mBps).toBeCloseTo(-15.990405757, 8);
  });

  it('leaves price measures null when nothing filled, and time to complete null unless filled', () => {
    const record = buildQualityRecord(
      input({ report: report({ status: 'expired', filledQuantity: 0, averagePrice: 0, fees: 0, notional: 0 }), fills: [], midAfter1m: 100, midAfter5m: 100 }),
    );
    expect(record).toMatchObject({
      fillRate: 0,
      averagePrice: null,
      implementationShortfallBps: null,
      vwapSlippageBps: null,
      makerShare: null,
      feeBps: null,
      spreadCostBps: null,
      impactCostBps: null,
      totalCostBps: null,
      participationRate: 0,
      timeToCompleteMs: null,
      markout1mBps: null,
      markout5mBps: null,
    });
    const partial = buildQualityRecord(input({ report: report({ status: 'partially_filled' }) }));
    expect(partial.timeToCompleteMs).toBeNull();
  });

  it('sizes against the reference volume and says medium when it is unknown', () => {
    expect(buildQualityRecord(input({ sizeReferenceVolume: 1_000 })).sizeBucket).toBe('small');
    expect(buildQualityRecord(input({ sizeReferenceVolume: 5 })).sizeBucket).toBe('xlarge');
    expect(buildQualityRecord(input({ sizeReferenceVolume: null })).sizeBucket).toBe('medium');
  });
});

describe('aggregateQuality', () => {
  it('groups by strategy × market state × size bucket with count, mean and p90 (hand-computed)', () => {
    const shortfalls = [2, 4, 12];
    const records = shortfalls.map((shortfall, index) => {
      const base = buildQualityRecord(input({ report: report({ id: `r${index}` }) }));
      return { ...base, implementationShortfallBps: shortfall, makerShare: index === 2 ? null : 0.5 * index };
    });
    const other = { ...buildQualityRecord(input({ report: report({ id: 'x', strategy: 'vwap' }), marketState: null })) };
    const groups = aggregateQuality([...records, other]);
    expect(groups.map((group) => [group.strategy, group.marketState, group.sizeBucket, group.count])).toEqual([
      ['twap', 'normal', 'large', 3],
      ['vwap', 'unknown', 'large', 1],
    ]);
    const twap = groups[0]!;
    // mean (2 + 4 + 12) / 3 = 6; p90: h = 2 × 0.9 = 1.8 → 4 + 0.8 × (12 − 4) = 10.4.
    expect(twap.stats.implementationShortfallBps.count).toBe(3);
    expect(twap.stats.implementationShortfallBps.mean).toBeCloseTo(6, 12);
    expect(twap.stats.implementationShortfallBps.p90).toBeCloseTo(10.4, 12);
    // Nulls are left out: maker shares 0 and 0.5 → mean 0.25, p90 0 + 0.9 × 0.5 = 0.45.
    expect(twap.stats.makerShare).toEqual({ count: 2, mean: 0.25, p90: 0.45 });
    expect(twap.filledCount).toBe(3);
  });
});
