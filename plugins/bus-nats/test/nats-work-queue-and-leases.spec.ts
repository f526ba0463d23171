import { afterAll, describe } from 'vitest';
import { LiveClock } from '@tranche/core';
import { leaseStoreContract, natsServerUnavailableReason, uniqueToken, workQueueContract } from '@tranche/testkit';
import { NatsLeaseStore } from '../src/nats-lease-store.js';
import { NatsWorkQueue } from '../src/nats-work-queue.js';
import { natsConfig, newConnection, pause, sharedServer, stopSharedServer } from './nats-harness.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping @tranche/bus-nats work queue and lease tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('NatsWorkQueue and NatsLeaseStore on a real nats-server', () => {
  afterAll(stopSharedServer);

  workQueueContract('NatsWorkQueue', async () => {
    const server = await sharedServer();
    // A fresh stream and consumer per test: jobs left by one test never reach the next.
    const scope = uniqueToken('q');
    const config = natsConfig(server.url, { orders: { stream: `ORDERS_${scope}`, subjectPrefix: scope, consumer: `workers-${scope}`, ackWaitMs: 1_500 } });
    const queues: NatsWorkQueue[] = [];
    const clock = new LiveClock();
    return {
      openQueue: async () => {
        const queue = new NatsWorkQueue(newConnection(config), config, clock);
        await queue.initialize();
        queues.push(queue);
        return queue;
      },
      ackWaitMs: config.orders.ackWaitMs,
      advance: (ms) => pause(ms),
      settle: () => pause(15),
      close: async () => {
        for (const queue of queues) await queue.close();
      },
    };
  });

  leaseStoreContract('NatsLeaseStore', async () => {
    const server = await sharedServer();
    const config = natsConfig(server.url, { leases: { bucket: uniqueToken('leases'), ttlMs: 1_500 } });
    const stores: NatsLeaseStore[] = [];
    return {
      openStore: async () => {
        const store = new NatsLeaseStore(newConnection(config), config);
        await store.initialize();
        stores.push(store);
        return store;
      },
      advance: (ms) => pause(ms),
      // Measured 6-17 ms late on 2.9.10; the margin is for a loaded CI machine.
      expiryToleranceMs: 1_000,
      propertyRuns: 15,
      close: async () => {
        for (const store of stores) await store.close();
      },
    };
  });
});
