import type { ClusterJob } from './cluster-job.schema.js';

const SYMBOLS = [
  { symbol: 'BTC/USDT', sizes: [0.2, 0.5, 0.8, 1.2] },
  { symbol: 'ETH/USDT', sizes: [2, 5, 8, 12] },
] as const;
const STRATEGIES = ['twap', 'vwap', 'iceberg', 'market'] as const;

/**
 * `count` parent orders across the bundled symbols (BTC/USDT, ETH/USDT), both sides and
 * the twap, vwap, iceberg and market strategies, each with its own seed: the orders of
 * the cluster demo, its end-to-end test and its bench. Deterministic: the same `prefix`
 * and `count` give the same orders.
 */
export function sampleClusterJobs(count: number, prefix = 'o'): ClusterJob[] {
  const jobs: ClusterJob[] = [];
  for (let index = 0; index < count; index++) {
    const { symbol, sizes } = SYMBOLS[index % SYMBOLS.length]!;
    const type = STRATEGIES[Math.floor(index / SYMBOLS.length) % STRATEGIES.length]!;
    const quantity = sizes[Math.floor(index / (SYMBOLS.length * STRATEGIES.length)) % sizes.length]!;
    const durationMs = (60 + 30 * (index % 4)) * 1_000;
    const seed = 101 + index;
    const params: Record<string, unknown> =
      type === 'market' ? {} : type === 'iceberg' ? { durationMs, displayQuantity: quantity / 5, seed } : { durationMs, seed };
    jobs.push({ order: { id: `${prefix}${index + 1}`, symbol, side: index % 3 === 2 ? 'sell' : 'buy', type, quantity, params }, venue: 'paper' });
  }
  return jobs;
}
