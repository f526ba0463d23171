import type { OrderSide } from '@tranche/core';
import type { BacktestGrid } from './backtest-grid.schema.js';
import type { BacktestDataset } from './backtest-datasets.js';

/** One lane of a backtest: a data set (and its symbol), strategy, side, size and duration, replayed on its own. */
export interface BacktestLane {
  dataset: BacktestDataset;
  symbol: string;
  strategy: string;
  side: OrderSide;
  /** Share of the expected window volume. */
  size: number;
  durationMs: number;
}

/** The grid's lanes, data set by data set, then strategy, side, size and duration. */
export function laneOrder(grid: BacktestGrid, datasets: readonly BacktestDataset[]): BacktestLane[] {
  const lanes: BacktestLane[] = [];
  for (const dataset of datasets)
    for (const strategy of grid.strategies)
      for (const side of grid.sides)
        for (const size of grid.sizes)
          for (const durationMs of grid.durationsMs) lanes.push({ dataset, symbol: dataset.symbol, strategy, side, size, durationMs });
  return lanes;
}

/** Start times per lane when the grid sets neither `starts` nor `startEveryMs`: long data gets its starts spread out. */
export const DEFAULT_STARTS_PER_LANE = 24;

/**
 * Start times of a lane's orders: the first after the warm-up (and not before `nowTs`,
 * where the replay stands once every book is known), then one every `startEveryMs`,
 * each with its whole window inside the data, at most `starts` of them. Without
 * `startEveryMs` the spacing is the longest duration (so a lane's orders never overlap),
 * widened to whole minutes when `starts` is not set either so that at most
 * `DEFAULT_STARTS_PER_LANE` spread over long data (a month of candles).
 */
export function planStarts(span: { startTs: number; endTs: number }, nowTs: number, durationMs: number, grid: BacktestGrid): number[] {
  const warmupMs = grid.warmupMs ?? Math.max(60_000, ...grid.durationsMs);
  const first = Math.max(span.startTs + warmupMs, nowTs);
  const longest = Math.max(...grid.durationsMs);
  const spread = grid.starts === undefined ? Math.ceil((span.endTs - first) / DEFAULT_STARTS_PER_LANE / 60_000) * 60_000 : 0;
  const everyMs = grid.startEveryMs ?? Math.max(longest, spread);
  const limit = grid.starts ?? Number.POSITIVE_INFINITY;
  const starts: number[] = [];
  for (let ts = first; ts + durationMs <= span.endTs && starts.length < limit; ts += everyMs) starts.push(ts);
  return starts;
}
