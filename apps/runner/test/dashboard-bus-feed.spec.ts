import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryWorkQueue, InProcessMessageBus, LiveClock, NoopLogger, TrancheError, type ExecutionEvent, type WorkDelivery } from '@tranche/core';
import { journalEndedEvent, journalStartedEvent } from '@tranche/testkit';
import { BusFeed } from '../src/serve/bus-feed.js';
import type { ClusterEvent } from '../src/cluster/cluster-job.schema.js';
import { controlAckSubject, type CancelControl, type KillControl } from '../src/cluster/cluster-control.schema.js';

/**
 * `BusFeed` on the in-process bus and the in-memory work queue (the same contracts as the
 * NATS ones), with the workers played by the test: what it shows from the events (replayed
 * ones included, malformed ones dropped, a takeover's repeats applied once) and how its
 * actions behave when workers answer, refuse, or stay silent.
 */

const clock = new LiveClock();
let feeds: BusFeed[] = [];

function setup(options: { ackTimeoutMs?: number; startTimeoutMs?: number } = {}) {
  const bus = new InProcessMessageBus({ clock });
  const queue = new InMemoryWorkQueue({ clock, ackWaitMs: 30_000 });
  const feed = new BusFeed({ transport: { bus, queue }, clock, logger: new NoopLogger(), ackTimeoutMs: options.ackTimeoutMs ?? 200, startTimeoutMs: options.startTimeoutMs ?? 300, endTimeoutMs: 2_000 });
  feeds.push(feed);
  let seq = 0;
  const publish = (worker: string, event: ExecutionEvent | Record<string, unknown>, executionId = String(event['executionId'])) =>
    bus.publish(`exec.events.${executionId}`, { worker, seq: ++seq, attempt: 1, event: event as Record<string, unknown> } satisfies ClusterEvent);
  return { bus, queue, feed, publish };
}

const fill = (executionId: string, fillId: string, price: number, quantity: number, ts: number): ExecutionEvent =>
  ({ type: 'fill', executionId, ts, fill: { fillId, clientOrderId: `${executionId}-1`, symbol: 'BTC/USDT', side: 'buy', ts, price, quantity, fee: 0, feeCurrency: 'USDT', liquidity: 'taker' } }) as ExecutionEvent;

afterEach(() => {
  for (const feed of feeds) feed.close();
  feeds = [];
});

