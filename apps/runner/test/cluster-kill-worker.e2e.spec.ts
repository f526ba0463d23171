import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { LiveClock, NoopLogger } from '@tranche/core';
import { startBinanceEmulator, startNatsServer, type BinanceEmulator, type NatsServerHandle } from '@tranche/testkit';
import type { ClusterJob } from '../src/cluster/cluster-job.schema.js';
import { startTranche, type ClusterProcess } from '../src/cluster/cluster-processes.js';
import { connectCluster } from '../src/cluster/connect-cluster.js';
import type { ClusterTransport } from '../src/cluster/cluster-transport.js';
import type { JobJournal } from '../src/cluster/run-cluster-job.js';
import { submitOrder, type SubmitOutcome } from '../src/cluster/submit-order.js';
import { EventLog, exchangeFindings, journaledEvents, quietIo, workerRecords } from './cluster-harness.js';

/**
 * Kill a worker (issue 10): a real nats-server, the local Binance emulator as the one
 * venue every worker trades on (so client order ids are checked at the exchange, in its
 * own order log), three `tranche worker --venue ccxt` processes, six TWAPs submitted
 * together. Once the first worker has orders working at the exchange it is SIGKILLed: its
 * leases expire, JetStream redelivers its orders, the other workers take them over
 * through the `tranche resume` path (reconcile with the exchange by client id, continue
 * after the highest journaled id). Every order then ends exactly once, no client order id
 * reaches the exchange twice, every exchange order is known to the journal, the fills at
 * the exchange are the report's, and nothing is overfilled. Run with each journal: the
 * workers' shared directory of SQLite files, and the JetStream journal (`--journal-nats`).
 * The same exchange also serves a worker stopped by two SIGTERMs (its order handed back and
 * resumed by the next worker) and `tranche gateway --venue ccxt`.
 */

const QUANTITY = 0.01;
/** BTC/USDT step on the emulator. */
const STEP = 0.00001;
const API_KEY = 'cluster-KEY-5e4d3c2b1a0f9e8d';
const API_SECRET = 'cluster-SECRET-0a1b2c3d4e5f6a7b';
const dir = mkdtempSync(join(tmpdir(), 'tranche-cluster-kill-'));
const config = join(dir, 'ccxt.json');
const env = { ...process.env, CLUSTER_API_KEY: API_KEY, CLUSTER_API_SECRET: API_SECRET };
let server: NatsServerHandle;
let emulator: BinanceEmulator;
let transport: ClusterTransport;
const started: ClusterProcess[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, autoMarket: { intervalMs: 100, driftBps: 1, seed: 21 } });
  writeFileSync(
    config,
    JSON.stringify({
      max_retries: 10,
      'journal-sqlite': { path: join(dir, 'history.db') },
      'venue-ccxt': { credentials: { env: { apiKey: 'CLUSTER_API_KEY', secret: 'CLUSTER_API_SECRET' } }, timeoutMs: 2_000, pollIntervalMs: 100, reconnectDelayMs: 50 },
    }),
  );
  // Created here, before the workers: several processes creating one history file at once race (journal-sqlite refuses the loser's view of it).
  const history = SqliteExecutionHistoryStore.open({ path: join(dir, 'history.db') });
  await history.initialize();
  await history.close();
  // The workers' queue and lease settings: whoever connects to the queue last sets the shared consumer's ack wait.
  transport = await connectCluster({ url: server.url, logger: new NoopLogger(), ackWaitMs: 3_000, leaseTtlMs: 1_500 });
}, 60_000);

