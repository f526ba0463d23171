import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoopLogger, type ExecutionReport } from '@tranche/core';
import { natsServerUnavailableReason, startNatsServer, type NatsServerHandle } from '@tranche/testkit';
import { startTranche, type ClusterProcess } from '../src/cluster/cluster-processes.js';
import { runServeOnBus } from '../src/serve/bus-feed-serve.js';
import type { DashboardExecution, DashboardSnapshot } from '../src/serve/dashboard-feed.js';
import { captureIo } from './capture-io.js';
import { workerRecords } from './cluster-harness.js';

/**
 * `tranche serve --nats` end to end (issue 10): a real nats-server, a gateway replaying
 * the bundled data onto `md.*` and `state.*`, two `tranche worker` processes replaying at
 * 20x real time (so an order is still working when the page acts on it), and the dashboard
 * on the bus in this process. Through the HTTP API: a submitted TWAP runs on a worker and
 * the event stream shows it progressing to `filled`; a cancel reaches the worker that runs
 * the execution over `control.cancel.<id>` and it ends `cancelled`; the kill switch
 * (`control.kill`) is acknowledged by both workers, ends every working execution and
 * leaves new orders refused.
 */

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping the dashboard-on-the-bus e2e: ${unavailable}`);

const dir = mkdtempSync(join(tmpdir(), 'tranche-dashboard-bus-'));
let server: NatsServerHandle;
let gateway: ClusterProcess;
let workers: ClusterProcess[] = [];
let url = '';
let stopServe: () => Promise<void> = async () => undefined;
const events: Array<{ event: string; data: any }> = [];
const sse = new AbortController();

/** Follows the page's event stream for the whole test, collecting every message. */
async function followEvents(pageUrl: string): Promise<void> {
  const response = await fetch(new URL('api/events', pageUrl), { signal: sse.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name !== undefined && data !== undefined) events.push({ event: name, data: JSON.parse(data) });
      }
    }
  } catch {
    // Aborted at the end of the test.
  }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const state = async (): Promise<DashboardSnapshot> => (await api<DashboardSnapshot>('GET', 'api/state')).body;
const execution = async (id: string): Promise<DashboardExecution | undefined> => (await state()).executions.find((candidate) => candidate.executionId === id);
const twap = (id: string, durationMs: number, quantity = 0.2) => ({ id, symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity, params: { durationMs, seed: 11 } });
/** The execution updates the page received for one execution. */
const updatesOf = (id: string): DashboardExecution[] => events.filter((message) => message.event === 'execution' && message.data.execution.executionId === id).map((message) => message.data.execution);

describe.skipIf(unavailable !== undefined)('tranche serve --nats: the dashboard on the cluster bus', () => {
  beforeAll(async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: ':memory:' } }));
    server = await startNatsServer();
    gateway = startTranche('gateway', ['gateway', '--nats', server.url, '--speed', '20'], { cwd: dir });
    workers = ['dw1', 'dw2'].map((id) =>
      startTranche(id, ['worker', '--nats', server.url, '--id', id, '--config', config, '--journal-dir', join(dir, 'journals'), '--concurrency', '2', '--speed', '20', '--json'], { cwd: dir }),
    );
    await Promise.all([gateway.waitFor(/gateway: publishing/), ...workers.map((worker) => worker.waitFor(/ready/))]);
    const controller = new AbortController();
    let listening!: (pageUrl: string) => void;
    const listened = new Promise<string>((resolve) => (listening = resolve));
    const done = runServeOnBus({ url: server.url, io: captureIo(), logger: new NoopLogger(), port: 0, signal: controller.signal, onListening: listening, marketIntervalMs: 100, metricsIntervalMs: 200, ackTimeoutMs: 3_000 });
    url = await Promise.race([listened, done.then(() => '')]);
    expect(url).not.toBe('');
    stopServe = async () => {
      controller.abort();
      await done;
    };
    void followEvents(url);
  }, 60_000);

  afterAll(async () => {
    sse.abort();
    await stopServe();
    await Promise.all([...workers, gateway].filter(Boolean).map((child) => child.stop('SIGKILL', 1_000)));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('shows the gateway\'s markets (book, last trade, market state) from md.* and state.*', async () => {
    await expect
      .poll(async () => (await state()).markets.find((market) => market.symbol === 'BTC/USDT'), { timeout: 30_000, interval: 200 })
      .toMatchObject({ bid: expect.any(Number), ask: expect.any(Number), mid: expect.any(Number), lastPrice: expect.any(Number) });
    const market = (await state()).markets.find((candidate) => candidate.symbol === 'BTC/USDT')!;
    expect(market.ask!).toBeGreaterThanOrEqual(market.bid!);
    expect(market.prices.length).toBeGreaterThan(0);
    await expect.poll(async () => (await state()).markets.find((candidate) => candidate.symbol === 'BTC/USDT')?.state ?? null, { timeout: 30_000, interval: 200 }).not.toBeNull();
    expect(events.some((message) => message.event === 'market' && message.data.symbol === 'BTC/USDT')).toBe(true);
  }, 60_000);

  it('submits an order to the work queue; a worker runs it and the page watches it fill', async () => {
    const submitted = await api<{ executionId: string; queued?: boolean }>('POST', 'api/executions', twap('dbfill', 60_000));
    expect(submitted).toEqual({ status: 202, body: { executionId: 'dbfill' } });
    await expect.poll(async () => (await execution('dbfill'))?.state, { timeout: 30_000, interval: 200 }).toBe('filled');
    const updates = updatesOf('dbfill');
    // Progress seen on the way (not only the end): filled grows through the stream, to the requested quantity.
    expect(updates.some((update) => update.state === 'working' && update.filledQuantity > 0 && update.filledQuantity < 0.2)).toBe(true);
    expect(updates.at(-1)).toMatchObject({ state: 'filled', strategy: 'twap' });
    expect(updates.at(-1)!.filledQuantity).toBeCloseTo(0.2, 5);
    const history = await api<Array<{ report: ExecutionReport }>>('GET', 'api/history?limit=10');
    expect(history.body.map((entry) => entry.report.id)).toContain('dbfill');
    const metrics = (await state()).metrics['cluster']!;
    expect(metrics['executions_filled_total']).toMatchObject({ value: 1 });
    const ranOn = [...workers].filter((worker) => workerRecords(worker).some((record) => record.executionId === 'dbfill' && record.outcome === 'executed'));
    expect(ranOn).toHaveLength(1);
    expect(metrics[`worker_${ranOn[0]!.name}_executions_total`]).toMatchObject({ value: 1 });
  }, 60_000);

  it('refuses a malformed order before queueing it (400 naming the field)', async () => {
    const refused = await api<{ error: string; field?: string }>('POST', 'api/executions', { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: -1 });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('quantity');
  });

  it('cancels a working execution through control.cancel.<id>: its worker cancels it and it ends cancelled', async () => {
    await api('POST', 'api/executions', twap('dbcancel', 600_000));
    await expect.poll(async () => (await execution('dbcancel'))?.filledQuantity ?? 0, { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
    const cancelled = await api<{ executionId: string; status: string; filledQuantity: number }>('POST', 'api/executions/dbcancel/cancel', {});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ executionId: 'dbcancel', status: 'cancelled' });
    expect(cancelled.body.filledQuantity).toBeGreaterThan(0);
    expect(cancelled.body.filledQuantity).toBeLessThan(0.2);
    // The page's stream carries the end too (it may arrive a moment after the HTTP answer).
    await expect.poll(() => updatesOf('dbcancel').at(-1), { timeout: 5_000, interval: 50 }).toMatchObject({ state: 'cancelled', endReason: expect.stringContaining('dashboard') });
    const again = await api<{ error: string }>('POST', 'api/executions/dbcancel/cancel', {});
    expect(again.status).toBe(404);
    expect(again.body.error).toContain('already ended cancelled');
    expect((await api('POST', 'api/executions/nosuch/cancel', {})).status).toBe(404);
  }, 60_000);

  it('engages the kill switch on every worker: no working execution left, new orders refused', async () => {
    await api('POST', 'api/executions', twap('dbkill1', 600_000));
    await api('POST', 'api/executions', twap('dbkill2', 600_000, 0.3));
    await expect
      .poll(async () => (await state()).executions.filter((candidate) => candidate.executionId.startsWith('dbkill') && candidate.state === 'working').length, { timeout: 30_000, interval: 200 })
      .toBe(2);
    const killed = await api<{ engaged: boolean; stopped: Array<{ executionId: string; status: string }> }>('POST', 'api/kill', { confirm: true, reason: 'e2e kill' });
    expect(killed.status).toBe(200);
    expect(killed.body.engaged).toBe(true);
    expect(killed.body.stopped.map((entry) => entry.executionId).sort()).toEqual(['dbkill1', 'dbkill2']);
    expect(killed.body.stopped.every((entry) => entry.status === 'cancelled')).toBe(true);
    const after = await state();
    expect(after.executions.filter((candidate) => candidate.state === 'working')).toEqual([]);
    expect(after.killSwitch).toMatchObject({ engaged: true, reason: 'e2e kill', completed: true, stoppedExecutions: 2 });
    for (const worker of workers) await worker.waitFor(/kill switch engaged through the bus \(e2e kill\)/, 5_000);
    expect(events.filter((message) => message.event === 'kill-switch').map((message) => message.data.type)).toEqual(expect.arrayContaining(['engaged', 'stopping', 'completed']));
    const refused = await api<{ error: string; kind: string }>('POST', 'api/executions', twap('dbafter', 60_000));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('kill switch');
  }, 60_000);
});
