import { describe, expect, it } from 'vitest';
import {
  InMemoryLeaseStore,
  InMemoryWorkQueue,
  InProcessMessageBus,
  NoopLogger,
  VirtualClock,
  yieldToEventLoop,
  type ExecutionEvent,
  type ExecutionReport,
} from '@tranche/core';
import { ClusterWorker, type WorkerJobRecord } from './cluster-worker.js';
import type { ClusterEvent, ClusterJob } from './cluster-job.schema.js';
import type { JobOutcome } from './run-cluster-job.js';

const order = (id: string, venue = 'paper'): ClusterJob => ({ order: { id, symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 60_000, seed: 1 } }, venue });

function report(id: string, endedAt: number): ExecutionReport {
  return {
    id,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'twap',
    strategy: 'twap',
    status: 'filled',
    endReason: 'filled the requested quantity',
    requestedQuantity: 1,
    filledQuantity: 1,
    averagePrice: 100,
    arrivalPrice: 100,
    fees: 0,
    feeCurrency: 'USDT',
    notional: 100,
    startedAt: 0,
    endedAt,
    childOrders: [],
    fills: [],
  } as unknown as ExecutionReport;
}

/** A cluster in one process on virtual time: one queue, one lease store, one bus, several workers. */
function cluster(options: { ttlMs?: number; ackWaitMs?: number } = {}) {
  const clock = new VirtualClock(1_000_000);
  const queue = new InMemoryWorkQueue({ clock, ackWaitMs: options.ackWaitMs ?? 3_000 });
  const leases = new InMemoryLeaseStore({ clock, ttlMs: options.ttlMs ?? 1_500 });
  const bus = new InProcessMessageBus({ clock });
  const events: { subject: string; message: ClusterEvent }[] = [];
  bus.subscribe<ClusterEvent>('exec.events.>').subscribe((message) => events.push(message));
  const records: (WorkerJobRecord & { worker: string })[] = [];
  const lost: string[] = [];
  const worker = (workerId: string, run: (job: ClusterJob, onEvent: (event: ExecutionEvent) => void) => Promise<JobOutcome>, workerClock = clock) => {
    const created = new ClusterWorker({ workerId, venue: 'paper', queue, leases, bus, clock: workerClock, logger: new NoopLogger(), run, onLeaseLost: (id) => lost.push(`${workerId}:${id}`) });
    created.jobs$.subscribe((record) => records.push({ worker: workerId, ...record }));
    return created;
  };
  /** Runs the timers due within `ms` of virtual time, letting promises settle between steps. */
  const advance = async (ms: number, stepMs = 50): Promise<void> => {
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      clock.advanceBy(stepMs);
      for (let i = 0; i < 5; i++) await yieldToEventLoop();
    }
  };
  return { clock, queue, leases, bus, events, records, lost, worker, advance };
}

/** A run that ends after `durationMs` of virtual time, publishing a start and an end. */
const timedRun =
  (clock: VirtualClock, durationMs: number, ran: string[]) =>
  (job: ClusterJob, onEvent: (event: ExecutionEvent) => void): Promise<JobOutcome> => {
    ran.push(job.order.id);
    onEvent({ type: 'note', executionId: job.order.id, ts: clock.now(), message: 'started' } as ExecutionEvent);
    return new Promise((resolve) => {
      clock.scheduler.schedule(() => {
        const done = report(job.order.id, clock.now());
        onEvent({ type: 'execution-ended', executionId: job.order.id, ts: clock.now(), status: 'filled', report: done } as ExecutionEvent);
        resolve({ report: done, how: 'executed' });
      }, durationMs);
    });
  };

