import { describe, expect, it } from 'vitest';
import type { Observable } from 'rxjs';
import { InMemoryLeaseStore, InMemoryWorkQueue, InProcessMessageBus, NoopLogger, VirtualClock, yieldToEventLoop, type ExecutionEvent, type ExecutionReport } from '@tranche/core';
import { ClusterWorker } from './cluster-worker.js';
import type { ClusterJob } from './cluster-job.schema.js';
import type { JobOutcome } from './run-cluster-job.js';
import { KILL_CONTROL_SUBJECT, cancelControlSubject, type ControlAck, type JobControlCommand } from './cluster-control.schema.js';

const order = (id: string): ClusterJob => ({ order: { id, symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 60_000, seed: 1 } }, venue: 'paper' });

const ended = (id: string, status: 'filled' | 'cancelled', reason: string): ExecutionReport => ({ id, status, endReason: reason, filledQuantity: 0.5 }) as unknown as ExecutionReport;

/** Two workers on one in-memory queue, lease store and bus, on virtual time; each run lasts until its control says stop (or 60 s). */
function cluster() {
  const clock = new VirtualClock(1_000_000);
  const queue = new InMemoryWorkQueue({ clock, ackWaitMs: 3_000 });
  const leases = new InMemoryLeaseStore({ clock, ttlMs: 1_500 });
  const bus = new InProcessMessageBus({ clock });
  const acks: ControlAck[] = [];
  bus.subscribe<ControlAck>('control.ack.>').subscribe(({ message }) => acks.push(message));
  const commands: Array<{ worker: string; executionId: string; command: JobControlCommand }> = [];
  const kills: Array<{ worker: string; reason: string; executionIds: readonly string[] }> = [];
  const started: string[] = [];
  const run =
    (worker: string) =>
    (job: ClusterJob, onEvent: (event: ExecutionEvent) => void, control$: Observable<JobControlCommand>): Promise<JobOutcome> =>
      new Promise((resolve) => {
        const id = job.order.id;
        started.push(id);
        const finish = (status: 'filled' | 'cancelled', reason: string): void => {
          const report = ended(id, status, reason);
          onEvent({ type: 'execution-ended', executionId: id, ts: clock.now(), status, report } as ExecutionEvent);
          resolve({ report, how: 'executed' });
        };
        const timer = clock.scheduler.schedule(() => finish('filled', 'filled'), 60_000);
        control$.subscribe((command) => {
          commands.push({ worker, executionId: id, command });
          timer.unsubscribe();
          finish('cancelled', command.type === 'kill' ? `kill switch: ${command.reason}` : command.reason);
        });
      });
  const workers = ['a', 'b'].map(
    (id) => new ClusterWorker({ workerId: id, venue: 'paper', queue, leases, bus, clock, logger: new NoopLogger(), run: run(id), onLeaseLost: () => undefined, onKill: (reason, executionIds) => kills.push({ worker: id, reason, executionIds }) }),
  );
  const advance = async (ms: number, stepMs = 50): Promise<void> => {
    for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
      clock.advanceBy(stepMs);
      for (let i = 0; i < 5; i++) await yieldToEventLoop();
    }
  };
  return { queue, bus, acks, commands, kills, started, workers, advance };
}

describe('ClusterWorker control requests', () => {
  it('control.cancel.<id>: only the worker running the execution answers and cancels it; unknown ids get no answer', async () => {
    const c = cluster();
    for (const worker of c.workers) worker.start();
    await c.queue.enqueue('x1', order('x1'));
    await c.advance(200);
    const owner = c.workers.find((worker) => worker.runningIds().includes('x1'))!;
    await c.bus.publish(cancelControlSubject('x1'), { type: 'cancel', requestId: 'r1', executionId: 'x1', reason: 'cancelled from the dashboard' });
    await c.bus.publish(cancelControlSubject('nosuch'), { type: 'cancel', requestId: 'r2', executionId: 'nosuch', reason: 'x' });
    // A malformed request is dropped by its schema: no answer, nothing cancelled.
    await c.bus.publish(cancelControlSubject('x1'), { type: 'cancel', requestId: 'r3', executionId: 'x1' });
    await c.advance(200);
    expect(c.acks).toEqual([{ requestId: 'r1', worker: owner === c.workers[0] ? 'a' : 'b', type: 'cancel', accepted: true, executionIds: ['x1'] }]);
    expect(c.commands.map((entry) => [entry.executionId, entry.command])).toEqual([['x1', { type: 'cancel', reason: 'cancelled from the dashboard' }]]);
    expect(owner.runningIds()).toEqual([]);
    expect(c.queue.size).toBe(0);
    for (const worker of c.workers) await worker.drain();
  });

  it('control.kill: every worker answers, cancels what it runs and pulls no new order until restarted', async () => {
    const c = cluster();
    for (const worker of c.workers) worker.start();
    await c.queue.enqueue('k1', order('k1'));
    await c.queue.enqueue('k2', order('k2'));
    await c.advance(200);
    expect([...c.started].sort()).toEqual(['k1', 'k2']);
    await c.bus.publish(KILL_CONTROL_SUBJECT, { type: 'kill', requestId: 'rk', reason: 'desk halt' });
    await c.advance(200);
    expect(c.acks.map((ack) => ack.worker).sort()).toEqual(['a', 'b']);
    expect(c.acks.flatMap((ack) => ack.executionIds).sort()).toEqual(['k1', 'k2']);
    expect(c.commands.map((entry) => entry.command)).toEqual([
      { type: 'kill', reason: 'desk halt' },
      { type: 'kill', reason: 'desk halt' },
    ]);
    expect(c.kills.map((kill) => kill.reason)).toEqual(['desk halt', 'desk halt']);
    for (const worker of c.workers) expect(worker.killed).toBe('desk halt');
    // A new order stays on the queue: no worker pulls it.
    await c.queue.enqueue('k3', order('k3'));
    await c.advance(5_000);
    expect(c.started).not.toContain('k3');
    expect(c.queue.size).toBe(1);
    // A second kill is answered again, saying it was already engaged; onKill is not called twice.
    await c.bus.publish(KILL_CONTROL_SUBJECT, { type: 'kill', requestId: 'rk2', reason: 'again' });
    await c.advance(100);
    expect(c.acks.filter((ack) => ack.requestId === 'rk2').map((ack) => ack.detail)).toEqual(['already engaged: desk halt', 'already engaged: desk halt']);
    expect(c.kills).toHaveLength(2);
    for (const worker of c.workers) await worker.drain();
  });
});
