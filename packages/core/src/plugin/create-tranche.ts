import 'reflect-metadata';
import { Container, ContainerModule } from 'inversify';
import { z } from 'zod';
import { SharedBooks } from '../book/shared-books.js';
import { Clock } from '../contracts/clock.js';
import { ExecutionHistoryStore } from '../contracts/execution-history-store.js';
import { Logger } from '../contracts/logger.js';
import { MetricCollector } from '../contracts/metric-collector.js';
import { MessageBus } from '../contracts/message-bus.js';
import { InProcessMessageBus } from '../bus/in-process-message-bus.js';
import { Venue } from '../contracts/venue.js';
import { AssetCacheManager } from '../engine/asset-cache-manager.js';
import { ExecutionManager } from '../engine/execution-manager.js';
import { KillSwitch } from '../engine/kill-switch.js';
import { ExecutionLogger } from '../observe/execution-logger.js';
import { OrderRouter } from '../engine/order-router.js';
import { RiskGate } from '../engine/risk-gate.js';
import { ActiveVenue, TrancheConfig } from '../engine/tokens.js';
import { ErrorHandler } from '../errors/error-handler.js';
import { TrancheError } from '../errors/tranche-error.js';
import { parseInput } from '../errors/validation.js';
import { CoreConfigSchema, type CoreConfig } from '../model/config.schema.js';
import { ExecutionStrategyOptimizer } from '../optimizer/execution-strategy-optimizer.js';
import { ExecutionNotifier } from '../observe/execution-notifier.js';
import { LiveClock } from '../time/live-clock.js';
import { RunLoop } from '../time/run-loop.js';
import { NoopLogger } from '../util/noop-logger.js';
import { DuplicateConfigKeyError, normalizeConfigKeys, originalConfigPath } from './config-keys.js';
import { pluginConfigToken, type TranchePlugin } from './define-plugin.js';

/** Options of `createTranche`. */
export interface CreateTrancheOptions {
  /** The config object (JSON/YAML shape; snake_case or camelCase keys). */
  config?: unknown;
  /** Plugins to install, in order. */
  plugins: readonly TranchePlugin<unknown>[];
  /** A clock to use instead of the one a plugin or the default (live) provides. */
  clock?: Clock;
  /** Where library code logs (default: nowhere). */
  logger?: Logger;
}

/** A composed Tranche application. */
export interface Tranche {
  readonly container: Container;
  readonly config: CoreConfig;
  /** The config sections of the installed plugins, parsed. */
  readonly pluginConfig: Readonly<Record<string, unknown>>;
  readonly manager: ExecutionManager;
  /** Resolves any bound service. */
  get<T>(token: symbol | (abstract new (...args: never[]) => T)): T;
  /** Closes the manager (cancelling running executions), the venue and the data source. */
  close(): Promise<void>;
}

/**
 * Composes an application from a config object and plugins: validates the config
 * (core keys plus one section per plugin, unknown keys rejected), binds each section,
 * loads each plugin's module and then the core's defaults (a live clock, a silent
 * logger) for anything no plugin bound. Nothing is started: call
 * `tranche.manager.initialize()`.
 */
export function createTranche(options: CreateTrancheOptions): Tranche {
  const { config: coreConfig, pluginConfig } = parseTrancheConfig(options.config ?? {}, options.plugins);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TrancheConfig).toConstantValue(coreConfig);
  for (const plugin of options.plugins) {
    if (plugin.configSchema) container.bind(plugin.configToken ?? pluginConfigToken(plugin.name)).toConstantValue(pluginConfig[plugin.name]);
  }
  for (const plugin of options.plugins) container.load(plugin.module);
  if (options.clock) {
    if (container.isBound(Clock)) container.unbind(Clock);
    container.bind(Clock).toConstantValue(options.clock);
  }
  if (options.logger) {
    if (container.isBound(Logger)) container.unbind(Logger);
    container.bind(Logger).toConstantValue(options.logger);
  }
  container.load(coreModule(coreConfig));
  let manager: ExecutionManager | undefined;
  return {
    container,
    config: coreConfig,
    pluginConfig,
    get manager(): ExecutionManager {
      manager ??= container.get(ExecutionManager);
      return manager;
    },
    get: <T>(token: symbol | (abstract new (...args: never[]) => T)) => container.get<T>(token as never),
    close: async () => {
      if (container.isBound(ExecutionManager)) await (manager ?? container.get(ExecutionManager)).close();
      // After the manager: the notifications of the executions it ended are sent (bounded by notifications.close_timeout_ms).
      if (container.isBound(ExecutionNotifier)) await container.get(ExecutionNotifier).close();
    },
  };
}