describe('BusFeed', () => {
  it('replays the stored events on start, drops malformed ones and applies a takeover\'s repeated start and fills once', async () => {
    const { feed, publish } = setup();
    await publish('w1', journalStartedEvent('e1', 1_000));
    await publish('w1', fill('e1', 'f1', 100, 0.25, 1_100));
    feed.start();
    await publish('w1', { type: 'fill', executionId: 'e1', ts: 1_200, fill: { price: -1 } } as Record<string, unknown>);
    // w1 died; w2 resumed and published a start and the same fill again.
    await publish('w2', journalStartedEvent('e1', 1_000));
    await publish('w2', fill('e1', 'f1', 100, 0.25, 1_100));
    await publish('w2', fill('e1', 'f2', 102, 0.25, 1_300));
    await expect.poll(() => feed.snapshot().executions[0]?.fillCount).toBe(2);
    const [card] = feed.snapshot().executions;
    expect(card).toMatchObject({ executionId: 'e1', state: 'working', averagePrice: 101, strategy: 'twap' });
    await publish('w2', journalEndedEvent('e1', 2_000));
    await expect.poll(() => feed.snapshot().executions[0]?.state).toBe('filled');
    expect((await feed.history(10)).map((entry) => entry.report.id)).toEqual(['e1']);
    const metrics = feed.metrics()['cluster']!;
    expect(metrics['executions_started_total']).toMatchObject({ value: 1 });
    expect(metrics['executions_filled_total']).toMatchObject({ value: 1 });
    expect(metrics['worker_w1_executions_total']).toMatchObject({ value: 1 });
  });

  it('submit: queues the job as tranche submit does and answers when a worker starts it, or with its refusal, or queued', async () => {
    const { queue, feed, publish } = setup();
    feed.start();
    const deliveries: WorkDelivery[] = [];
    queue.consume({ maxInFlight: 10 }).subscribe((delivery) => deliveries.push(delivery));
    const started = feed.submitOrder({ id: 's1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 });
    await expect.poll(() => deliveries.length).toBe(1);
    expect(deliveries[0]!.payload).toMatchObject({ order: { id: 's1', quantity: 1 }, venue: 'paper' });
    await publish('w1', journalStartedEvent('s1'));
    await expect(started).resolves.toEqual({ executionId: 's1' });

    const refused = feed.submitOrder({ id: 's2', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 });
    await expect.poll(() => deliveries.length).toBe(2);
    await publish('w1', { type: 'job-refused', executionId: 's2', kind: 'validation', message: 'invalid order: unknown strategy' }, 's2');
    await expect(refused).rejects.toMatchObject({ kind: 'validation', message: 'invalid order: unknown strategy' });

    await expect(feed.submitOrder({ id: 's3', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 })).resolves.toEqual({ executionId: 's3', queued: true });
    await expect(feed.submitOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0 })).rejects.toMatchObject({ kind: 'validation', field: 'quantity' });
  });

  it('cancel: publishes control.cancel.<id>, resolves with the end; 404 for unknown or ended ids; 503 when no worker answers', async () => {
    const { bus, feed, publish } = setup();
    feed.start();
    await publish('w1', journalStartedEvent('c1'));
    await expect.poll(() => feed.snapshot().executions.length).toBe(1);
    bus.subscribe<CancelControl>('control.cancel.*').subscribe(({ message }) => {
      void bus.publish(controlAckSubject(message.requestId), { requestId: message.requestId, worker: 'w1', type: 'cancel', accepted: true, executionIds: [message.executionId] });
      const ended = journalEndedEvent(message.executionId, 3_000) as Extract<ExecutionEvent, { type: 'execution-ended' }>;
      void publish('w1', { ...ended, status: 'cancelled', report: { ...ended.report, status: 'cancelled', endReason: message.reason } });
    });
    await expect(feed.cancelExecution('c1')).resolves.toMatchObject({ id: 'c1', status: 'cancelled', endReason: 'cancelled from the dashboard' });
    await expect(feed.cancelExecution('c1')).rejects.toMatchObject({ kind: 'validation', field: 'executionId', message: expect.stringContaining('already ended cancelled') });
    await expect(feed.cancelExecution('nosuch')).rejects.toMatchObject({ kind: 'validation', field: 'executionId' });

    const silent = setup();
    silent.feed.start();
    await silent.publish('w9', journalStartedEvent('c2'));
    await expect.poll(() => silent.feed.snapshot().executions.length).toBe(1);
    const failure = await silent.feed.cancelExecution('c2').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TrancheError);
    expect(failure).toMatchObject({ kind: 'venue-unavailable', message: expect.stringContaining('no worker acknowledged the cancel of c2') });
  });

  it('kill switch: waits for the executions the workers name, reports its steps, then refuses orders; 503 without any answer', async () => {
    const { bus, feed, publish } = setup();
    feed.start();
    await publish('w1', journalStartedEvent('k1'));
    await publish('w2', journalStartedEvent('k2'));
    await expect.poll(() => feed.snapshot().executions.length).toBe(2);
    const steps: string[] = [];
    feed.killSwitchUpdates$.subscribe((update) => steps.push(update.type));
    bus.subscribe<KillControl>('control.kill').subscribe(({ message }) => {
      for (const [worker, id] of [['w1', 'k1'], ['w2', 'k2']] as const) {
        void bus.publish(controlAckSubject(message.requestId), { requestId: message.requestId, worker, type: 'kill', accepted: true, executionIds: [id] });
        const ended = journalEndedEvent(id, 3_000) as Extract<ExecutionEvent, { type: 'execution-ended' }>;
        void publish(worker, { ...ended, status: 'cancelled', report: { ...ended.report, status: 'cancelled' } });
      }
    });
    const result = await feed.engageKillSwitch('test halt');
    expect(result.stopped.map((entry) => [entry.executionId, entry.status]).sort()).toEqual([
      ['k1', 'cancelled'],
      ['k2', 'cancelled'],
    ]);
    expect(feed.snapshot().killSwitch).toEqual({ engaged: true, reason: 'test halt', completed: true, stoppedExecutions: 2 });
    expect(steps[0]).toBe('engaged');
    expect(steps.filter((step) => step === 'stopping')).toHaveLength(2);
    expect(steps.at(-1)).toBe('completed');
    await expect(feed.submitOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 })).rejects.toMatchObject({ kind: 'risk' });

    const alone = setup();
    alone.feed.start();
    await expect(alone.feed.engageKillSwitch('nobody there')).rejects.toMatchObject({ kind: 'venue-unavailable', message: expect.stringContaining('no worker acknowledged') });
  });
});
