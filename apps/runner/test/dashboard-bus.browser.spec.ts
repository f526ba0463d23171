import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { NoopLogger } from '@tranche/core';
import { natsServerUnavailableReason, startNatsServer, type NatsServerHandle } from '@tranche/testkit';
import { defaultChromiumPath } from '../src/backtest/screenshot.js';
import { startTranche, type ClusterProcess } from '../src/cluster/cluster-processes.js';
import { runServeOnBus } from '../src/serve/bus-feed-serve.js';
import { captureIo } from './capture-io.js';
import { openWatchedPage, type PageProblems } from './dashboard-page-watch.js';

/**
 * `tranche serve --nats` in headless Chromium: a real nats-server, a gateway and one worker
 * at 20x; the page shows a TWAP submitted on the bus progressing to `filled` on its card,
 * the gateway's market, a cancel from a card's button ending that execution `cancelled`,
 * and the kill-switch button ending the last working one, with no console error and no
 * failed request.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping the dashboard-on-the-bus browser test: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('tranche serve --nats: the dashboard in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-dashboard-bus-browser-'));
  let chromiumProblem: string | undefined;
  let server: NatsServerHandle;
  let processes: ClusterProcess[] = [];
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  const controller = new AbortController();
  let served: Promise<void> | undefined;
  let problems: PageProblems;

  const submit = async (order: unknown): Promise<string> => {
    const response = await fetch(`${url}api/executions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) });
    const body = (await response.json()) as { executionId: string; error?: string };
    expect(response.status, body.error).toBe(202);
    return body.executionId;
  };
  const card = (executionId: string) => page.locator(`.card[data-execution-id="${executionId}"]`);

  beforeAll(async () => {
    try {
      execFileSync('bash', [join(root, 'tools/ensure-chromium.sh')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 300_000 });
    } catch (error) {
      chromiumProblem = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    }
    if (!chromiumProblem && !existsSync(defaultChromiumPath)) chromiumProblem = `${defaultChromiumPath} is missing`;
    if (chromiumProblem) return;
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: ':memory:' } }));
    server = await startNatsServer();
    processes = [
      startTranche('gateway', ['gateway', '--nats', server.url, '--speed', '20'], { cwd: dir }),
      startTranche('bw1', ['worker', '--nats', server.url, '--id', 'bw1', '--config', config, '--journal-dir', join(dir, 'journals'), '--concurrency', '2', '--speed', '20'], { cwd: dir }),
    ];
    await Promise.all([processes[0]!.waitFor(/gateway: publishing/), processes[1]!.waitFor(/ready/)]);
    let listening!: (value: string) => void;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    served = runServeOnBus({ url: server.url, io: captureIo(), logger: new NoopLogger(), port: 0, signal: controller.signal, onListening: listening, marketIntervalMs: 200, metricsIntervalMs: 250, ackTimeoutMs: 3_000 });
    url = await Promise.race([ready, served.then(() => '')]);
    ({ browser, page, problems } = await openWatchedPage(url));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as unknown as { __dashboard?: { connected: boolean } }).__dashboard?.connected === true, undefined, { timeout: 15_000 });
  }, 320_000);

  afterAll(async () => {
    await browser?.close();
    controller.abort();
    await served;
    await Promise.all(processes.map((child) => child.stop('SIGKILL', 1_000)));
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shows a TWAP run by a worker progressing to filled, and the gateway\'s market', async () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    const executionId = await submit({ id: 'bbfill', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.3, params: { durationMs: 60_000, seed: 5 } });
    // Part-filled on the card while working, then filled.
    await page.waitForFunction(
      (id) => {
        // Runs in the page (no DOM types here): the card's data attributes.
        const page = globalThis as unknown as { document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null } };
        const node = page.document.querySelector(`.card[data-execution-id="${id}"]`);
        return node !== null && node.dataset['state'] === 'working' && Number(node.dataset['filled']) > 0;
      },
      executionId,
      { timeout: 20_000 },
    );
    await page.waitForSelector(`.card[data-execution-id="${executionId}"][data-state="filled"]`, { timeout: 30_000 });
    expect(Number(await card(executionId).getAttribute('data-filled'))).toBeCloseTo(0.3, 5);
    await page.waitForSelector('.market[data-symbol="BTC/USDT"] [data-field=mid]', { timeout: 15_000 });
    expect(await page.locator('.market[data-symbol="BTC/USDT"] [data-field=mid]').textContent()).toMatch(/^mid[\d,.]+$/);
    expect(await page.locator('#context').textContent()).toContain(`venue cluster on ${server.url}`);
  }, 90_000);

  it('cancels from the card (control.cancel on the bus) and engages the kill switch from its button (control.kill)', async () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    const cancelled = await submit({ id: 'bbcancel', symbol: 'BTC/USDT', side: 'sell', type: 'twap', quantity: 0.5, params: { durationMs: 600_000, seed: 6 } });
    const killed = await submit({ id: 'bbkill', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.4, params: { durationMs: 600_000, seed: 7 } });
    await card(cancelled).locator('button.cancel').waitFor({ timeout: 15_000 });
    page.once('dialog', (dialog) => void dialog.accept());
    await card(cancelled).locator('button.cancel').click();
    await page.waitForSelector(`.card[data-execution-id="${cancelled}"][data-state="cancelled"]`, { timeout: 20_000 });
    expect(await card(killed).getAttribute('data-state')).toBe('working');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.locator('#kill-button').click();
    await page.waitForSelector('#kill-result[data-completed="true"]', { timeout: 20_000 });
    expect(await page.locator('#kill-result').textContent()).toMatch(/^Kill switch engaged \(engaged from the dashboard\): 1 execution\(s\) stopped/);
    await page.waitForSelector(`.card[data-execution-id="${killed}"][data-state="cancelled"]`, { timeout: 10_000 });
    expect(await page.locator('.card[data-state="working"]').count()).toBe(0);
  }, 90_000);

  it('made no console errors and no failed requests', () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
  });
});
