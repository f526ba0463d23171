import { afterAll, describe } from 'vitest';
import { messageBusContract, natsServerUnavailableReason } from '@tranche/testkit';
import { LiveClock } from '@tranche/core';
import { NatsMessageBus } from '../src/nats-message-bus.js';
import { natsConfig, newConnection, pause, sharedServer, stopSharedServer } from './nats-harness.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping @tranche/bus-nats message bus tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('NatsMessageBus on a real nats-server', () => {
  afterAll(stopSharedServer);

  messageBusContract('NatsMessageBus', async () => {
    const server = await sharedServer();
    const config = natsConfig(server.url);
    const buses: NatsMessageBus[] = [];
    const connections: Array<{ flush(): Promise<void> }> = [];
    return {
      openBus: async () => {
        const connection = newConnection(config);
        const bus = new NatsMessageBus(connection, config, new LiveClock());
        await bus.initialize();
        const { client } = await connection.open();
        await connection.release();
        connections.push(client);
        buses.push(bus);
        return bus;
      },
      settle: async () => {
        for (const client of connections) await client.flush().catch(() => undefined);
        await pause(10);
      },
      close: async () => {
        for (const bus of buses) await bus.close();
      },
    };
  });
});
