import type { ExecutionQualityRecord, OrderSizeBucket } from '../quality/execution-quality.schema.js';
import { executionObjectiveBps } from './execution-objective.js';

/** Count, mean and spread of the recorded objective of one strategy in one cell. */
export interface ObjectiveStats {
  samples: number;
  meanBps: number;
  /** Sample standard deviation; `null` below two samples. */
  stdBps: number | null;
}

/** What the history says about one market state. */
export interface StateStatistics {
  /** Recorded executions in the state, all strategies. */
  samples: number;
  /** Per strategy. */
  strategies: ReadonlyMap<string, ObjectiveStats>;
  /** Per size bucket, then per strategy. */
  buckets: ReadonlyMap<OrderSizeBucket, ReadonlyMap<string, ObjectiveStats>>;
}

interface Accumulator {
  samples: number;
  mean: number;
  m2: number;
}

/** The state under which executions that started without a known market state are learned (and asked about). */
export const UNKNOWN_MARKET_STATE = 'unknown';

/**
 * Aggregates recorded executions into the recorded objective per market state,
 * strategy and size bucket (Welford's running mean and variance). Records without a
 * market state count under `unknown`.
 */
export function objectiveStatistics(records: readonly ExecutionQualityRecord[]): Map<string, StateStatistics> {
  const states = new Map<string, { samples: number; strategies: Map<string, Accumulator>; buckets: Map<OrderSizeBucket, Map<string, Accumulator>> }>();
  for (const record of records) {
    const name = record.marketState ?? UNKNOWN_MARKET_STATE;
    let state = states.get(name);
    if (!state) {
      state = { samples: 0, strategies: new Map(), buckets: new Map() };
      states.set(name, state);
    }
    const cost = executionObjectiveBps(record);
    state.samples++;
    add(state.strategies, record.strategy, cost);
    let bucket = state.buckets.get(record.sizeBucket);
    if (!bucket) {
      bucket = new Map();
      state.buckets.set(record.sizeBucket, bucket);
    }
    add(bucket, record.strategy, cost);
  }
  const result = new Map<string, StateStatistics>();
  for (const [name, state] of states) {
    result.set(name, {
      samples: state.samples,
      strategies: finish(state.strategies),
      buckets: new Map([...state.buckets].map(([bucket, strategies]) => [bucket, finish(strategies)])),
    });
  }
  return result;
}

function add(cells: Map<string, Accumulator>, strategy: string, value: number): void {
  let cell = cells.get(strategy);
  if (!cell) {
    cell = { samples: 0, mean: 0, m2: 0 };
    cells.set(strategy, cell);
  }
  cell.samples++;
  const delta = value - cell.mean;
  cell.mean += delta / cell.samples;
  cell.m2 += delta * (value - cell.mean);
}

function finish(cells: Map<string, Accumulator>): Map<string, ObjectiveStats> {
  return new Map(
    [...cells].map(([strategy, cell]) => [
      strategy,
      { samples: cell.samples, meanBps: cell.mean, stdBps: cell.samples > 1 ? Math.sqrt(cell.m2 / (cell.samples - 1)) : null },
    ]),
  );
}
