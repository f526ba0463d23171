import { afterAll, describe, expect, it } from 'vitest';
import { LeaseStore, MessageBus, TrancheError, WorkQueue, createTranche, type BusMessage } from '@tranche/core';
import { eventually, natsServerUnavailableReason, uniqueToken } from '@tranche/testkit';
import busNatsPlugin, { NatsLeaseStore, NatsMessageBus, NatsWorkQueue } from '../src/index.js';
import { pause, sharedServer, stopSharedServer } from './nats-harness.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping @tranche/bus-nats plugin tests against a server: ${unavailable}`);

describe('bus-nats plugin config', () => {
  it('refuses unknown keys and bad values with one validation error naming the key and the value', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ 'bus-nats': { urll: 'nats://x:1' } }, /urll/],
      [{ 'bus-nats': { url: 'http://127.0.0.1:4222' } }, /bus-nats\.url/],
      [{ 'bus-nats': { orders: { ack_wait_ms: -5 } } }, /ack_wait_ms/],
      [{ 'bus-nats': { leases: { bucket: 'has space' } } }, /bucket/],
    ];
    for (const [config, field] of cases) {
      let caught: unknown;
      try {
        createTranche({ config, plugins: [busNatsPlugin] });
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(config)).toBeInstanceOf(TrancheError);
      expect((caught as TrancheError).kind).toBe('validation');
      expect((caught as TrancheError).message).toMatch(field);
    }
  });

  it('binds the NATS bus, queue and lease store in place of the in-process defaults, without connecting', () => {
    const tranche = createTranche({ config: { 'bus-nats': { url: 'nats://127.0.0.1:1', leases: { ttl_ms: 9_000 } } }, plugins: [busNatsPlugin] });
    expect(tranche.get(MessageBus)).toBeInstanceOf(NatsMessageBus);
    expect(tranche.get(WorkQueue)).toBeInstanceOf(NatsWorkQueue);
    expect(tranche.get<LeaseStore>(LeaseStore)).toBeInstanceOf(NatsLeaseStore);
    expect(tranche.get<LeaseStore>(LeaseStore).ttlMs).toBe(9_000);
  });
});

describe.skipIf(unavailable !== undefined)('bus-nats plugin on a real nats-server', () => {
  afterAll(stopSharedServer);

  it('two composed applications share events, orders and leases through the server', async () => {
    const server = await sharedServer();
    const scope = uniqueToken();
    const config = { 'bus-nats': { url: server.url, orders: { stream: `ORDERS_${scope}`, subject_prefix: scope, consumer: scope }, leases: { bucket: `leases-${scope}` } } };
    const gateway = createTranche({ config, plugins: [busNatsPlugin] });
    const worker = createTranche({ config, plugins: [busNatsPlugin] });
    const events: BusMessage[] = [];
    const workerBus = worker.get<MessageBus>(MessageBus);
    await workerBus.initialize?.();
    workerBus.subscribe(`exec.events.${scope}`, { replay: true }).subscribe((entry) => events.push(entry));
    const gatewayQueue = gateway.get<WorkQueue>(WorkQueue);
    expect(await gatewayQueue.enqueue(`${scope}-order`, { quantity: 2 })).toEqual({ duplicate: false });
    const workerQueue = worker.get<WorkQueue>(WorkQueue);
    const received: string[] = [];
    const consuming = workerQueue.consume({ maxInFlight: 1 }).subscribe(async (delivery) => {
      const lease = await worker.get<LeaseStore>(LeaseStore).acquire(delivery.id, 'worker-1');
      if (!lease) return;
      received.push(delivery.id);
      await worker.get<MessageBus>(MessageBus).publish(`exec.events.${scope}`, { executionId: delivery.id, step: 'started' }, { messageId: `${delivery.id}-1` });
      await delivery.ack();
    });
    await eventually(() => pause(20), () => events.length >= 1, 'the execution event at the gateway side');
    expect(received).toEqual([`${scope}-order`]);
    expect(await gateway.get<LeaseStore>(LeaseStore).holder(`${scope}-order`)).toBe('worker-1');
    expect(events[0]!.message).toEqual({ executionId: `${scope}-order`, step: 'started' });
    consuming.unsubscribe();
    for (const app of [gateway, worker]) {
      await app.get<MessageBus>(MessageBus).close();
      await app.get<WorkQueue>(WorkQueue).close();
      await app.get<LeaseStore>(LeaseStore).close();
    }
  });
});
