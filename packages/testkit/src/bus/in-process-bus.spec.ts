import { InMemoryLeaseStore, InMemoryWorkQueue, InProcessMessageBus, VirtualClock, yieldToEventLoop } from '@tranche/core';
import { leaseStoreContract } from './lease-store-contract.js';
import { messageBusContract } from './message-bus-contract.js';
import { workQueueContract } from './work-queue-contract.js';

// The in-process defaults: one instance stands for every "process" of the harness, on virtual time.
messageBusContract('InProcessMessageBus', async () => {
  const bus = new InProcessMessageBus({ clock: new VirtualClock(1_700_000_000_000) });
  return { openBus: async () => bus, settle: yieldToEventLoop, close: () => bus.close() };
});

workQueueContract('InMemoryWorkQueue', async () => {
  const clock = new VirtualClock(1_700_000_000_000);
  const queue = new InMemoryWorkQueue({ clock, ackWaitMs: 30_000 });
  return {
    openQueue: async () => queue,
    ackWaitMs: queue.ackWaitMs,
    advance: async (ms) => {
      clock.advanceBy(ms);
      await yieldToEventLoop();
    },
    settle: yieldToEventLoop,
    close: () => queue.close(),
  };
});

leaseStoreContract('InMemoryLeaseStore', async () => {
  const clock = new VirtualClock(1_700_000_000_000);
  const store = new InMemoryLeaseStore({ clock, ttlMs: 10_000 });
  return {
    openStore: async () => store,
    advance: async (ms) => clock.advanceBy(ms),
    expiryToleranceMs: 0,
    close: () => store.close(),
  };
});