describe('ClusterWorker', () => {
  it('runs every queued order exactly once across two workers and acknowledges it after its end is published', async () => {
    const c = cluster();
    const ran: string[] = [];
    const a = c.worker('a', timedRun(c.clock, 2_000, ran));
    const b = c.worker('b', timedRun(c.clock, 2_000, ran));
    a.start();
    b.start();
    for (let i = 0; i < 6; i++) await c.queue.enqueue(`o${i}`, order(`o${i}`));
    await c.advance(10_000);
    expect([...ran].sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5']);
    expect(c.queue.size).toBe(0);
    const ends = c.events.filter((event) => event.message.event['type'] === 'execution-ended');
    expect(ends.map((event) => event.subject).sort()).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5'].map((id) => `exec.events.${id}`));
    // Both workers took orders (the queue spreads them), each order's events carry its worker and numbered seqs.
    expect(new Set(c.records.filter((record) => record.outcome === 'executed').map((record) => record.worker))).toEqual(new Set(['a', 'b']));
    for (const id of ['o0', 'o3']) {
      const seqs = c.events.filter((event) => event.subject === `exec.events.${id}`).map((event) => event.message.seq);
      expect(seqs).toEqual([1, 2]);
    }
    // Renewals kept the 1.5 s leases alive through 2 s runs; all are released now.
    expect(c.lost).toEqual([]);
    for (let i = 0; i < 6; i++) expect(await c.leases.holder(`o${i}`)).toBeNull();
    await a.drain();
    await b.drain();
  });

  it('takes over the order of a worker that died: redelivered after the ack wait, run once its lease expired', async () => {
    const c = cluster({ ttlMs: 1_500, ackWaitMs: 1_000 });
    const deadClock = new VirtualClock(0);
    const ran: string[] = [];
    // Worker "a" hangs in its run and, its clock frozen, never renews nor extends: it is dead.
    const a = c.worker('a', (job) => (ran.push(`a:${job.order.id}`), new Promise<JobOutcome>(() => undefined)), deadClock);
    a.start();
    await c.queue.enqueue('x1', order('x1'));
    await c.advance(100);
    expect(await c.leases.holder('x1')).toBe('a');
    const b = c.worker('b', timedRun(c.clock, 500, ran));
    b.start();
    await c.advance(6_000);
    expect(ran).toEqual(['a:x1', 'x1']);
    const taken = c.records.find((record) => record.worker === 'b' && record.outcome === 'executed');
    expect(taken?.attempt).toBeGreaterThan(1);
    expect(c.queue.size).toBe(0);
    expect(c.events.filter((event) => event.message.event['type'] === 'execution-ended')).toHaveLength(1);
    await b.drain();
  });

  it('gives back a delivery whose lease a live worker holds, and does not run it twice', async () => {
    const c = cluster();
    const ran: string[] = [];
    await c.leases.acquire('held', 'elsewhere');
    const b = c.worker('b', timedRun(c.clock, 100, ran));
    b.start();
    await c.queue.enqueue('held', order('held'));
    await c.advance(300);
    expect(ran).toEqual([]);
    expect(c.records.some((record) => record.outcome === 'busy' && record.detail === 'lease held by elsewhere')).toBe(true);
    // Still queued, for when the lease is free.
    expect(c.queue.size).toBe(1);
    const lease = await c.leases.acquire('held', 'elsewhere');
    await c.leases.release(lease!);
    await c.advance(3_000);
    expect(ran).toEqual(['held']);
    expect(c.queue.size).toBe(0);
    await b.drain();
  });

  it('leaves the orders of another venue on the queue: a paper worker never runs a ccxt order', async () => {
    const c = cluster();
    const ran: string[] = [];
    const b = c.worker('b', timedRun(c.clock, 100, ran));
    b.start();
    await c.queue.enqueue('live1', order('live1', 'ccxt'));
    await c.queue.enqueue('paper1', order('paper1'));
    await c.advance(2_000);
    expect(ran).toEqual(['paper1']);
    expect(c.queue.size).toBe(1);
    expect(c.records.some((record) => record.executionId === 'live1' && record.outcome === 'busy' && record.detail === 'for the ccxt venue; this worker trades paper')).toBe(true);
    expect(await c.leases.holder('live1')).toBeNull();
    await b.drain();
  });

  it('refuses a malformed job: one job-refused event naming the field, acknowledged (not retried)', async () => {
    const c = cluster();
    const ran: string[] = [];
    const b = c.worker('b', timedRun(c.clock, 100, ran));
    b.start();
    await c.queue.enqueue('bad1', { order: { id: 'bad1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: -1 } });
    await c.advance(500);
    expect(ran).toEqual([]);
    expect(c.queue.size).toBe(0);
    const refused = c.events.filter((event) => event.message.event['type'] === 'job-refused');
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.message.event['message'])).toMatch(/order\.quantity .*-1/);
    await b.drain();
  });

  it('reports a lease lost while working (taken by another owner after it expired), so the process can stop at once', async () => {
    const c = cluster({ ttlMs: 1_500, ackWaitMs: 60_000 });
    const ran: string[] = [];
    const a = c.worker('a', timedRun(c.clock, 10_000, ran));
    a.start();
    await c.queue.enqueue('l1', order('l1'));
    await c.advance(100);
    expect(await c.leases.holder('l1')).toBe('a');
    // Another process takes the key over (as after a stall past the TTL): a's next renewal's compare-and-set fails.
    const held = await c.leases.acquire('l1', 'a');
    await c.leases.release(held!);
    expect(await c.leases.acquire('l1', 'b')).not.toBeNull();
    await c.advance(1_000);
    expect(c.lost).toEqual(['a:l1']);
  });

  it('rides out a store it cannot reach for less than the TTL; a whole TTL without a renewal is a lost lease', async () => {
    const c = cluster({ ttlMs: 1_500, ackWaitMs: 60_000 });
    const ran: string[] = [];
    let unreachable = false;
    const renew = c.leases.renew.bind(c.leases);
    c.leases.renew = (lease) => (unreachable ? Promise.reject(new Error('NATS reconnecting')) : renew(lease));
    const a = c.worker('a', timedRun(c.clock, 20_000, ran));
    a.start();
    await c.queue.enqueue('r1', order('r1'));
    await c.advance(600);
    // One renewal tick fails; the next goes through while the lease still lives: nothing is lost.
    unreachable = true;
    await c.advance(500);
    unreachable = false;
    await c.advance(2_000);
    expect(c.lost).toEqual([]);
    // Now the store stays unreachable for longer than the TTL: the lease may be someone else's.
    unreachable = true;
    await c.advance(2_500);
    expect(c.lost).toEqual(['a:r1']);
  });

  it('hands back its running orders on request: nak and lease released, so another worker resumes at once', async () => {
    const c = cluster({ ttlMs: 60_000, ackWaitMs: 60_000 });
    const ran: string[] = [];
    const a = c.worker('a', (job) => (ran.push(`a:${job.order.id}`), new Promise<JobOutcome>(() => undefined)));
    a.start();
    await c.queue.enqueue('h1', order('h1'));
    await c.advance(100);
    await a.handBack();
    expect(await c.leases.holder('h1')).toBeNull();
    const b = c.worker('b', timedRun(c.clock, 100, ran));
    b.start();
    // Well within the 60 s lease and ack wait: the hand-back made it available at once.
    await c.advance(1_000);
    expect(ran).toEqual(['a:h1', 'h1']);
    expect(c.records.some((record) => record.worker === 'a' && record.outcome === 'handed-back')).toBe(true);
    await b.drain();
  });
});
