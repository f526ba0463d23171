import { afterEach, describe, expect, it } from 'vitest';
import { LiveClock, TrancheError, type BusMessage, type LogFields, type Logger } from '@tranche/core';
import { eventually, natsServerUnavailableReason, startNatsServer, uniqueToken, type NatsServerHandle } from '@tranche/testkit';
import { NatsLeaseStore } from '../src/nats-lease-store.js';
import { NatsMessageBus } from '../src/nats-message-bus.js';
import { NatsWorkQueue } from '../src/nats-work-queue.js';
import { natsConfig, newConnection, pause } from './nats-harness.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping @tranche/bus-nats outage tests: ${unavailable}`);

/** A logger that keeps its lines, to check what the connection reported. */
class RecordingLogger implements Logger {
  constructor(readonly lines: Array<{ level: string; message: string; fields?: LogFields }> = []) {}
  debug(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push({ level: 'error', message, fields });
  }
  child(): Logger {
    return this;
  }
}

const settle = () => pause(20);

describe.skipIf(unavailable !== undefined)('NatsMessageBus through a server crash', () => {
  let server: NatsServerHandle | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('reconnects by itself: live subscriptions resume and a durable publish made during a short outage is stored once', async () => {
    server = await startNatsServer();
    const config = natsConfig(server.url, { requestTimeoutMs: 5_000, reconnectWaitMs: 100 });
    const logger = new RecordingLogger();
    const bus = new NatsMessageBus(newConnection(config, logger), config, new LiveClock());
    const scope = uniqueToken();
    const states: BusMessage<{ n: number }>[] = [];
    bus.subscribe<{ n: number }>(`state.${scope}`).subscribe((entry) => states.push(entry));
    await bus.initialize();
    await bus.publish(`exec.events.${scope}`, { n: 1 }, { messageId: `${scope}-1` });
    // A replaying subscriber (a monitor) that lives through the crash.
    const watched: number[] = [];
    const watcher = bus.subscribe<{ n: number }>(`exec.events.${scope}`, { replay: true }).subscribe((entry) => watched.push(entry.message.n));
    await eventually(settle, () => watched.length >= 1, 'the watcher\'s replay');

    await server.kill();
    const duringOutage = bus.publish(`exec.events.${scope}`, { n: 2 }, { messageId: `${scope}-2` });
    await pause(300);
    await server.restart();
    expect(await duringOutage).toEqual({ duplicate: false, stored: true });
    await eventually(settle, () => logger.lines.some((line) => line.message === 'bus-nats: reconnected'), 'the reconnection');
    expect(logger.lines.some((line) => line.level === 'warn' && line.message === 'bus-nats: disconnected')).toBe(true);

    await eventually(
      async () => {
        await bus.publish(`state.${scope}`, { n: 10 });
        await settle();
      },
      () => states.length > 0,
      'a live state after the reconnection',
      100,
    );
    const replayed: number[] = [];
    const replay = bus.subscribe<{ n: number }>(`exec.events.${scope}`, { replay: true }).subscribe((entry) => replayed.push(entry.message.n));
    await eventually(settle, () => replayed.length >= 2, 'the replay');
    await pause(100);
    expect(replayed).toEqual([1, 2]);
    replay.unsubscribe();
    await bus.publish(`exec.events.${scope}`, { n: 3 }, { messageId: `${scope}-3` });
    await eventually(settle, () => watched.length >= 3, 'the watcher to see every event, across the crash', 500);
    expect(watched).toEqual([1, 2, 3]);
    watcher.unsubscribe();
    await bus.close();
  });

  it('fails a durable publish that the server cannot acknowledge in time with a retryable error; the retry with the same id is stored once', async () => {
    server = await startNatsServer();
    const config = natsConfig(server.url, { requestTimeoutMs: 1_000, reconnectWaitMs: 100 });
    const bus = new NatsMessageBus(newConnection(config), config, new LiveClock());
    const scope = uniqueToken();
    await bus.initialize();
    await bus.publish(`exec.events.${scope}`, { n: 1 }, { messageId: `${scope}-1` });

    await server.kill();
    const error = await bus.publish(`exec.events.${scope}`, { n: 2 }, { messageId: `${scope}-2` }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).retryable).toBe(true);
    expect(['timeout-ambiguous', 'venue-unavailable']).toContain((error as TrancheError).kind);
    expect((error as TrancheError).message).toContain(`exec.events.${scope}`);

    await server.restart();
    // The buffered first attempt may reach the server after the reconnection: the retry is then a duplicate, never a second copy.
    let retried: { duplicate: boolean; stored: boolean } | undefined;
    await eventually(
      async () => {
        retried = await bus.publish(`exec.events.${scope}`, { n: 2 }, { messageId: `${scope}-2` }).catch(() => undefined);
        if (!retried) await pause(100);
      },
      () => retried !== undefined,
      'a successful retry',
      50,
    );
    expect(retried!.stored).toBe(true);
    const replayed: number[] = [];
    const replay = bus.subscribe<{ n: number }>(`exec.events.${scope}`, { replay: true }).subscribe((entry) => replayed.push(entry.message.n));
    await eventually(settle, () => replayed.length >= 2, 'the replay');
    await pause(100);
    expect(replayed).toEqual([1, 2]);
    replay.unsubscribe();
    await bus.close();
  });

  it('keeps a worker pulling orders, and the leases, through a server crash', async () => {
    server = await startNatsServer();
    const config = natsConfig(server.url, { reconnectWaitMs: 100, orders: { ackWaitMs: 5_000 }, leases: { ttlMs: 30_000 } });
    const clock = new LiveClock();
    const gateway = new NatsWorkQueue(newConnection(config), config, clock);
    const worker = new NatsWorkQueue(newConnection(config), config, clock);
    const leases = new NatsLeaseStore(newConnection(config), config);
    const received: string[] = [];
    const consuming = worker.consume({ maxInFlight: 4 }).subscribe((delivery) => {
      received.push(delivery.id);
      void delivery.ack();
    });
    const scope = uniqueToken();
    await gateway.enqueue(`${scope}-1`, { n: 1 });
    const lease = await leases.acquire(`${scope}-1`, 'worker-a');
    expect(lease).not.toBeNull();
    await eventually(settle, () => received.length >= 1, 'the first order');

    await server.kill();
    await pause(200);
    await server.restart();
    await gateway.enqueue(`${scope}-2`, { n: 2 });
    await eventually(settle, () => received.length >= 2, 'the order enqueued after the crash', 1_000);
    expect(received).toEqual([`${scope}-1`, `${scope}-2`]);
    expect(await leases.holder(`${scope}-1`)).toBe('worker-a');
    expect(await leases.acquire(`${scope}-1`, 'worker-b')).toBeNull();
    expect(await leases.renew(lease!)).not.toBeNull();
    consuming.unsubscribe();
    await Promise.all([gateway.close(), worker.close(), leases.close()]);
  });

  it('refuses to start against a server that is not there, with a clear retryable error', async () => {
    server = await startNatsServer();
    const url = server.url;
    await server.stop();
    server = undefined;
    const config = natsConfig(url, { requestTimeoutMs: 1_000 });
    const bus = new NatsMessageBus(newConnection(config), config, new LiveClock());
    const error = await bus.initialize().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).kind).toBe('venue-unavailable');
    expect((error as TrancheError).message).toContain(url);
    await bus.close();
  });
});
