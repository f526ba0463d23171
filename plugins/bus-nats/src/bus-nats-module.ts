import { ContainerModule } from 'inversify';
import { ExecutionJournal, LeaseStore, MessageBus, WorkQueue } from '@tranche/core';
import { NatsExecutionJournal } from './nats-execution-journal.js';
import { NatsConnection } from './nats-connection.js';
import { NatsLeaseStore } from './nats-lease-store.js';
import { NatsMessageBus } from './nats-message-bus.js';
import { NatsWorkQueue } from './nats-work-queue.js';

/**
 * Bindings of the bus-nats plugin: one `NatsConnection` per container, and
 * `NatsMessageBus`, `NatsWorkQueue`, `NatsLeaseStore` each bound to itself with the core
 * contract (`MessageBus`, `WorkQueue`, `LeaseStore`) pointing at it, so an adopter can
 * `rebind` one piece. Only binds: the connection opens on the first `initialize()` or use.
 */
export const busNatsModule = new ContainerModule(({ bind }) => {
  bind(NatsConnection).toSelf().inSingletonScope();
  bind(NatsMessageBus).toSelf().inSingletonScope();
  bind(MessageBus).toService(NatsMessageBus);
  bind(NatsWorkQueue).toSelf().inSingletonScope();
  bind(WorkQueue).toService(NatsWorkQueue);
  bind(NatsLeaseStore).toSelf().inSingletonScope();
  bind(LeaseStore).toService(NatsLeaseStore);
});

/**
 * Bindings of the journal-nats plugin: `NatsExecutionJournal` to itself and the core
 * `ExecutionJournal` to it, replacing a journal bound by a plugin installed earlier
 * (e.g. journal-sqlite's, whose history store stays). Needs the bus-nats plugin too (the
 * connection and its config).
 */
export const journalNatsModule = new ContainerModule(({ bind, isBound, rebind }) => {
  bind(NatsExecutionJournal).toSelf().inSingletonScope();
  if (isBound(ExecutionJournal)) rebind(ExecutionJournal).toService(NatsExecutionJournal);
  else bind(ExecutionJournal).toService(NatsExecutionJournal);
});
