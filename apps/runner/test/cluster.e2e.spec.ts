import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { ExecutionReportSchema, LiveClock, NoopLogger, type ExecutionReport } from '@tranche/core';
import { main } from '../src/index.js';
import { sampleClusterJobs } from '../src/cluster/cluster-orders.js';
import { startNatsServer, type NatsServerHandle } from '@tranche/testkit';
import { startTranche, type ClusterProcess } from '../src/cluster/cluster-processes.js';
import { connectCluster } from '../src/cluster/connect-cluster.js';
import type { ClusterTransport } from '../src/cluster/cluster-transport.js';
import { submitOrder, type SubmitOutcome } from '../src/cluster/submit-order.js';
import { captureIo } from './capture-io.js';
import { EventLog, quietIo, workerRecords } from './cluster-harness.js';

/**
 * Scale-out end to end (issue 10) on one machine: a real nats-server with JetStream, one
 * gateway replaying the bundled data onto the bus, three `tranche worker` processes
 * (two orders at a time each, so replays run side by side in one process) sharing a journal directory, and 30 parent orders across BTC/USDT and ETH/USDT
 * (twap, vwap, iceberg, market; both sides; each with its own seed) submitted together
 * through the work queue. Every order completes exactly once (one final event on its
 * subject, one run in the workers' logs, no takeover), the three workers share the work,
 * and each report equals `tranche execute --speed max --journal` of the same order in this
 * process (journaled like a worker's run: the write-ahead journal moves some paper fills in
 * virtual time, so an unjournaled run is not the same run).
 */

const ORDERS = 30;
const dir = mkdtempSync(join(tmpdir(), 'tranche-cluster-e2e-'));
let server: NatsServerHandle;
let gateway: ClusterProcess;
let workers: ClusterProcess[] = [];
let transport: ClusterTransport;
let events: EventLog;
let marketData = 0;
let states = 0;
/** The workers' and the in-process runs' config: the execution history in the test's directory. */
const config = join(dir, 'config.json');

beforeAll(async () => {
  writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: join(dir, 'history.db') } }));
  // Created here, before the workers: several processes creating one history file at once race (journal-sqlite refuses the loser's view of it).
  const history = SqliteExecutionHistoryStore.open({ path: join(dir, 'history.db') });
  await history.initialize();
  await history.close();
  server = await startNatsServer();
  gateway = startTranche('gateway', ['gateway', '--nats', server.url, '--speed', '30'], { cwd: dir });
  workers = ['w1', 'w2', 'w3'].map((id) => startTranche(id, ['worker', '--nats', server.url, '--id', id, '--config', config, '--journal-dir', join(dir, 'journals'), '--concurrency', '2', '--json'], { cwd: dir }));
  await Promise.all([gateway.waitFor(/gateway: publishing/), ...workers.map((worker) => worker.waitFor(/ready/))]);
  transport = await connectCluster({ url: server.url, logger: new NoopLogger() });
  transport.bus.subscribe('md.>').subscribe(() => marketData++);
  transport.bus.subscribe('state.>').subscribe(() => states++);
}, 60_000);

