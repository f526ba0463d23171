/**
 * The seed design's initialization example, translated to TypeScript: the seed's
 * config, `initialize()`, one limit order, print the result, `close()` in `finally`.
 *
 * Run it with `npm run example:init`. The paper exchange replays recorded Binance
 * BTC/USDT data (2024-08-08, around 61,800 USDT), so this buy limit at 50,000 never
 * crosses: it rests until the recorded data ends and the order ends `expired`.
 */
import { createTranche, type ExecutionReport } from '@tranche/core';
import feedReplay from '@tranche/feed-replay';
import limitStrategy from '@tranche/strategy-limit';
import marketStrategy from '@tranche/strategy-market';
import paperVenue from '@tranche/venue-paper';
import { pathToFileURL } from 'node:url';

/** The seed's config object, with its snake_case keys, as written there. */
export const seedConfig = {
  default_strategy: 'vwap',
  max_retries: 3,
  strategy_optimizer: {
    strategies: ['twap', 'vwap', 'market', 'limit', 'iceberg', 'adaptive'],
    optimization_interval: 24, // hours
    min_samples: 10,
  },
  asset_cache: {
    cache_ttl: 60, // seconds
    refresh_interval: 5, // seconds
    default_symbols: ['BTC/USDT', 'ETH/USDT'],
  },
};

/** Runs the example; `print` receives what the seed prints. */
export async function runInitializationExample(print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<ExecutionReport> {
  // The execution manager, composed from the seed's config and the default plugins.
  const { manager: executionManager } = createTranche({
    config: seedConfig,
    plugins: [feedReplay, paperVenue, marketStrategy, limitStrategy],
  });
  await executionManager.initialize();

  try {
    // Execute the order.
    const orderResult = await executionManager.executeOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.1,
      price: 50000.0,
    });

    print(`주문 실행 결과 (order result): ${JSON.stringify(orderResult, null, 2)}`);
    return orderResult;
  } finally {
    // Release resources.
    await executionManager.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runInitializationExample();
}
