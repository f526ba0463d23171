import { describe, expect, it } from 'vitest';
import { parseInput } from '@tranche/core';
import { BacktestGridSchema } from './backtest-grid.schema.js';
import { laneOrder, planStarts } from './backtest-plan.js';

const grid = (input: Record<string, unknown> = {}) => parseInput(BacktestGridSchema, input, 'backtest grid');

describe('laneOrder', () => {
  it('makes one lane per data set × strategy × side × size × duration, symbol by symbol', () => {
    const datasets = ['BTC/USDT', 'ETH/USDT'].map((symbol) => ({ name: symbol, symbol, replay: {} }));
    const lanes = laneOrder(grid({ strategies: ['twap', 'auto'], sizes: [0.01, 0.05], durationsMs: [60_000] }), datasets);
    expect(lanes).toHaveLength(2 * 2 * 2 * 2);
    expect(lanes[0]).toEqual({ dataset: datasets[0], symbol: 'BTC/USDT', strategy: 'twap', side: 'buy', size: 0.01, durationMs: 60_000 });
    expect(lanes.slice(0, 8).every((lane) => lane.symbol === 'BTC/USDT')).toBe(true);
    expect(new Set(lanes.map((lane) => JSON.stringify(lane))).size).toBe(lanes.length);
  });
});

describe('planStarts', () => {
  const span = { startTs: 0, endTs: 600_000 };

  it('starts after the warm-up, every longest duration, each window inside the data', () => {
    expect(planStarts(span, 0, 120_000, grid())).toEqual([120_000, 240_000, 360_000, 480_000]);
  });

  it('never before the replay is ready, at most `starts`, at the given spacing', () => {
    expect(planStarts(span, 200_000, 60_000, grid({ durationsMs: [60_000], startEveryMs: 30_000, starts: 3 }))).toEqual([200_000, 230_000, 260_000]);
  });

  it('spreads at most 24 starts over long data when neither starts nor spacing is set', () => {
    const month = { startTs: 0, endTs: 30 * 86_400_000 };
    const starts = planStarts(month, 0, 120_000, grid());
    expect(starts.length).toBeLessThanOrEqual(24);
    expect(starts.length).toBeGreaterThanOrEqual(23);
    expect(starts.at(-1)! + 120_000).toBeLessThanOrEqual(month.endTs);
    expect(planStarts(month, 0, 120_000, grid({ starts: 100 }))).toHaveLength(100);
  });

  it('is empty when no window fits after the warm-up', () => {
    expect(planStarts({ startTs: 0, endTs: 100_000 }, 0, 60_000, grid({ durationsMs: [60_000] }))).toEqual([]);
  });
});

describe('BacktestGridSchema', () => {
  it('fills the documented defaults', () => {
    expect(grid()).toMatchObject({ sides: ['buy', 'sell'], sizes: [0.01, 0.05], durationsMs: [120_000], seed: 1, params: {} });
    expect(grid().strategies).toEqual(['market', 'limit', 'twap', 'vwap', 'iceberg', 'adaptive', 'auto']);
  });

  it.each([
    [{ sizes: [0] }, /sizes\[0\]/],
    [{ sizes: [1.5] }, /sizes\[0\] must be <=1, got 1\.5/],
    [{ durationsMs: [-1] }, /durationsMs\[0\]/],
    [{ sides: ['long'] }, /sides\[0\] must be "buy" or "sell", got "long"/],
    [{ strategies: ['TWAP'] }, /strategies\[0\]/],
    [{ starts: 0 }, /starts/],
    [{ colour: 'red' }, /unknown key "colour"/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => grid(input)).toThrow(message);
  });
});