afterAll(async () => {
  events?.close();
  await transport?.close();
  await Promise.all([...workers, gateway].filter(Boolean).map((child) => child.stop('SIGKILL', 1_000)));
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('tranche gateway + 3 workers + 30 parent orders on NATS JetStream', () => {
  const jobs = sampleClusterJobs(ORDERS, 'e2e');
  let outcomes: SubmitOutcome[] = [];

  it('completes every order exactly once, spread over the three workers', async () => {
    outcomes = await Promise.all(jobs.map((job) => submitOrder({ transport, job, json: true, io: quietIo(), clock: new LiveClock(), timeoutMs: 150_000 })));
    expect(outcomes.map((outcome) => outcome.report.id)).toEqual(jobs.map((job) => job.order.id));
    for (const outcome of outcomes) {
      expect(ExecutionReportSchema.parse(outcome.report).requestedQuantity).toBeGreaterThan(0);
      expect(['filled', 'partially_filled', 'expired', 'cancelled']).toContain(outcome.report.status);
      // One worker, first delivery: nothing was taken over in a run without failures.
      expect(outcome.workers).toHaveLength(1);
      expect(outcome.attempts).toBe(1);
    }
    // The stored events, replayed from the stream: exactly one end per order.
    events = new EventLog(transport.bus);
    await expect.poll(() => jobs.every((job) => events.ends(job.order.id).length === 1), { timeout: 10_000 }).toBe(true);
    for (const job of jobs) expect(events.ends(job.order.id), job.order.id).toHaveLength(1);
    // The workers' own logs: each order started and executed once, by one worker.
    const records = workers.flatMap(workerRecords);
    for (const job of jobs) {
      const mine = records.filter((record) => record.executionId === job.order.id);
      expect(mine.filter((record) => record.outcome === 'started'), job.order.id).toHaveLength(1);
      expect(mine.filter((record) => record.outcome === 'executed'), job.order.id).toHaveLength(1);
      expect(mine.some((record) => record.outcome === 'resumed' || record.outcome === 'failed')).toBe(false);
    }
    const byWorker = new Map<string, number>();
    for (const outcome of outcomes) byWorker.set(outcome.workers[0]!, (byWorker.get(outcome.workers[0]!) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual(['w1', 'w2', 'w3']);
    // The gateway's market data and market states reached a subscriber on the bus meanwhile.
    expect(marketData).toBeGreaterThan(1_000);
    expect(states).toBeGreaterThan(0);
  }, 240_000);

  it('gives every order the report of an in-process tranche execute of the same order and seed', async () => {
    expect(outcomes).toHaveLength(ORDERS);
    for (const [index, job] of jobs.entries()) {
      const io = captureIo();
      // The same settings as a worker: the paper venue on the bundled data at max speed, journaled (write-ahead) to its own file.
      const journal = join(dir, 'in-process', `${job.order.id}.db`);
      const code = await main(['execute', '--speed', 'max', '--json', '--config', config, '--journal', journal, '--order', JSON.stringify(job.order)], io);
      expect(code, io.err.text).toBe(0);
      const inProcess = JSON.parse(io.out.text) as ExecutionReport;
      expect(outcomes[index]!.report, job.order.id).toEqual(inProcess);
    }
  }, 240_000);

  it('a re-submitted id is de-duplicated by the queue and answered from the stored events', async () => {
    const again = await submitOrder({ transport, job: jobs[0]!, json: true, io: quietIo(), clock: new LiveClock(), timeoutMs: 20_000 });
    expect(again.duplicate).toBe(true);
    expect(again.report).toEqual(outcomes[0]!.report);
    expect(events.ends(jobs[0]!.order.id)).toHaveLength(1);
    expect(workers.flatMap(workerRecords).filter((record) => record.executionId === jobs[0]!.order.id && record.outcome === 'started')).toHaveLength(1);
  }, 60_000);

  it('tranche submit as a user runs it: the report (text or --json), exit 0; exit 2 with the reason for an order no worker can run', async () => {
    const order = { symbol: 'ETH/USDT', side: 'sell', type: 'twap', quantity: 3, params: { durationMs: 60_000, seed: 9 } };
    const json = startTranche('submit', ['submit', '--nats', server.url, '--id', 'cli-json', '--json', '--order', JSON.stringify(order)], { cwd: dir });
    expect(await json.exited, json.stderr()).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(json.stdout()));
    expect(report).toMatchObject({ id: 'cli-json', symbol: 'ETH/USDT', side: 'sell', requestedQuantity: 3 });

    const text = startTranche('submit', ['submit', '--nats', server.url, '--id', 'cli-text', '--order', JSON.stringify(order)], { cwd: dir });
    expect(await text.exited, text.stderr()).toBe(0);
    expect(text.stdout()).toMatch(/cli-text/);
    expect(text.stderr()).toMatch(/^cli-text ran on w[123]$/m);

    // Valid on its face (the submitter cannot know the workers' strategies): the worker refuses it, the submitter exits 2 with why.
    const refused = startTranche('submit', ['submit', '--nats', server.url, '--id', 'cli-bad', '--order', JSON.stringify({ ...order, type: 'no-such-strategy' })], { cwd: dir });
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toMatch(/^error: invalid order: type "no-such-strategy" is not an installed strategy/m);

    // Bad input is refused before anything is queued.
    const invalid = startTranche('submit', ['submit', '--nats', server.url, '--order', JSON.stringify({ ...order, quantity: -1 })], { cwd: dir });
    expect(await invalid.exited).toBe(2);
    expect(invalid.stderr()).toMatch(/^error: invalid order: quantity must be greater than 0, got -1$/m);
  }, 90_000);

  it('workers drain and exit 0 on SIGTERM; the gateway reports what it published', async () => {
    const codes = await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    expect(codes).toEqual([0, 0, 0]);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(gateway.stdout()).toMatch(/gateway: published \d+ book, \d+ trades, \d+ ticker, \d+ candles, \d+ state for BTC\/USDT, ETH\/USDT/);
  }, 60_000);
});
