import { describe, expect, it } from 'vitest';
import { TrancheError, type WorkDelivery, type WorkQueue } from '@tranche/core';
import type { Subscription } from 'rxjs';
import { eventually, settleRounds, uniqueToken, type Settle } from './eventually.js';

/** What `workQueueContract` needs: queue handles on one fresh, empty backend queue. */
export interface WorkQueueHarness {
  /** A handle on the harness's queue (each call may be another "process"; the in-process harness may return the same one). */
  openQueue(): Promise<WorkQueue>;
  /** The queue's ack wait, in ms. */
  readonly ackWaitMs: number;
  /** Moves time on by `ms` (a virtual clock) or waits that long (a real server), then settles. */
  advance(ms: number): Promise<void>;
  /** Lets in-flight deliveries and acks arrive. */
  settle: Settle;
  /** Closes every handle and whatever the harness started. */
  close(): Promise<void>;
}

/** Collects the deliveries of one consumer. */
function consumer<T>(queue: WorkQueue, maxInFlight: number): { deliveries: WorkDelivery<T>[]; subscription: Subscription } {
  const deliveries: WorkDelivery<T>[] = [];
  const subscription = queue.consume<T>({ maxInFlight }).subscribe((delivery) => deliveries.push(delivery));
  return { deliveries, subscription };
}

/**
 * The contract every `WorkQueue` must honour (the in-process default and
 * `@tranche/bus-nats`): delivery with payload and count, de-duplication of a retried
 * enqueue, enqueue order, `maxInFlight`, redelivery after a consumer dies (ack wait),
 * `inProgress` postponing it, `nak` with a delay, and validation of ids.
 */
