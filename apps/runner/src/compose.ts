import { MetricCollector, TrancheError, createTranche, loadConfigFile, type Logger, type Tranche, type TranchePlugin } from '@tranche/core';
import feedReplayPlugin from '@tranche/feed-replay';
import journalSqlitePlugin from '@tranche/journal-sqlite';
import metricsCollectorPlugin from '@tranche/metrics-collector';
import marketStateRegimePlugin from '@tranche/market-state-regime';
import monitorExecutionPlugin from '@tranche/monitor-execution';
import monitorMarketStatePlugin from '@tranche/monitor-market-state';
import monitorQualityPlugin from '@tranche/monitor-quality';
import adaptiveStrategyPlugin from '@tranche/strategy-adaptive';
import icebergStrategyPlugin from '@tranche/strategy-iceberg';
import limitStrategyPlugin from '@tranche/strategy-limit';
import marketStrategyPlugin from '@tranche/strategy-market';
import twapStrategyPlugin from '@tranche/strategy-twap';
import vwapStrategyPlugin from '@tranche/strategy-vwap';
import paperVenuePlugin from '@tranche/venue-paper';

/** The plugins the runner installs when the config names none. */
export const DEFAULT_PLUGINS: readonly TranchePlugin<unknown>[] = [
  feedReplayPlugin as TranchePlugin<unknown>,
  paperVenuePlugin as TranchePlugin<unknown>,
  marketStrategyPlugin as TranchePlugin<unknown>,
  limitStrategyPlugin as TranchePlugin<unknown>,
  twapStrategyPlugin as TranchePlugin<unknown>,
  vwapStrategyPlugin as TranchePlugin<unknown>,
  icebergStrategyPlugin as TranchePlugin<unknown>,
  adaptiveStrategyPlugin as TranchePlugin<unknown>,
  monitorMarketStatePlugin as TranchePlugin<unknown>,
  marketStateRegimePlugin as TranchePlugin<unknown>,
  // Quality records of every execution, saved to the execution history (.tranche/tranche.db, or journal-sqlite.path): the optimizer learns from it.
  monitorQualityPlugin as TranchePlugin<unknown>,
  monitorExecutionPlugin as TranchePlugin<unknown>,
  metricsCollectorPlugin as TranchePlugin<unknown>,
  journalSqlitePlugin as TranchePlugin<unknown>,
];

/** How the runner should be composed. */
export interface ComposeOptions {
  /** A JSON or YAML config file. */
  configFile?: string;
  /** A config object (used when no file is given). */
  config?: Record<string, unknown>;
  /** Recorded data directory for the replay feed (overrides the config). */
  data?: string;
  /** Replay speed (overrides the config). */
  speed?: 'max' | number;
  logger: Logger;
}

/**
 * Builds a Tranche app for the CLI: reads the config, installs the plugin packages it
 * names under `plugins` (or the default set: replay feed, paper venue, market, limit,
 * TWAP, VWAP and iceberg strategies, market-state monitor and regime classifier), and applies the command-line overrides.
 */
export async function composeRunner(options: ComposeOptions): Promise<Tranche> {
  const loaded = options.configFile ? await loadConfigFile(options.configFile) : (options.config ?? {});
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  const { plugins: pluginNames, ...config } = loaded as Record<string, unknown>;
  const plugins = pluginNames === undefined ? DEFAULT_PLUGINS : await importPlugins(pluginNames);
  const replay = { ...((config['feed-replay'] as Record<string, unknown> | undefined) ?? {}) };
  if (options.data !== undefined) replay['data'] = options.data;
  if (options.speed !== undefined) replay['speed'] = options.speed;
  if (Object.keys(replay).length > 0) config['feed-replay'] = replay;
  return closingCollectors(createTranche({ config, plugins, logger: options.logger }));
}

/**
 * Makes `close()` close the metric collectors after the manager, so a quality monitor
 * finalizes the records still waiting for markouts and saves them to the history.
 */
function closingCollectors(tranche: Tranche): Tranche {
  const closeManager = tranche.close;
  (tranche as { close: () => Promise<void> }).close = async () => {
    await closeManager();
    if (!tranche.container.isBound(MetricCollector)) return;
    for (const collector of tranche.container.getAll<MetricCollector & { close?: () => Promise<void> }>(MetricCollector)) await collector.close?.();
  };
  return tranche;
}

/** Imports the plugin packages a config names under `plugins`; one clear error per bad entry. */
export async function importPlugins(names: unknown): Promise<TranchePlugin<unknown>[]> {
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
    throw new TrancheError('validation', 'invalid config: plugins must be a list of package names', { field: 'plugins', retryable: false });
  }
  const plugins: TranchePlugin<unknown>[] = [];
  for (const [index, name] of (names as string[]).entries()) {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(name)) as { default?: unknown };
    } catch (error) {
      throw new TrancheError('validation', `invalid config: plugins[${index}] "${name}" cannot be imported (${(error as Error).message.split('\n')[0]})`, {
        field: `plugins[${index}]`,
        retryable: false,
      });
    }
    const plugin = loaded.default as Partial<TranchePlugin<unknown>> | undefined;
    if (!plugin || typeof plugin.name !== 'string' || plugin.module === undefined) {
      throw new TrancheError('validation', `invalid config: plugins[${index}] "${name}" does not default-export a Tranche plugin`, {
        field: `plugins[${index}]`,
        retryable: false,
      });
    }
    plugins.push(plugin as TranchePlugin<unknown>);
  }
  return plugins;
}
