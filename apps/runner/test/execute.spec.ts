import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExecutionReportSchema, type ExecutionReport } from '@tranche/core';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';

const runnerRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(runnerRoot, 'bin', 'tranche.js');

async function execute(order: unknown, ...flags: string[]): Promise<{ code: number; report?: ExecutionReport; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(['execute', '--order', typeof order === 'string' ? order : JSON.stringify(order), '--json', ...flags], io);
  const report = code === 0 ? ExecutionReportSchema.parse(JSON.parse(io.out.text)) : undefined;
  return { code, stdout: io.out.text, stderr: io.err.text, ...(report ? { report } : {}) };
}

describe('tranche execute on the bundled data', () => {
  it('fills a 2 BTC market buy against the recorded book, with a slippage that matches its fills', async () => {
    const { code, report } = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 2 });
    expect(code).toBe(0);
    expect(report!.status).toBe('filled');
    expect(report!.filledQuantity).toBeCloseTo(2, 9);
    const value = report!.fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0);
    const quantity = report!.fills.reduce((sum, fill) => sum + fill.quantity, 0);
    expect(quantity).toBeCloseTo(2, 9);
    const average = value / quantity;
    expect(report!.averagePrice).toBeCloseTo(average, 6);
    expect(report!.slippageBps).toBeCloseTo(((average - report!.arrivalPrice!) / report!.arrivalPrice!) * 10_000, 6);
    // A buy walking the asks pays at least the best ask, which is above the mid.
    expect(report!.slippageBps!).toBeGreaterThan(0);
    const prices = report!.fills.map((fill) => fill.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(report!.fills.every((fill) => fill.liquidity === 'taker')).toBe(true);
    expect(report!.fees).toBeGreaterThan(0);
  });

  it('a limit order that never crosses ends expired with nothing filled', async () => {
    const { code, report } = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.1, price: 50_000, params: { expireAfterMs: 60_000 } });
    expect(code).toBe(0);
    expect(report!.status).toBe('expired');
    expect(report!.filledQuantity).toBe(0);
    expect(report!.childOrders[0]?.status).toBe('cancelled');
  });

  it('a resting limit without expiry ends when the recorded data ends', async () => {
    const { code, report } = await execute({ symbol: 'ETH/USDT', side: 'sell', type: 'limit', quantity: 1, price: 100_000 });
    expect(code).toBe(0);
    expect(report!.status).toBe('expired');
    expect(report!.endReason).toMatch(/market data ended/);
  });

  it('prints a readable report and progress in human mode', async () => {
    const io = captureIo();
    const code = await main(['execute', '--order', JSON.stringify({ symbol: 'BTC/USDT', side: 'sell', type: 'market', quantity: 0.5 })], io);
    expect(code).toBe(0);
    expect(io.err.text).toMatch(/Executing sell 0.5 BTC\/USDT with the market strategy/);
    expect(io.err.text).toMatch(/100\.0% 0\.5\/0\.5 filled/);
    expect(io.out.text).toMatch(/status\s+FILLED/);
    expect(io.out.text).toMatch(/slippage\s+[+-]?\d+\.\d+ bps/);
    expect(io.out.text).toMatch(/Child orders \(1\)/);
  });
});

describe('tranche execute with bad input', () => {
  const order = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 };
  const dir = mkdtempSync(join(tmpdir(), 'tranche-cli-'));
  const badConfig = join(dir, 'bad.json');
  writeFileSync(badConfig, JSON.stringify({ max_retries: 3, max_retires: 4 }));
  const cases: Array<[string, string[], RegExp]> = [
    ['negative quantity', ['--order', JSON.stringify({ ...order, quantity: -1 })], /quantity must be greater than 0, got -1/],
    ['zero quantity', ['--order', JSON.stringify({ ...order, quantity: 0 })], /quantity must be greater than 0, got 0/],
    ['NaN quantity', ['--order', JSON.stringify({ ...order, quantity: 'NaN' })], /quantity must be a number, got "NaN"/],
    ['non-numeric quantity', ['--order', JSON.stringify({ ...order, quantity: 'lots' })], /quantity must be a number, got "lots"/],
    ['unknown symbol', ['--order', JSON.stringify({ ...order, symbol: 'DOGE/USDT' })], /symbol "DOGE\/USDT"/],
    ['unknown side', ['--order', JSON.stringify({ ...order, side: 'long' })], /side must be "buy" or "sell", got "long"/],
    ['unknown type', ['--order', JSON.stringify({ ...order, type: 'teleport' })], /type "teleport" is not an installed strategy/],
    ['limit without price', ['--order', JSON.stringify({ ...order, type: 'limit' })], /price is required for a limit order/],
    ['malformed JSON', ['--order', '{"symbol": "BTC/USDT",'], /invalid order: malformed JSON/],
    ['unknown config key', ['--order', JSON.stringify(order), '--config', badConfig], /unknown key "max_retires"/],
    ['bad speed', ['--order', JSON.stringify(order), '--speed', 'fast'], /--speed.*got "fast"/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: exits 2 with one line naming the field and value`, async () => {
      const io = captureIo();
      const code = await main(['execute', ...args], io);
      expect(code).toBe(EXIT_INVALID_INPUT);
      expect(io.out.text).toBe('');
      const lines = io.err.text.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toMatch(message);
      expect(io.err.text).not.toMatch(/\n\s+at /);
    });
  }
});

describe('the tranche bin', () => {
  it('runs from the workspace bin and exits 0 with a JSON report', () => {
    const result = spawnSync(process.execPath, [bin, 'execute', '--order', JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 }), '--json'], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('filled');
  });

  it('exits non-zero without a stack trace on bad input, and shows one with --verbose', () => {
    const bad = JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: -5 });
    const quiet = spawnSync(process.execPath, [bin, 'execute', '--order', bad], { encoding: 'utf8' });
    expect(quiet.status).toBe(2);
    expect(quiet.stderr.trim()).toBe('error: invalid order: quantity must be greater than 0, got -5');
    const verbose = spawnSync(process.execPath, [bin, 'execute', '--order', bad, '--verbose'], { encoding: 'utf8' });
    expect(verbose.status).toBe(2);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
