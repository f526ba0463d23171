import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionReportSchema, KillSwitch, MemoryLogger } from '@tranche/core';
import { startBinanceEmulator, type BinanceEmulator } from '@tranche/testkit';
import { composeRunner } from '../src/compose.js';
import { main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/**
 * The kill switch against the local Binance spot emulator (ccxt, live time): a TWAP with
 * resting children is stopped in-process and, in a child-process runner, by `tranche
 * kill` (SIGTERM → its kill switch). Afterwards the exchange holds no working order of
 * the run and the parent is `cancelled`.
 */

const TRANCHE_BIN = fileURLToPath(new URL('../bin/tranche.js', import.meta.url));
const API_KEY = 'kill-KEY-5e1c7a9b3d2f4a6c8e0b';
const API_SECRET = 'kill-SECRET-8c6a4e2g0i9k7m5o3q1s';
const dir = mkdtempSync(join(tmpdir(), 'tranche-kill-'));
let emulator: BinanceEmulator;
let config: string;

/** A buy TWAP whose children all rest: its limit is far below the market. */
const restingTwap = (id: string) => ({
  id,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'twap',
  quantity: 0.02,
  params: { durationMs: 60_000, slices: 4, urgency: 'low', limitPrice: 50_000, completion: 'best-effort' },
});

beforeAll(async () => {
  emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, autoMarket: { intervalMs: 100, driftBps: 1, seed: 3 } });
  process.env['KILL_TEST_API_KEY'] = API_KEY;
  process.env['KILL_TEST_API_SECRET'] = API_SECRET;
  config = join(dir, 'ccxt.json');
  writeFileSync(
    config,
    JSON.stringify({
      'journal-sqlite': { path: ':memory:' },
      'venue-ccxt': {
        credentials: { env: { apiKey: 'KILL_TEST_API_KEY', secret: 'KILL_TEST_API_SECRET' } },
        timeoutMs: 2_000,
        pollIntervalMs: 100,
      },
    }),
  );
});

afterAll(async () => {
  await emulator.close();
});

