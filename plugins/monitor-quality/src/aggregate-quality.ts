import type { ExecutionQualityRecord, OrderSizeBucket } from '@tranche/core';
import { sampleMean, sampleQuantile } from './quality-formulas.js';

/** The record fields that are aggregated (each to a count, a mean and a p90). */
export const AGGREGATED_QUALITY_FIELDS = [
  'implementationShortfallBps',
  'vwapSlippageBps',
  'spreadCostBps',
  'impactCostBps',
  'feeBps',
  'totalCostBps',
  'fillRate',
  'makerShare',
  'participationRate',
  'timeToCompleteMs',
  'markout1mBps',
  'markout5mBps',
] as const satisfies ReadonlyArray<keyof ExecutionQualityRecord>;
/** A record field that is aggregated. */
export type AggregatedQualityField = (typeof AGGREGATED_QUALITY_FIELDS)[number];

/** Summary of one field over a group: how many records had a value, their mean and 90th percentile. */
export interface QualityStat {
  count: number;
  mean: number | null;
  p90: number | null;
}

/** Market state of a record that had none. */
export const UNKNOWN_MARKET_STATE = 'unknown';

/** Quality of the executions of one strategy in one market state and size bucket. */
export interface QualityAggregate {
  strategy: string;
  /** The state at the start (`unknown` when none was known). */
  marketState: string;
  sizeBucket: OrderSizeBucket;
  /** Executions in the group. */
  count: number;
  /** Filled executions (status `filled`) in the group. */
  filledCount: number;
  stats: Record<AggregatedQualityField, QualityStat>;
}

/**
 * Groups records by strategy × market state × size bucket and summarizes each field
 * (count of non-null values, mean, p90 by linear interpolation), groups sorted by
 * strategy, state and bucket.
 */
export function aggregateQuality(records: Iterable<ExecutionQualityRecord>): QualityAggregate[] {
  const groups = new Map<string, ExecutionQualityRecord[]>();
  for (const record of records) {
    const key = JSON.stringify([record.strategy, record.marketState ?? UNKNOWN_MARKET_STATE, record.sizeBucket]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(record);
  }
  const bucketOrder: Record<OrderSizeBucket, number> = { small: 0, medium: 1, large: 2, xlarge: 3 };
  return [...groups.values()]
    .map((group) => {
      const first = group[0]!;
      const stats = {} as Record<AggregatedQualityField, QualityStat>;
      for (const field of AGGREGATED_QUALITY_FIELDS) {
        const values = group.map((record) => record[field]).filter((value): value is number => value !== null);
        stats[field] = { count: values.length, mean: sampleMean(values), p90: sampleQuantile(values, 0.9) };
      }
      return {
        strategy: first.strategy,
        marketState: first.marketState ?? UNKNOWN_MARKET_STATE,
        sizeBucket: first.sizeBucket,
        count: group.length,
        filledCount: group.filter((record) => record.status === 'filled').length,
        stats,
      };
    })
    .sort(
      (a, b) =>
        a.strategy.localeCompare(b.strategy) || a.marketState.localeCompare(b.marketState) || bucketOrder[a.sizeBucket] - bucketOrder[b.sizeBucket],
    );
}
