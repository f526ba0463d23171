import { createTranche, type Logger, type Tranche, type TranchePlugin } from '@tranche/core';
import feedReplayPlugin from '@tranche/feed-replay';
import twapStrategyPlugin from '@tranche/strategy-twap';
import paperVenuePlugin from '@tranche/venue-paper';
import type { MinimalSettings } from './minimal-settings.schema.js';

/**
 * The only plugins this app installs: recorded market data, the paper exchange that
 * matches against it, and one execution strategy. No optimizer, monitors, journal or
 * metrics: nothing the app does not use is loaded.
 */
export const MINIMAL_PLUGINS: readonly TranchePlugin<unknown>[] = Object.freeze([
  feedReplayPlugin as TranchePlugin<unknown>,
  paperVenuePlugin as TranchePlugin<unknown>,
  twapStrategyPlugin as TranchePlugin<unknown>,
]);

/**
 * The app's own config object, in the snake_case a config file uses: the core keys
 * plus one section per installed plugin. `createTranche` validates all of it (unknown
 * keys are errors), so a typo here fails at start-up, not mid-trade.
 */
export function minimalConfig(settings: MinimalSettings): Record<string, unknown> {
  return {
    default_strategy: 'twap',
    max_retries: 3,
    venue: 'paper',
    'feed-replay': { data: settings.data, speed: settings.speed, symbols: [settings.symbol] },
    'venue-paper': { latency_ms: 20, queue_model: 'conservative' },
  };
}

/** Composes the app: `createTranche` with `MINIMAL_PLUGINS`, the app's config and its logger. Nothing is started. */
export function composeMinimal(settings: MinimalSettings, logger: Logger): Tranche {
  return createTranche({ config: minimalConfig(settings), plugins: MINIMAL_PLUGINS, logger });
}
