import { readFileSync } from 'node:fs';
import { ExecutionHistoryStore, ExecutionJournal, ExecutionStrategyOptimizer, MarketDataSource, MetricCollector, Notifier, Venue } from '@tranche/core';
import { describe, expect, it } from 'vitest';
import { MINIMAL_PLUGINS, composeMinimal, LineLogger, parseMinimalArgs, type MinimalSettings } from '../src/index.js';

function defaults(): MinimalSettings {
  const command = parseMinimalArgs([]);
  if (command.help) throw new Error('unexpected --help');
  return command.settings;
}

describe('tranche-minimal installs only the plugins it needs', () => {
  it('depends on core, feed-replay, venue-paper and strategy-twap only (no other @tranche package)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const tranche = Object.keys(manifest.dependencies)
      .filter((name) => name.startsWith('@tranche/'))
      .sort();
    expect(tranche).toEqual(['@tranche/core', '@tranche/feed-replay', '@tranche/strategy-twap', '@tranche/venue-paper']);
  });

  it('composes exactly those plugins and exactly one strategy, twap', () => {
    expect(MINIMAL_PLUGINS.map((plugin) => plugin.name)).toEqual(['feed-replay', 'venue-paper', 'strategy-twap']);
    const tranche = composeMinimal(defaults(), new LineLogger({ write: () => true }, 'silent'));
    expect(tranche.manager.strategyIds()).toEqual(['twap']);
    expect(tranche.config.defaultStrategy).toBe('twap');
    expect(tranche.container.getAll<Venue>(Venue).map((venue) => venue.id)).toEqual(['paper']);
    expect(tranche.container.get<MarketDataSource>(MarketDataSource).id).toBe('replay');
    // Nothing the app does not use: no optimizer, history, journal or notification channel…
    for (const token of [ExecutionStrategyOptimizer, ExecutionHistoryStore, ExecutionJournal, Notifier]) {
      expect(tranche.container.isBound(token), String(token.toString())).toBe(false);
    }
    // …and no plugin collector: the only MetricCollector is core's own ExecutionNotifier (idle without channels).
    expect(tranche.container.getAll<MetricCollector>(MetricCollector).map((collector) => collector.id)).toEqual(['execution-notifier']);
    expect(Object.keys(tranche.pluginConfig).sort()).toEqual(['feed-replay', 'venue-paper']);
  });

  it('its config object is validated as a whole by createTranche (the sections the app sets are parsed)', () => {
    const tranche = composeMinimal({ ...defaults(), speed: 10 }, new LineLogger({ write: () => true }, 'silent'));
    expect(tranche.pluginConfig['feed-replay']).toMatchObject({ speed: 10, symbols: ['BTC/USDT'] });
    expect(tranche.pluginConfig['venue-paper']).toMatchObject({ latencyMs: 20, queueModel: 'conservative' });
    expect(tranche.config.maxRetries).toBe(3);
  });
});
