import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { saveRunSettings, enableJournal } from './journal-settings.js';
import { MetricCollector, TrancheError, createTranche, loadConfigFile, type Logger, type Tranche, type TranchePlugin } from '@tranche/core';
import feedReplayPlugin from '@tranche/feed-replay';
import journalSqlitePlugin from '@tranche/journal-sqlite';
import loggerPinoPlugin from '@tranche/logger-pino';
import metricsCollectorPlugin from '@tranche/metrics-collector';
import metricsPrometheusPlugin from '@tranche/metrics-prometheus';
import marketStateRegimePlugin from '@tranche/market-state-regime';
import monitorExecutionPlugin from '@tranche/monitor-execution';
import monitorMarketStatePlugin from '@tranche/monitor-market-state';
import monitorQualityPlugin from '@tranche/monitor-quality';
import notifierConsolePlugin, { consoleStreamPlugin, type WritableText } from '@tranche/notifier-console';
import notifierWebhookPlugin from '@tranche/notifier-webhook';
import riskLimitsPlugin from '@tranche/risk-limits';
import adaptiveStrategyPlugin from '@tranche/strategy-adaptive';
import icebergStrategyPlugin from '@tranche/strategy-iceberg';
import limitStrategyPlugin from '@tranche/strategy-limit';
import marketStrategyPlugin from '@tranche/strategy-market';
import twapStrategyPlugin from '@tranche/strategy-twap';
import vwapStrategyPlugin from '@tranche/strategy-vwap';
import paperVenuePlugin from '@tranche/venue-paper';
import ccxtVenuePlugin from '@tranche/venue-ccxt';
import { configureRunnerLogger } from './logging.js';

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
  // Every limit is off until configured: installing it changes nothing until a `risk-limits` section sets one.
  riskLimitsPlugin as TranchePlugin<unknown>,
  journalSqlitePlugin as TranchePlugin<unknown>,
  // Notifications on stderr, warnings and critical only (slippage, deadline at risk, venue errors, kill switch): a normal run prints nothing more.
  notifierConsolePlugin as TranchePlugin<unknown>,
  // The `logger-pino` section (levels per component, file and rotation): the runner's own logger applies it.
  loggerPinoPlugin as TranchePlugin<unknown>,
];

/** The venue plugins the runner can install: the embedded paper exchange (default) and any ccxt exchange. */
export const VENUE_PLUGINS: Readonly<Record<string, TranchePlugin<unknown>>> = Object.freeze({
  paper: paperVenuePlugin as TranchePlugin<unknown>,
  ccxt: ccxtVenuePlugin as TranchePlugin<unknown>,
});

/** The default plugins for a live venue: the same set, with the venue's own market data instead of the replay and the paper venue. */
function livePlugins(venue: TranchePlugin<unknown>): TranchePlugin<unknown>[] {
  return [venue, ...DEFAULT_PLUGINS.filter((plugin) => plugin !== feedReplayPlugin && plugin !== paperVenuePlugin)];
}

/** Command-line settings of the `venue-ccxt` section. */
export interface CcxtOverrides {
  /** ccxt exchange id. */
  exchange?: string | undefined;
  /** REST base URL (proxies, testnets, local emulators). */
  baseUrl?: string | undefined;
  /** Websocket base URL. */
  wsUrl?: string | undefined;
}

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
  /** The venue: `paper` (default: the replay and the paper exchange) or `ccxt` (a real exchange, its market data, live time). */
  venue?: string;
  /** Settings of the ccxt venue from the command line (over the config's `venue-ccxt` section). */
  ccxt?: CcxtOverrides;
  /**
   * Journal executions (write-ahead) to this file and resume unfinished ones at start-up;
   * the run's settings (venue, its non-secret config) are saved in it for `tranche resume`.
   */
  journal?: string;
  /** Expose the metrics on this port (`@tranche/metrics-prometheus`, installed when not named already; 0 picks a free port). */
  metricsPort?: number;
  /** Symbols a live venue streams when the config names none (the order's). */
  symbols?: readonly string[];
  logger: Logger;
  /** Where the console notifier writes (the command's stderr; default: the process's). */
  io?: { readonly stderr: WritableText };
  /** Plugins installed after all the others (the cluster worker's journal on NATS). */
  extraPlugins?: readonly TranchePlugin<unknown>[];
}

/**
 * Builds a Tranche app for the CLI: reads the config, installs the plugin packages it
 * names under `plugins` (or the default set: replay feed, paper venue, every strategy,
 * the monitors, metrics and history; with `venue: ccxt`, the ccxt venue and its market
 * data instead of the replay and the paper venue), and applies the command-line overrides.
 */