export function workQueueContract(name: string, makeHarness: () => Promise<WorkQueueHarness>): void {
  const withHarness = (body: (harness: WorkQueueHarness, scope: string) => Promise<void>) => async () => {
    const harness = await makeHarness();
    try {
      await body(harness, uniqueToken('j'));
    } finally {
      await harness.close();
    }
  };

  describe(`work queue contract: ${name}`, () => {
    it('delivers a job once with its payload; an acked job never comes back', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      expect(await queue.enqueue(`${scope}-1`, { symbol: 'BTC/USDT', quantity: 1.5 })).toEqual({ duplicate: false });
      const worker = consumer<{ symbol: string; quantity: number }>(queue, 1);
      await eventually(harness.settle, () => worker.deliveries.length >= 1, 'the delivery');
      const [delivery] = worker.deliveries;
      expect(delivery!.id).toBe(`${scope}-1`);
      expect(delivery!.payload).toEqual({ symbol: 'BTC/USDT', quantity: 1.5 });
      expect(delivery!.deliveryCount).toBe(1);
      await delivery!.ack();
      await harness.advance(harness.ackWaitMs * 1.5);
      expect(worker.deliveries).toHaveLength(1);
      worker.subscription.unsubscribe();
    }));

    it('ignores a retried enqueue of the same id, from any handle', withHarness(async (harness, scope) => {
      const gateway = await harness.openQueue();
      const retryingGateway = await harness.openQueue();
      expect(await gateway.enqueue(`${scope}-1`, { n: 1 })).toEqual({ duplicate: false });
      expect(await retryingGateway.enqueue(`${scope}-1`, { n: 1 })).toEqual({ duplicate: true });
      expect(await gateway.enqueue(`${scope}-1`, { n: 2 })).toEqual({ duplicate: true });
      const worker = consumer<{ n: number }>(await harness.openQueue(), 10);
      await eventually(harness.settle, () => worker.deliveries.length >= 1, 'the delivery');
      await settleRounds(harness.settle);
      expect(worker.deliveries.map((delivery) => delivery.payload)).toEqual([{ n: 1 }]);
      worker.subscription.unsubscribe();
    }));

    it('delivers in enqueue order to a consumer taking one at a time', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      for (let n = 0; n < 5; n++) await queue.enqueue(`${scope}-${n}`, { n });
      const worker = consumer<{ n: number }>(queue, 1);
      const seen: number[] = [];
      for (let n = 0; n < 5; n++) {
        await eventually(harness.settle, () => worker.deliveries.length > n, `delivery ${n}`);
        await settleRounds(harness.settle, 2);
        expect(worker.deliveries).toHaveLength(n + 1);
        seen.push(worker.deliveries[n]!.payload.n);
        await worker.deliveries[n]!.ack();
      }
      expect(seen).toEqual([0, 1, 2, 3, 4]);
      worker.subscription.unsubscribe();
    }));

    it('never has more than maxInFlight unacknowledged deliveries per consumer', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      for (let n = 0; n < 6; n++) await queue.enqueue(`${scope}-${n}`, { n });
      const worker = consumer<{ n: number }>(queue, 2);
      await eventually(harness.settle, () => worker.deliveries.length >= 2, 'two deliveries');
      await settleRounds(harness.settle);
      expect(worker.deliveries).toHaveLength(2);
      await worker.deliveries[0]!.ack();
      await eventually(harness.settle, () => worker.deliveries.length >= 3, 'a third delivery after an ack');
      await settleRounds(harness.settle);
      expect(worker.deliveries).toHaveLength(3);
      for (const delivery of worker.deliveries.slice(1)) await delivery.ack();
      await eventually(harness.settle, () => worker.deliveries.length >= 5, 'two more');
      await settleRounds(harness.settle);
      expect(worker.deliveries).toHaveLength(5);
      expect(new Set(worker.deliveries.map((delivery) => delivery.id)).size).toBe(5);
      worker.subscription.unsubscribe();
    }));

    it('redelivers the job of a consumer that died, to another consumer, after the ack wait', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      await queue.enqueue(`${scope}-1`, { n: 1 });
      const doomed = consumer<{ n: number }>(queue, 1);
      await eventually(harness.settle, () => doomed.deliveries.length >= 1, 'the first delivery');
      doomed.subscription.unsubscribe();
      const survivor = consumer<{ n: number }>(await harness.openQueue(), 1);
      await harness.advance(harness.ackWaitMs * 0.5);
      expect(survivor.deliveries).toHaveLength(0);
      await harness.advance(harness.ackWaitMs);
      await eventually(harness.settle, () => survivor.deliveries.length >= 1, 'the redelivery');
      expect(survivor.deliveries[0]!.id).toBe(`${scope}-1`);
      expect(survivor.deliveries[0]!.payload).toEqual({ n: 1 });
      expect(survivor.deliveries[0]!.deliveryCount).toBe(2);
      await survivor.deliveries[0]!.ack();
      survivor.subscription.unsubscribe();
    }));

    it('does not redeliver while the consumer reports progress', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      await queue.enqueue(`${scope}-1`, { n: 1 });
      const worker = consumer<{ n: number }>(queue, 1);
      const other = consumer<{ n: number }>(await harness.openQueue(), 1);
      await eventually(harness.settle, () => worker.deliveries.length + other.deliveries.length >= 1, 'the delivery');
      const holder = worker.deliveries.length > 0 ? worker : other;
      for (let step = 0; step < 3; step++) {
        await harness.advance(harness.ackWaitMs * 0.5);
        await holder.deliveries[0]!.inProgress();
      }
      await settleRounds(harness.settle);
      expect(worker.deliveries.length + other.deliveries.length).toBe(1);
      await holder.deliveries[0]!.ack();
      worker.subscription.unsubscribe();
      other.subscription.unsubscribe();
    }));

    it('gives a nak\'ed job back after its delay, with a higher delivery count', withHarness(async (harness, scope) => {
      const queue = await harness.openQueue();
      await queue.enqueue(`${scope}-1`, { n: 1 });
      const worker = consumer<{ n: number }>(queue, 1);
      await eventually(harness.settle, () => worker.deliveries.length >= 1, 'the delivery');
      const delayMs = harness.ackWaitMs * 0.5;
      await worker.deliveries[0]!.nak(delayMs);
      await settleRounds(harness.settle);
      expect(worker.deliveries).toHaveLength(1);
      await harness.advance(delayMs * 1.5);
      await eventually(harness.settle, () => worker.deliveries.length >= 2, 'the redelivery after the nak delay');
      expect(worker.deliveries[1]!.id).toBe(`${scope}-1`);
      expect(worker.deliveries[1]!.deliveryCount).toBe(2);
      await worker.deliveries[1]!.ack();
      worker.subscription.unsubscribe();
    }));

    it('refuses a bad id or maxInFlight with a validation error naming it', withHarness(async (harness) => {
      const queue = await harness.openQueue();
      for (const id of ['', 'has.dot', 'has space', 'star*']) {
        const error = await queue.enqueue(id, {}).then(() => undefined, (caught: unknown) => caught);
        expect(error, id).toBeInstanceOf(TrancheError);
        expect((error as TrancheError).kind).toBe('validation');
        expect((error as TrancheError).field).toBe('id');
      }
      expect(() => queue.consume({ maxInFlight: 0 })).toThrow(/maxInFlight/);
    }));
  });
}
