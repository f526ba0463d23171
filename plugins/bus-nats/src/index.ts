/**
 * NATS for Tranche: the core `MessageBus` (core NATS fan-out for market data and
 * states, a JetStream stream for replayable execution events), the parent-order
 * `WorkQueue` (a JetStream work-queue stream with one durable consumer shared by every
 * worker) and execution `LeaseStore` (a JetStream key-value bucket with a TTL), so the
 * same components run in several processes on several machines. Config section `bus-nats`.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { BusNatsConfig, BusNatsConfigSchema, NatsJournalConfig, NatsJournalConfigSchema } from './bus-nats-config.schema.js';
import { busNatsModule, journalNatsModule } from './bus-nats-module.js';

export {
  BusNatsConfig,
  BusNatsConfigSchema,
  NatsEventsConfigSchema,
  NatsJournalConfig,
  NatsJournalConfigSchema,
  NatsLeasesConfigSchema,
  NatsOrdersConfigSchema,
  type BusNatsConfigInput,
} from './bus-nats-config.schema.js';
export { busNatsModule, journalNatsModule } from './bus-nats-module.js';
export { NatsExecutionJournal } from './nats-execution-journal.js';
export { NatsConnection, type NatsHandles } from './nats-connection.js';
export { NatsMessageBus } from './nats-message-bus.js';
export { NatsWorkQueue } from './nats-work-queue.js';
export { NatsLeaseStore } from './nats-lease-store.js';
export { toTrancheError as natsErrorToTrancheError } from './nats-errors.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `MessageBus`, `WorkQueue` and `LeaseStore` to their NATS implementations; config section `bus-nats`. */
const busNatsPlugin = definePlugin<BusNatsConfig>({
  name: 'bus-nats',
  version: VERSION,
  description: 'Message bus, parent-order work queue and execution leases on NATS JetStream, for running Tranche on several machines',
  configSchema: BusNatsConfigSchema,
  configToken: BusNatsConfig,
  module: busNatsModule,
});
export default busNatsPlugin;

/**
 * A second plugin of this package: the execution journal on JetStream (stream
 * `TRANCHE_JOURNAL`), so a worker on another machine can resume an execution. Install it
 * with `bus-nats` and after any other journal plugin; config section `journal-nats`.
 */
export const journalNatsPlugin = definePlugin<NatsJournalConfig>({
  name: 'journal-nats',
  version: VERSION,
  description: 'Write-ahead execution journal on a NATS JetStream stream, readable by every worker (takeover across machines)',
  configSchema: NatsJournalConfigSchema,
  configToken: NatsJournalConfig,
  module: journalNatsModule,
});