afterAll(async () => {
  await transport?.close();
  await Promise.all(started.map((worker) => worker.stop('SIGKILL', 1_000)));
  await emulator?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  { name: 'a shared directory of SQLite journals', tag: 's', journal: (): JobJournal => ({ kind: 'sqlite', dir: join(dir, 'journals') }) },
  { name: 'the JetStream journal', tag: 'n', journal: (): JobJournal => ({ kind: 'nats', url: server.url }) },
])('a worker SIGKILLed mid-execution, with $name', ({ tag, journal }) => {
  it('has its orders taken over and completed once, with no client order id reused at the exchange', async () => {
    const chosen = journal();
    const journalFlags = chosen.kind === 'sqlite' ? ['--journal-dir', chosen.dir] : ['--journal-nats'];
    // Three slots each: the survivors have room for the victim's orders at once (no wait for their own to end).
    const venue = ['--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config];
    const worker = (n: string): ClusterProcess =>
      startTranche(`k${tag}${n}`, ['worker', '--nats', server.url, '--id', `k${tag}${n}`, ...venue, ...journalFlags, '--concurrency', '3', '--lease-ttl', '1500', '--ack-wait', '3000', '--json'], { cwd: dir, env });
    const jobs: ClusterJob[] = Array.from({ length: 6 }, (_, index) => ({
      order: {
        id: `kw${tag}${index + 1}`,
        symbol: 'BTC/USDT',
        // Buys and sells alternate so the orders do not drain one side of the emulator's book.
        side: index % 2 === 0 ? 'buy' : 'sell',
        type: 'twap',
        quantity: QUANTITY,
        params: { durationMs: 14_000, slices: 7, urgency: 'high', completion: 'sweep' },
      },
      venue: 'ccxt',
    }));
    const submit = (job: ClusterJob): Promise<SubmitOutcome> => submitOrder({ transport, job, json: true, io: quietIo(), clock: new LiveClock(), timeoutMs: 90_000 });
    // The victim starts alone and takes the first three orders (its three slots); the survivors, started next, the other three.
    const victim = worker('1');
    started.push(victim);
    await victim.waitFor(/ready/);
    const first = jobs.slice(0, 3).map(submit);
    await expect.poll(() => workerRecords(victim).filter((record) => record.outcome === 'started').length, { timeout: 20_000 }).toBe(3);
    const survivorProcesses = [worker('2'), worker('3')];
    started.push(...survivorProcesses);
    await Promise.all(survivorProcesses.map((survivor) => survivor.waitFor(/ready/)));
    const workers = [victim, ...survivorProcesses];
    const submits = Promise.all([...first, ...jobs.slice(3).map(submit)]);
    // Kill the victim once one of its orders has child orders at the exchange.
    let victimOrders: string[] = [];
    await expect
      .poll(
        () => {
          const running = workerRecords(victim).filter((record) => record.outcome === 'started').map((record) => record.executionId);
          victimOrders = running.filter((id) => emulator.orders().some((order) => order.clientOrderId.startsWith(`${id}-`)));
          return victimOrders.length > 0;
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    victim.child.kill('SIGKILL');
    const killedAt = performance.now();
    expect(await victim.exited).toBe('SIGKILL');
    const ended = (record: { outcome: string }): boolean => record.outcome === 'executed' || record.outcome === 'resumed' || record.outcome === 'ended-before';
    const victimStarted = workerRecords(victim).filter((record) => record.outcome === 'started').map((record) => record.executionId);
    const victimFinished = workerRecords(victim).filter(ended).map((record) => record.executionId);
    const orphaned = victimStarted.filter((id) => !victimFinished.includes(id));
    expect(orphaned.length).toBeGreaterThan(0);

    // How long the orders stayed without a worker: the lease TTL and the ack wait (redelivery) bound it from below.
    await expect.poll(() => workers.slice(1).flatMap(workerRecords).some((record) => orphaned.includes(record.executionId) && record.outcome === 'started'), { timeout: 30_000, interval: 20 }).toBe(true);
    const takenOverAfterMs = performance.now() - killedAt;
    process.stderr.write(`cluster kill test (${chosen.kind} journal): first takeover ${Math.round(takenOverAfterMs)} ms after the SIGKILL (lease TTL 1500 ms, ack wait 3000 ms)\n`);
    const outcomes: SubmitOutcome[] = await submits.catch((error: unknown) => {
      // What the workers said, for the failure message.
      const logs = workers.map((worker) => `--- ${worker.name}\n${worker.stdout()}\n${worker.stderr().split('\n').filter((line) => !line.includes('"level":"info"')).slice(-15).join('\n')}`).join('\n');
      throw new Error(`${(error as Error).message}\n${logs}`);
    });
    // A worker logs a job's end after its acknowledgement, which follows the final event the submits saw: wait for those lines.
    const survivorRecords = () => workers.slice(1).flatMap(workerRecords);
    await expect.poll(() => jobs.every(({ order }) => [...survivorRecords(), ...workerRecords(victim)].some((record) => record.executionId === order.id && ended(record))), { timeout: 10_000 }).toBe(true);
    const survivors = survivorRecords();
    for (const id of orphaned) {
      // Taken over by a surviving worker on a later delivery: through the resume path when the victim had journaled its start
      // (always for the orders it had at the exchange), as a fresh run when it died before that.
      const accepted = victimOrders.includes(id) ? ['resumed'] : ['resumed', 'executed'];
      const takeover = survivors.find((record) => record.executionId === id && accepted.includes(record.outcome));
      expect(takeover, `${id} was not taken over by another worker:\n${workers.slice(1).map((worker) => worker.stdout()).join('\n')}`).toBeDefined();
      expect(takeover!.attempt).toBeGreaterThan(1);
      const outcome = outcomes.find((candidate) => candidate.report.id === id)!;
      expect(outcome.workers[0]).toBe(victim.name);
      expect(outcome.workers.at(-1)).not.toBe(victim.name);
    }

    const events = new EventLog(transport.bus);
    try {
      await expect.poll(() => jobs.every((job) => events.ends(job.order.id).length === 1), { timeout: 10_000 }).toBe(true);
      const journals = await journaledEvents(chosen, jobs.map((job) => job.order.id));
      for (const job of jobs) {
        const id = job.order.id;
        const report = outcomes.find((candidate) => candidate.report.id === id)!.report;
        expect(events.ends(id), id).toHaveLength(1);
        // Complete: filled to within one step, as the crash harness requires (the emulator can fill an IOC off the step grid,
        // leaving less than a step no order can take).
        expect(report.filledQuantity, `${id}: ${report.status}, ${report.endReason}`).toBeGreaterThanOrEqual(QUANTITY - STEP - 1e-12);
        const findings = exchangeFindings(journals.get(id)!, emulator, id);
        expect(findings.ended?.status, id).toBe(report.status);
        // No client order id reused at the exchange, none re-sent, none unknown to the journal.
        expect(findings.duplicatedAtExchange, id).toEqual([]);
        expect(findings.reIntended, id).toEqual([]);
        expect(findings.unknownAtExchange, id).toEqual([]);
        // The exchange's fills are the report's; no overfill.
        expect(Math.abs(findings.exchangeFilled - report.filledQuantity), id).toBeLessThanOrEqual(STEP / 2);
        expect(findings.exchangeFilled, id).toBeLessThanOrEqual(QUANTITY + STEP / 2);
        const clientIds = report.childOrders.map((child) => child.clientOrderId);
        expect(new Set(clientIds).size, id).toBe(clientIds.length);
      }
      // Every order ran to its end once over all workers' logs.
      const all = [...survivors, ...workerRecords(victim)];
      for (const job of jobs) expect(all.filter((record) => record.executionId === job.order.id && ended(record)), job.order.id).toHaveLength(1);
    } finally {
      events.close();
      await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    }
  }, 150_000);
});

describe('a worker stopped with SIGTERM twice', () => {
  it('gives its running order back at once; the next worker resumes it from the JetStream journal (the default on a real venue)', async () => {
    const venue = ['--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config];
    const worker = (id: string): ClusterProcess =>
      startTranche(id, ['worker', '--nats', server.url, '--id', id, ...venue, '--lease-ttl', '1500', '--ack-wait', '3000', '--json'], { cwd: dir, env });
    const first = worker('hb1');
    started.push(first);
    await first.waitFor(/ready/);
    expect(first.stderr()).toMatch(/journal on JetStream/);
    const job: ClusterJob = { order: { id: 'hb1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: QUANTITY, params: { durationMs: 12_000, slices: 6, urgency: 'high', completion: 'sweep' } }, venue: 'ccxt' };
    const outcome = submitOrder({ transport, job, json: true, io: quietIo(), clock: new LiveClock(), timeoutMs: 60_000 });
    await expect.poll(() => emulator.orders().some((order) => order.clientOrderId.startsWith('hb1-')), { timeout: 20_000, interval: 50 }).toBe(true);
    // The first signal drains (the order would finish here); the second gives it back now.
    first.child.kill('SIGTERM');
    await first.waitFor(/no new orders; finishing 1 running/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(143);
    expect(workerRecords(first).map((record) => record.outcome)).toEqual(['started', 'handed-back']);
    // Handed back: the lease is free at once, not after its TTL.
    expect(await transport.leases.holder('hb1')).toBeNull();
    const second = worker('hb2');
    started.push(second);
    const { report, workers } = await outcome;
    expect(workers).toEqual(['hb1', 'hb2']);
    await expect.poll(() => workerRecords(second).some((record) => record.executionId === 'hb1' && record.outcome === 'resumed'), { timeout: 10_000 }).toBe(true);
    expect(report.filledQuantity).toBeGreaterThanOrEqual(QUANTITY - STEP - 1e-12);
    const findings = exchangeFindings((await journaledEvents({ kind: 'nats', url: server.url }, ['hb1'])).get('hb1')!, emulator, 'hb1');
    expect(findings.duplicatedAtExchange).toEqual([]);
    expect(findings.reIntended).toEqual([]);
    expect(findings.unknownAtExchange).toEqual([]);
    expect(Math.abs(findings.exchangeFilled - report.filledQuantity)).toBeLessThanOrEqual(STEP / 2);
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 90_000);
});

describe('tranche gateway on a real venue', () => {
  it("publishes the exchange's market data on md.ccxt.<symbol>.<kind> until SIGTERM, then says what it published", async () => {
    let received = 0;
    const subjects = new Set<string>();
    const counting = transport.bus.subscribe('md.ccxt.>').subscribe(({ subject }) => (received++, subjects.add(subject)));
    const gateway = startTranche('gateway-ccxt', ['gateway', '--nats', server.url, '--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config, '--symbols', 'BTC/USDT'], { cwd: dir, env });
    started.push(gateway);
    try {
      await gateway.waitFor(/gateway: publishing the ccxt venue's market data/);
      await expect.poll(() => received, { timeout: 20_000 }).toBeGreaterThan(5);
      expect([...subjects].every((subject) => /^md\.ccxt\.BTC-USDT\.(book|trades|ticker)$/.test(subject))).toBe(true);
      expect(await gateway.stop('SIGTERM')).toBe(0);
      expect(gateway.stdout()).toMatch(/^gateway: published \d+ book, \d+ trades, \d+ ticker, 0 candles, \d+ state for BTC\/USDT in [\d.]+ s/m);
    } finally {
      counting.unsubscribe();
    }
  }, 60_000);
});
