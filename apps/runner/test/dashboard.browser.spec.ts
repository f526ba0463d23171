import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { NoopLogger, type ExecutionReport } from '@tranche/core';
import { quantizePng } from '../src/backtest/screenshot-png.js';
import { defaultChromiumPath, headlessChromiumArgs } from '../src/backtest/screenshot.js';
import { runServe } from '../src/serve/serve-command.js';
import { captureIo } from './capture-io.js';
import { openWatchedPage, type PageProblems } from './dashboard-page-watch.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Set to save the mid-execution screenshot to docs/images/dashboard.png (otherwise it only goes to a temp check). */
const SCREENSHOT = process.env['TRANCHE_DASHBOARD_SCREENSHOT'] === '1';
const SYMBOL = 'BTC/USDT';

interface Snapshot {
  executions: Array<{ executionId: string; state: string }>;
  killSwitch: { engaged: boolean; completed: boolean; reason: string | null };
}

describe('tranche serve: the dashboard in headless Chromium', () => {
  let chromiumProblem: string | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  const controller = new AbortController();
  let served: Promise<void> | undefined;
  let problems: PageProblems;

  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(url + path, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const submit = async (order: unknown): Promise<string> => {
    const answer = await api<{ executionId: string; error?: string }>('POST', 'api/executions', order);
    expect(answer.status, answer.body.error).toBe(202);
    return answer.body.executionId;
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
    let listening!: (value: string) => void;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    // 20x real time: a one-minute TWAP takes three seconds, slow enough to watch it progress.
    served = runServe({ io: captureIo(), logger: new NoopLogger(), config: { 'journal-sqlite': { path: ':memory:' } }, port: 0, speed: 20, register: false, signal: controller.signal, onListening: listening, marketIntervalMs: 200, metricsIntervalMs: 250 });
    url = await Promise.race([ready, served.then(() => '')]);
    ({ browser, page, problems } = await openWatchedPage(url));
    await page.goto(url, { waitUntil: 'load' });
    // A function, not a string: the page's CSP has no 'unsafe-eval'.
    await page.waitForFunction(
      () => {
        const dashboard = (globalThis as unknown as { __dashboard?: { connected: boolean; snapshots: number } }).__dashboard;
        return dashboard !== undefined && dashboard.connected && dashboard.snapshots >= 1;
      },
      undefined,
      { timeout: 15_000 },
    );
  }, 320_000);

  afterAll(async () => {
    await browser?.close();
    controller.abort();
    await served;
  }, 60_000);

  it('shows an execution progressing to completion, its fills on the chart, the market and the history', async () => {
    // The project installs the browser itself (tools/ensure-chromium.sh): a missing one is a failure, not a skip.
    if (chromiumProblem) throw new Error(`Chromium is required for this test and could not be installed: ${chromiumProblem}`);
    const executionId = await submit({ symbol: SYMBOL, side: 'buy', type: 'twap', quantity: 0.6, params: { durationMs: 60_000, slices: 6, seed: 3 } });
    await card(executionId).waitFor({ timeout: 10_000 });
    const bar = card(executionId).locator('[role=progressbar]');
    const seen: number[] = [];
    let screenshotTaken = false;
    for (let polls = 0; polls < 600 && (await card(executionId).getAttribute('data-state')) === 'working'; polls++) {
      const filled = Number(await bar.getAttribute('aria-valuenow'));
      if (seen.at(-1) !== filled) seen.push(filled);
      // Mid-execution: a third or more filled, not yet done.
      if (!screenshotTaken && filled >= 0.2 && filled < 0.6) {
        screenshotTaken = true;
        const png = await page.screenshot({ fullPage: true });
        expect(png.length).toBeGreaterThan(20_000);
        if (SCREENSHOT) {
          mkdirSync(join(root, 'docs/images'), { recursive: true });
          writeFileSync(join(root, 'docs/images/dashboard.png'), quantizePng(png, 256));
        }
      }
      await page.waitForTimeout(50);
    }
    expect(await card(executionId).getAttribute('data-state')).toBe('filled');
    // The bar moved through partial fills: it advanced, not jumped from nothing to done.
    expect(seen.filter((value) => value > 0 && value < 0.6).length).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(screenshotTaken).toBe(true);

    const history = await api<Array<{ report: ExecutionReport; pending: boolean }>>('GET', 'api/history');
    const report = history.body.find((entry) => entry.report.id === executionId)!.report;
    expect(report.status).toBe('filled');
    expect(Number(await card(executionId).getAttribute('data-filled'))).toBe(report.filledQuantity);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(report.filledQuantity);
    expect(await card(executionId).locator('[data-field=fillCount]').textContent()).toBe(String(report.fills.length));
    expect(await card(executionId).locator('[data-field=slippageBps]').textContent()).toBe(`${report.slippageBps! > 0 ? '+' : ''}${report.slippageBps!.toFixed(2)} bps`);

    // The chart's buy-fill series holds exactly the report's fills (read from Chart.js in the page).
    const chart = await page.evaluate<{ fills: Array<{ x: number; y: number }>; mids: number }, string>(
      (symbol) => {
        const found = (globalThis as unknown as { __dashboard: { charts: Record<string, { data: { datasets: Array<{ data: Array<{ x: number; y: number }> }> } }> } }).__dashboard.charts[symbol]!;
        return { fills: found.data.datasets[1]!.data, mids: found.data.datasets[0]!.data.length };
      },
      SYMBOL,
    );
    expect(chart.fills.map((point) => [point.x, point.y])).toEqual(report.fills.map((fill) => [fill.ts, fill.price]));
    expect(chart.mids).toBeGreaterThan(30);

    // The market state of the symbol: top of book and the monitor's state.
    const market = page.locator(`.market[data-symbol="${SYMBOL}"]`);
    const mid = Number((await market.locator('[data-field=mid]').textContent())!.replace(/^mid|,/g, ''));
    expect(mid).toBeGreaterThan(50_000);
    expect(mid).toBeLessThan(70_000);
    expect(await market.locator('[data-field=state]').textContent()).toMatch(/^state(not classified yet|[a-z-]+ \(\d+%\))$/);
    expect(await page.locator('#metrics table').count()).toBeGreaterThan(0);

    // The history table lists the completed execution.
    const row = page.locator(`#history-table tbody tr[data-execution-id="${executionId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getAttribute('data-status')).toBe('filled');
  }, 120_000);

  it('cancels an execution from its card after the confirm dialog', async () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    const executionId = await submit({ symbol: SYMBOL, side: 'sell', type: 'twap', quantity: 0.5, params: { durationMs: 240_000, slices: 12 } });
    await card(executionId).locator('button.cancel').waitFor({ timeout: 10_000 });
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await card(executionId).locator('button.cancel').click();
    await page.waitForSelector(`.card[data-execution-id="${executionId}"][data-state="cancelled"]`, { timeout: 15_000 });
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain(`Cancel execution ${executionId}`);
    const state = await api<Snapshot>('GET', 'api/state');
    expect(state.body.executions.find((execution) => execution.executionId === executionId)?.state).toBe('cancelled');
  }, 60_000);

  it('engages the kill switch after the confirm dialog: the server reports it engaged and no execution is left working', async () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    const executionId = await submit({ symbol: SYMBOL, side: 'buy', type: 'twap', quantity: 0.4, params: { durationMs: 240_000, slices: 12 } });
    await card(executionId).locator('button.cancel').waitFor({ timeout: 10_000 });
    // Dismissing the dialog does nothing.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.locator('#kill-button').click();
    expect((await api<Snapshot>('GET', 'api/state')).body.killSwitch.engaged).toBe(false);
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.locator('#kill-button').click();
    await page.waitForSelector('#kill-result[data-completed="true"]', { timeout: 20_000 });
    expect(dialogs[0]).toContain('Engage the kill switch?');
    expect(await page.locator('#kill-result').textContent()).toMatch(/^Kill switch engaged \(engaged from the dashboard\): 1 execution\(s\) stopped, no working order left/);
    const state = await api<Snapshot>('GET', 'api/state');
    expect(state.body.killSwitch).toMatchObject({ engaged: true, completed: true, reason: 'engaged from the dashboard' });
    expect(state.body.executions.filter((execution) => execution.state === 'working')).toEqual([]);
    expect(state.body.executions.find((execution) => execution.executionId === executionId)?.state).toBe('cancelled');
    await page.waitForSelector(`.card[data-execution-id="${executionId}"][data-state="cancelled"]`, { timeout: 10_000 });
    // New orders are refused while the switch is engaged.
    const refused = await api<{ error: string; kind: string }>('POST', 'api/executions', { symbol: SYMBOL, side: 'buy', type: 'market', quantity: 0.01 });
    expect(refused.status).toBe(409);
    expect(refused.body.kind).toBe('risk');
  }, 60_000);

  it('made no console errors, no failed requests and no request to anywhere but its own server', () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});

describe('tranche serve: the dashboard behind a token, in headless Chromium', () => {
  const token = 'browser-test-token-9f8e7d6c5b4a';
  const controller = new AbortController();
  let served: Promise<void> | undefined;
  let browser: Browser | undefined;
  let chromiumProblem: string | undefined;
  let url = '';

  beforeAll(async () => {
    try {
      execFileSync('bash', [join(root, 'tools/ensure-chromium.sh')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 300_000 });
    } catch (error) {
      chromiumProblem = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    }
    if (chromiumProblem) return;
    let listening!: (value: string) => void;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    served = runServe({ io: captureIo(), logger: new NoopLogger(), config: { 'journal-sqlite': { path: ':memory:' } }, host: '0.0.0.0', token, port: 0, speed: 'max', register: false, signal: controller.signal, onListening: listening });
    url = (await Promise.race([ready, served.then(() => '')])).replace('0.0.0.0', '127.0.0.1');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: defaultChromiumPath, args: headlessChromiumArgs });
  }, 320_000);

  afterAll(async () => {
    await browser?.close();
    controller.abort();
    await served;
  }, 60_000);

  it('takes the token from ?token=, removes it from the address bar and sends it with every call and the event stream; shows when the data ended', async () => {
    if (chromiumProblem) throw new Error(`Chromium is required: ${chromiumProblem}`);
    const page = await browser!.newPage();
    const statuses: number[] = [];
    const errors: string[] = [];
    page.on('response', (response) => statuses.push(response.status()));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${url}?token=${token}`, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as unknown as { __dashboard?: { connected: boolean; historyLoads: number } }).__dashboard?.connected === true, undefined, { timeout: 15_000 });
    expect(page.url()).toBe(url);
    const answer = await fetch(`${url}api/executions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: 'ETH/USDT', side: 'sell', type: 'market', quantity: 0.5 }),
    });
    const { executionId } = (await answer.json()) as { executionId: string };
    await page.waitForSelector(`.card[data-execution-id="${executionId}"][data-state="filled"]`, { timeout: 15_000 });
    await page.waitForSelector(`#history-table tbody tr[data-execution-id="${executionId}"]`, { timeout: 15_000 });
    expect(await page.locator('.market[data-symbol="ETH/USDT"] [data-field=mid]').textContent()).toMatch(/^mid[\d,.]+$/);
    expect(statuses.filter((status) => status >= 400)).toEqual([]);
    expect(errors).toEqual([]);
    // Replayed in virtual time, a twenty-minute TWAP outlasts the recorded data: the page says the data ended.
    await fetch(`${url}api/executions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.2, params: { durationMs: 20 * 60_000, slices: 10 } }),
    });
    await page.waitForSelector('#data-ended:not([hidden])', { timeout: 30_000 });
    expect(await page.locator('#data-ended').textContent()).toContain('The market data has ended');
    // A page without the token gets nothing.
    const stranger = await browser!.newPage();
    const response = await stranger.goto(url);
    expect(response?.status()).toBe(401);
    await stranger.close();
    await page.close();
  }, 60_000);
});