const ccxtFlags = (): string[] => ['--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config];

/** Exchange orders of a parent (client ids are `{parentId}-{n}`). */
const ordersOf = (parentId: string) => emulator.orders('BTCUSDT').filter((order) => order.clientOrderId.startsWith(`${parentId}-`));
const working = (parentId: string) => ordersOf(parentId).filter((order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED');

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kill switch on the Binance emulator', () => {
  it('in-process: cancels every resting child at the exchange and ends the parent cancelled', async () => {
    const tranche = await composeRunner({ configFile: config, venue: 'ccxt', ccxt: { exchange: 'binance', baseUrl: emulator.restUrl, wsUrl: emulator.wsUrl }, symbols: ['BTC/USDT'], logger: new MemoryLogger() });
    try {
      await tranche.manager.initialize();
      const done = tranche.manager.executeOrder(restingTwap('kill-in-process'));
      await until(() => working('kill-in-process').length > 0, 20_000);
      const result = await tranche.get(KillSwitch).engage('in-process test');
      const report = await done;
      expect(report.status).toBe('cancelled');
      expect(report.endReason).toBe('kill switch: in-process test');
      expect(result.reports.map((entry) => entry.id)).toEqual(['kill-in-process']);
      expect(ordersOf('kill-in-process').length).toBeGreaterThan(0);
      expect(working('kill-in-process')).toEqual([]);
      expect(ordersOf('kill-in-process').every((order) => order.status === 'CANCELED' || order.status === 'FILLED')).toBe(true);
    } finally {
      await tranche.close();
    }
  }, 60_000);

  it('another process: tranche kill sends SIGTERM to the running runner, whose kill switch leaves nothing working', async () => {
    const stateDir = join(dir, 'state');
    const env = { ...process.env, TRANCHE_STATE_DIR: stateDir };
    const child = spawn(process.execPath, [TRANCHE_BIN, 'execute', ...ccxtFlags(), '--json', '--order', JSON.stringify(restingTwap('kill-other'))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => working('kill-other').length > 0, 30_000);
      expect(readdirSync(join(stateDir, 'runners'))).toEqual([`${child.pid}.json`]);
      const previous = process.env['TRANCHE_STATE_DIR'];
      process.env['TRANCHE_STATE_DIR'] = stateDir;
      const io = captureIo();
      let code: number;
      try {
        code = await main(['kill', '--timeout', '20000'], io);
      } finally {
        if (previous === undefined) delete process.env['TRANCHE_STATE_DIR'];
        else process.env['TRANCHE_STATE_DIR'] = previous;
      }
      expect(code, io.err.text).toBe(0);
      expect(io.out.text).toContain(`runner ${child.pid} stopped`);
      expect(await exited, stderr).toBe(0);
      const report = ExecutionReportSchema.parse(JSON.parse(stdout));
      expect(report.status).toBe('cancelled');
      expect(report.endReason).toBe('kill switch: SIGTERM received');
      expect(stderr, stderr).toContain('kill switch completed');
      expect(working('kill-other')).toEqual([]);
      expect(readdirSync(join(stateDir, 'runners'))).toEqual([]);
      // Nothing left to kill.
      process.env['TRANCHE_STATE_DIR'] = stateDir;
      const again = captureIo();
      expect(await main(['kill'], again)).toBe(0);
      expect(again.out.text).toContain('no running tranche runner');
    } finally {
      delete process.env['TRANCHE_STATE_DIR'];
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('a runner that is gone (SIGKILL): tranche kill --journal cancels its working orders from the journal and ends its parent', async () => {
    const stateDir = join(dir, 'state-gone');
    const journal = join(dir, 'gone.db');
    const env = { ...process.env, TRANCHE_STATE_DIR: stateDir };
    const child = spawn(process.execPath, [TRANCHE_BIN, 'execute', ...ccxtFlags(), '--journal', journal, '--json', '--order', JSON.stringify(restingTwap('kill-gone'))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    try {
      await until(() => working('kill-gone').length > 0, 30_000);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(working('kill-gone').length).toBeGreaterThan(0);
      process.env['TRANCHE_STATE_DIR'] = stateDir;
      const io = captureIo();
      const code = await main(['kill', '--journal', journal], io);
      expect(code, io.err.text).toBe(0);
      expect(io.out.text).toContain(`runner ${child.pid} is gone: cancelling from its journal`);
      expect(io.out.text).toMatch(/kill-gone: cancelled .*tranche kill \(runner gone\)/);
      expect(working('kill-gone')).toEqual([]);
      expect(readdirSync(join(stateDir, 'runners'))).toEqual([]);
      // The journal holds no unfinished execution any more.
      const again = captureIo();
      expect(await main(['kill', '--journal', journal], again)).toBe(0);
      expect(again.out.text).toContain('every execution has ended');
    } finally {
      delete process.env['TRANCHE_STATE_DIR'];
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('a resumed runner (tranche resume after a SIGKILL) is stopped by tranche kill --journal through its own kill switch', async () => {
    const stateDir = join(dir, 'state-resume');
    const journal = join(dir, 'resume.db');
    const env = { ...process.env, TRANCHE_STATE_DIR: stateDir };
    const first = spawn(process.execPath, [TRANCHE_BIN, 'execute', ...ccxtFlags(), '--journal', journal, '--json', '--order', JSON.stringify(restingTwap('kill-resume'))], { env, stdio: 'ignore' });
    const firstExited = new Promise<void>((resolve) => first.on('exit', () => resolve()));
    await until(() => working('kill-resume').length > 0, 30_000);
    first.kill('SIGKILL');
    await firstExited;
    const before = new Set(ordersOf('kill-resume').map((order) => order.clientOrderId));
    const resumed = spawn(process.execPath, [TRANCHE_BIN, 'resume', '--journal', journal, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    resumed.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    resumed.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => resumed.on('exit', (code) => resolve(code)));
    try {
      // The resumed TWAP works again: a new resting child beyond the ones of the first process.
      await until(() => working('kill-resume').some((order) => !before.has(order.clientOrderId)), 30_000);
      process.env['TRANCHE_STATE_DIR'] = stateDir;
      const io = captureIo();
      expect(await main(['kill', '--journal', journal, '--timeout', '20000'], io), io.err.text).toBe(0);
      expect(io.out.text).toContain(`runner ${resumed.pid} stopped`);
      expect(io.out.text).not.toContain('cancelling from its journal');
      expect(await exited, stderr).toBe(0);
      const [report] = JSON.parse(stdout) as unknown[];
      expect(ExecutionReportSchema.parse(report)).toMatchObject({ id: 'kill-resume', status: 'cancelled', endReason: 'kill switch: SIGTERM received' });
      expect(working('kill-resume')).toEqual([]);
    } finally {
      delete process.env['TRANCHE_STATE_DIR'];
      if (resumed.exitCode === null) resumed.kill('SIGKILL');
    }
  }, 120_000);
});