export async function composeRunner(options: ComposeOptions): Promise<Tranche> {
  const loaded = options.configFile ? await loadConfigFile(options.configFile) : (options.config ?? {});
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  const { plugins: pluginNames, ...config } = loaded as Record<string, unknown>;
  const venue = options.venue ?? (typeof config['venue'] === 'string' ? config['venue'] : 'paper');
  const venuePlugin = VENUE_PLUGINS[venue];
  if (pluginNames === undefined && venuePlugin === undefined) {
    throw new TrancheError('validation', `invalid --venue: must be one of ${Object.keys(VENUE_PLUGINS).join(', ')}, got ${JSON.stringify(venue)}`, { field: 'venue', retryable: false });
  }
  let plugins = pluginNames !== undefined ? await importPlugins(pluginNames) : venue === 'paper' ? DEFAULT_PLUGINS : livePlugins(venuePlugin!);
  // Webhooks (Slack, Discord, Telegram, JSON) when the config has their section.
  if (pluginNames === undefined && config['notifier-webhook'] !== undefined) plugins = [...plugins, notifierWebhookPlugin as TranchePlugin<unknown>];
  if (options.io !== undefined) plugins = [...plugins, consoleStreamPlugin(options.io.stderr) as TranchePlugin<unknown>];
  // The terminal shows what needs attention now: deadline-at-risk only once critical (past the end time), unless the config routes the console itself.
  const notifications = config['notifications'] ?? {};
  const routes = isPlainObject(notifications) ? (notifications['notifiers'] ?? {}) : undefined;
  if (plugins.includes(notifierConsolePlugin as TranchePlugin<unknown>) && isPlainObject(routes) && routes['console'] === undefined) {
    config['notifications'] = { ...(notifications as Record<string, unknown>), notifiers: { ...routes, console: { min_severity_by_event: { 'deadline-at-risk': 'critical' } } } };
  }
  // Prometheus metrics when asked for (--metrics-port) or configured (a metrics-prometheus section).
  if (options.metricsPort !== undefined || (pluginNames === undefined && config['metrics-prometheus'] !== undefined)) {
    if (!plugins.some((plugin) => plugin.name === metricsPrometheusPlugin.name)) plugins = [...plugins, metricsPrometheusPlugin as TranchePlugin<unknown>];
    if (options.metricsPort !== undefined) config['metrics-prometheus'] = { ...((config['metrics-prometheus'] as Record<string, unknown> | undefined) ?? {}), port: options.metricsPort };
  }
  if (venue !== 'paper') config['venue'] = venue;
  const ccxt = Object.fromEntries(Object.entries(options.ccxt ?? {}).filter(([, value]) => value !== undefined));
  if (Object.keys(ccxt).length > 0) config['venue-ccxt'] = { ...((config['venue-ccxt'] as Record<string, unknown> | undefined) ?? {}), ...ccxt };
  if (venue === 'ccxt' && options.symbols !== undefined && options.symbols.length > 0) {
    const section = (config['venue-ccxt'] as Record<string, unknown> | undefined) ?? {};
    const cache = (config['asset_cache'] ?? config['assetCache']) as Record<string, unknown> | undefined;
    if (section['symbols'] === undefined && cache?.['default_symbols'] === undefined && cache?.['defaultSymbols'] === undefined) {
      config['venue-ccxt'] = { ...section, symbols: [...options.symbols] };
    }
  }
  const replay = { ...((config['feed-replay'] as Record<string, unknown> | undefined) ?? {}) };
  if (options.data !== undefined) replay['data'] = options.data;
  if (options.speed !== undefined) replay['speed'] = options.speed;
  if (venue !== 'paper' && pluginNames === undefined && (options.data !== undefined || options.speed !== undefined)) {
    throw new TrancheError('validation', `invalid ${options.data !== undefined ? '--data' : '--speed'}: it sets the replay of recorded data, which --venue ${venue} does not use`, {
      field: options.data !== undefined ? '--data' : '--speed',
      retryable: false,
    });
  }
  if (Object.keys(replay).length > 0) config['feed-replay'] = replay;
  if (options.extraPlugins !== undefined) plugins = [...plugins, ...options.extraPlugins];
  if (options.journal !== undefined) enableJournal(config, options.journal);
  const tranche = closingCollectors(createTranche({ config, plugins, logger: options.logger }));
  configureRunnerLogger(options.logger, config);
  if (options.journal !== undefined) saveRunSettings(tranche, { venue, config: pluginNames === undefined ? config : { ...config, plugins: pluginNames } });
  return tranche;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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

/** Imports the plugin packages a config names under `plugins` (package names, or paths relative to the current directory); one clear error per bad entry. */
export async function importPlugins(names: unknown): Promise<TranchePlugin<unknown>[]> {
  if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) {
    throw new TrancheError('validation', 'invalid config: plugins must be a list of package names', { field: 'plugins', retryable: false });
  }
  const plugins: TranchePlugin<unknown>[] = [];
  for (const [index, name] of (names as string[]).entries()) {
    let loaded: { default?: unknown };
    try {
      // A path (`./dist/index.js`, `/abs/plugin.js`) is a file of the user's project, relative to the current directory; anything else a package name.
      const specifier = name.startsWith('./') || name.startsWith('../') || isAbsolute(name) ? pathToFileURL(resolve(name)).href : name;
      loaded = (await import(specifier)) as { default?: unknown };
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
