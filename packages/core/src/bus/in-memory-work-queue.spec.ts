import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { WorkDelivery } from '../contracts/work-queue.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { InMemoryWorkQueue } from './in-memory-work-queue.js';

const ACK_WAIT_MS = 30_000;

type Step =
  | { kind: 'enqueue'; job: number }
  | { kind: 'consume'; maxInFlight: number }
  | { kind: 'die'; consumer: number }
  | { kind: 'ack' | 'progress'; consumer: number }
  | { kind: 'nak'; consumer: number; delayMs: number }
  | { kind: 'advance'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('enqueue' as const), job: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('consume' as const), maxInFlight: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('die' as const), consumer: fc.nat(5) }),
  fc.record({ kind: fc.constantFrom('ack' as const, 'progress' as const), consumer: fc.nat(5) }),
  fc.record({ kind: fc.constant('nak' as const), consumer: fc.nat(5), delayMs: fc.constantFrom(0, 1_000, 50_000) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 10_000, 29_999, 30_000, 45_000) }),
);

interface Tracked {
  delivery: WorkDelivery;
  settled: boolean;
  lastProgressAt: number;
}

interface Worker {
  maxInFlight: number;
  deliveries: Tracked[];
  subscription: Subscription;
  alive: boolean;
}

describe('InMemoryWorkQueue', () => {
  it('never gives one job to two consumers at once nor a consumer more than maxInFlight, and loses no job (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const clock = new VirtualClock(0);
        const queue = new InMemoryWorkQueue({ clock, ackWaitMs: ACK_WAIT_MS, duplicateWindowMs: 1e12 });
        const workers: Worker[] = [];
        const enqueued = new Set<string>();
        const acked = new Set<string>();
        const outstanding = (tracked: Tracked) => !tracked.settled && clock.now() - tracked.lastProgressAt < ACK_WAIT_MS;
        const subscribe = (maxInFlight: number): Worker => {
          const worker: Worker = { maxInFlight, deliveries: [], subscription: undefined as unknown as Subscription, alive: true };
          worker.subscription = queue.consume({ maxInFlight }).subscribe((delivery) => worker.deliveries.push({ delivery, settled: false, lastProgressAt: clock.now() }));
          workers.push(worker);
          return worker;
        };
        const oldestOutstanding = (index: number) => {
          const worker = workers[index];
          return worker?.alive ? worker.deliveries.find(outstanding) : undefined;
        };
        const check = () => {
          const holders = new Map<string, number>();
          for (const worker of workers) {
            const current = worker.deliveries.filter(outstanding);
            if (worker.alive) expect(current.length).toBeLessThanOrEqual(worker.maxInFlight);
            for (const tracked of current) holders.set(tracked.delivery.id, (holders.get(tracked.delivery.id) ?? 0) + 1);
          }
          for (const [id, count] of holders) expect(count, id).toBe(1);
        };
        for (const action of steps) {
          if (action.kind === 'enqueue') {
            const id = `job-${action.job}`;
            const { duplicate } = await queue.enqueue(id, { job: action.job });
            expect(duplicate).toBe(enqueued.has(id));
            enqueued.add(id);
          } else if (action.kind === 'consume') {
            subscribe(action.maxInFlight);
          } else if (action.kind === 'die') {
            const worker = workers[action.consumer];
            if (worker?.alive) {
              worker.alive = false;
              worker.subscription.unsubscribe();
            }
          } else if (action.kind === 'advance') {
            clock.advanceBy(action.ms);
          } else {
            const tracked = oldestOutstanding(action.consumer);
            if (!tracked) continue;
            if (action.kind === 'ack') {
              tracked.settled = true;
              acked.add(tracked.delivery.id);
              await tracked.delivery.ack();
            } else if (action.kind === 'nak') {
              tracked.settled = true;
              await tracked.delivery.nak(action.delayMs);
            } else {
              tracked.lastProgressAt = clock.now();
              await tracked.delivery.inProgress();
            }
          }
          check();
        }
        // Drain: the others die, one healthy worker acks whatever comes; every job enqueued and not yet acked arrives.
        for (const worker of workers) worker.subscription.unsubscribe();
        const drainer = subscribe(100);
        for (let round = 0; round < 5; round++) {
          clock.advanceBy(60_000);
          for (const tracked of drainer.deliveries.filter(outstanding)) {
            tracked.settled = true;
            acked.add(tracked.delivery.id);
            await tracked.delivery.ack();
          }
        }
        expect([...acked].sort()).toEqual([...enqueued].sort());
        expect(queue.size).toBe(0);
        await queue.close();
      }),
      { numRuns: 300 },
    );
  });

  it('forgets an id after its duplicate window, copies payloads as JSON, and completes consumers on close', async () => {
    const clock = new VirtualClock(0);
    const queue = new InMemoryWorkQueue({ clock, ackWaitMs: 1_000, duplicateWindowMs: 10_000 });
    const payload = { when: 1, nested: { list: [1, 2] } };
    const deliveries: WorkDelivery[] = [];
    let completed = false;
    queue.consume({ maxInFlight: 5 }).subscribe({ next: (delivery) => deliveries.push(delivery), complete: () => (completed = true) });
    expect(await queue.enqueue('a', payload)).toEqual({ duplicate: false });
    payload.nested.list.push(3);
    expect(deliveries[0]!.payload).toEqual({ when: 1, nested: { list: [1, 2] } });
    await deliveries[0]!.ack();
    clock.advanceBy(9_999);
    expect(await queue.enqueue('a', payload)).toEqual({ duplicate: true });
    clock.advanceBy(1);
    expect(await queue.enqueue('a', payload)).toEqual({ duplicate: false });
    await expect(queue.enqueue('b', { value: 1n })).rejects.toThrow(/invalid payload of job b: not JSON-serializable/);
    await queue.close();
    expect(completed).toBe(true);
    await expect(queue.enqueue('c', {})).rejects.toThrow(/closed/);
  });
});
