import { describe, expect, it } from 'vitest';
import type { BacktestRun } from './backtest-result.js';
import { backtestTable } from './backtest-table.js';
import { PriceSeriesBuilder } from './price-series.js';

function run(overrides: Partial<BacktestRun>): BacktestRun {
  return {
    id: 'r',
    symbol: 'BTC/USDT',
    side: 'buy',
    requestedStrategy: 'twap',
    strategy: 'twap',
    quantity: 1,
    shareOfVolume: 0.01,
    startTs: 0,
    endTs: 60_000,
    durationMs: 60_000,
    marketState: 'normal',
    sizeBucket: 'small',
    status: 'filled',
    filledQuantity: 1,
    averagePrice: 100,
    arrivalPrice: 100,
    implementationShortfallBps: 0,
    vwapSlippageBps: 0,
    fillRate: 1,
    totalCostBps: 0,
    feeBps: 0,
    participationRate: 0.01,
    childOrders: 1,
    fills: [],
    schedule: [],
    ...overrides,
  };
}

describe('backtestTable', () => {
  it('groups by requested strategy × state × bucket with mean and p90 (linear interpolation)', () => {
    const runs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((shortfall) => run({ implementationShortfallBps: shortfall, totalCostBps: shortfall + 10 }));
    runs.push(run({ requestedStrategy: 'auto', strategy: 'vwap', implementationShortfallBps: 3, status: 'partially_filled', fillRate: 0.5 }));
    runs.push(run({ requestedStrategy: 'auto', strategy: 'market', implementationShortfallBps: null, fillRate: 0 , status: 'expired'}));
    const table = backtestTable(runs);
    expect(table.map((row) => row.strategy)).toEqual(['auto', 'twap']);
    const twap = table[1]!;
    expect(twap).toMatchObject({ marketState: 'normal', sizeBucket: 'small', count: 10, filledCount: 10 });
    expect(twap.implementationShortfallBps).toEqual({ count: 10, mean: 5.5, p90: 9.1 });
    expect(twap.totalCostBps.mean).toBe(15.5);
    const auto = table[0]!;
    expect(auto).toMatchObject({ count: 2, filledCount: 0 });
    expect(auto.implementationShortfallBps).toEqual({ count: 1, mean: 3, p90: 3 });
    expect(auto.fillRate.mean).toBe(0.25);
  });

  it('sorts states and buckets', () => {
    const table = backtestTable([run({ sizeBucket: 'large' }), run({ marketState: 'trending' }), run({ sizeBucket: 'small' })]);
    expect(table.map((row) => `${row.marketState}/${row.sizeBucket}`)).toEqual(['normal/small', 'normal/large', 'trending/small']);
  });
});

describe('PriceSeriesBuilder', () => {
  it('keeps the last price per bucket, at most ~1,500 points', () => {
    const series = new PriceSeriesBuilder('BTC/USDT', 10 * 60_000);
    series.add(1_000, 1);
    series.add(1_500, 2);
    series.add(2_100, 3);
    expect(series.build()).toEqual({ symbol: 'BTC/USDT', stepMs: 1_000, ts: [1_000, 2_000], price: [2, 3] });
    const month = new PriceSeriesBuilder('BTC/USDT', 30 * 86_400_000);
    for (let ts = 0; ts < 30 * 86_400_000; ts += 60_000) month.add(ts, 1);
    expect(month.length).toBeLessThanOrEqual(1_500);
  });
});
