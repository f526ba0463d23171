/**
 * Tranche core: the model (zod schemas and types), the contracts every plugin
 * implements, the plugin API, the engine (`ExecutionManager`, `OrderRouter`,
 * `AssetCacheManager`), errors and time.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

export * from './model/common.schema.js';
export * from './model/market.schema.js';
export * from './model/order.schema.js';
export * from './model/fill.schema.js';
export * from './model/execution.schema.js';
export * from './model/config.schema.js';

export * from './contracts/clock.js';
export * from './contracts/logger.js';
export * from './contracts/venue.js';
export * from './contracts/market-data-source.js';
export * from './contracts/execution-strategy.js';
export * from './contracts/execution-context.js';
export * from './contracts/market-state-classifier.js';
export * from './contracts/metric-collector.js';
export * from './contracts/notifier.js';
export * from './contracts/execution-journal.js';
export * from './contracts/message-bus.js';
export * from './contracts/work-queue.js';
export * from './contracts/lease-store.js';
export * from './contracts/execution-history-store.js';
export * from './contracts/risk-check.js';

export * from './book/l2-book.js';
export * from './book/shared-books.js';
export * from './market-state/index.js';
export * from './quality/index.js';
export * from './metrics/index.js';
export * from './errors/tranche-error.js';
export * from './errors/validation.js';
export * from './errors/error-handler.js';

export * from './time/virtual-clock.js';
export * from './time/live-clock.js';
export * from './time/run-loop.js';

export * from './util/rounding.js';
export * from './util/to-fixed-number.js';
export * from './util/noop-logger.js';

export * from './engine/tokens.js';
export * from './engine/asset-cache-manager.js';
export * from './engine/order-router.js';
export * from './engine/execution.js';
export * from './engine/execution-manager.js';
export * from './engine/recovery.js';
export * from './engine/execution-recovery.js';
export * from './engine/risk-gate.js';
export * from './engine/kill-switch.js';

export * from './observe/execution-notifier-config.schema.js';
export * from './observe/execution-notifier-events.js';
export * from './observe/execution-notifier-channel.js';
export * from './observe/execution-notifier.js';

export * from './observe/execution-logger.js';

export * from './algo/index.js';
export * from './bus/index.js';
export * from './optimizer/index.js';

export * from './plugin/define-plugin.js';
export * from './plugin/create-tranche.js';
export * from './plugin/config-keys.js';
export * from './plugin/config-file.js';