/**
 * Validates a whole config: the core keys and one section per plugin. Throws one
 * validation error naming the key as the user wrote it.
 */
export function parseTrancheConfig(
  input: unknown,
  plugins: readonly TranchePlugin<unknown>[],
): { config: CoreConfig; pluginConfig: Record<string, unknown> } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  let normalized: unknown;
  try {
    normalized = normalizeConfigKeys(input);
  } catch (error) {
    if (error instanceof DuplicateConfigKeyError) throw new TrancheError('validation', error.message, { field: error.field, retryable: false });
    throw error;
  }
  const shape: Record<string, z.ZodType> = {};
  for (const plugin of plugins) {
    if (plugin.name in CoreConfigSchema.shape) {
      throw new TrancheError('validation', `plugin name "${plugin.name}" clashes with a core config key`, { retryable: false });
    }
    // A plugin without settings takes none: any key under its name is a typo, refused like every other unknown key.
    shape[plugin.name] = plugin.configSchema ? plugin.configSchema.optional() : z.object({}).strict().optional();
  }
  const schema = CoreConfigSchema.extend(shape).strict();
  const parsed = parseInput(schema, normalized, 'config', (path) => originalConfigPath(input, path)) as CoreConfig & Record<string, unknown>;
  const pluginConfig: Record<string, unknown> = {};
  const core: Record<string, unknown> = { ...parsed };
  for (const plugin of plugins) {
    delete core[plugin.name];
    if (!plugin.configSchema) continue;
    pluginConfig[plugin.name] =
      parsed[plugin.name] ?? parseInput(plugin.configSchema, {}, `config section "${plugin.name}"`);
  }
  return { config: core as CoreConfig, pluginConfig };
}

function coreModule(config: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    if (!isBound(Clock)) bind(Clock).toConstantValue(new LiveClock());
    if (!isBound(Logger)) bind(Logger).toConstantValue(new NoopLogger());
    if (!isBound(SharedBooks)) bind(SharedBooks).toConstantValue(new SharedBooks());
    // The in-process bus is the default: one process, no server (@tranche/bus-nats binds a networked one).
    if (!isBound(MessageBus)) {
      bind(MessageBus).toDynamicValue((context) => new InProcessMessageBus({ clock: context.get<Clock>(Clock), logger: context.get<Logger>(Logger) })).inSingletonScope();
    }
    if (!isBound(RunLoop)) bind(RunLoop).toDynamicValue((context) => new RunLoop(context.get<Clock>(Clock))).inSingletonScope();
    bind(ErrorHandler).toConstantValue(new ErrorHandler({ maxRetries: config.maxRetries }));
    bind(ActiveVenue).toDynamicValue((context) => {
      const venues = context.getAll<Venue>(Venue);
      if (venues.length === 0) throw new TrancheError('validation', 'no venue plugin is installed (add @tranche/venue-paper or @tranche/venue-ccxt)', { field: 'venue', retryable: false });
      if (config.venue === undefined) {
        if (venues.length > 1) {
          throw new TrancheError('validation', `several venues are installed (${venues.map((venue) => venue.id).join(', ')}): set "venue" in the config`, {
            field: 'venue',
            retryable: false,
          });
        }
        return venues[0]!;
      }
      const chosen = venues.find((venue) => venue.id === config.venue);
      if (!chosen) {
        throw new TrancheError('validation', `invalid config: venue "${config.venue}" is not installed (installed: ${venues.map((venue) => venue.id).join(', ')})`, {
          field: 'venue',
          retryable: false,
        });
      }
      return chosen;
    });
    if (!isBound(RiskGate)) bind(RiskGate).toSelf();
    bind(OrderRouter).toSelf();
    bind(AssetCacheManager).toSelf();
    // The optimizer learns from the history: installed with a history store (e.g. @tranche/journal-sqlite) unless bound already.
    if (!isBound(ExecutionStrategyOptimizer) && isBound(ExecutionHistoryStore)) bind(ExecutionStrategyOptimizer).toSelf();
    bind(ExecutionLogger).toSelf();
    // Every composed app logs its executions: the ExecutionLogger follows the manager's events from its creation (nothing with a NoopLogger).
    bind(ExecutionManager)
      .toSelf()
      .onActivation((context, manager) => {
        context.get(ExecutionLogger).follow(manager.events$);
        return manager;
      });
    if (!isBound(KillSwitch)) bind(KillSwitch).toSelf();
    // A collector so the manager feeds it every event (it only queues); the kill switch publishes through it too.
    if (!isBound(ExecutionNotifier)) {
      bind(ExecutionNotifier).toSelf();
      bind(MetricCollector).toService(ExecutionNotifier);
    }
  });
}
