import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionReportSchema, MarketInfoSchema } from '@tranche/core';
import { startBinanceEmulator, type BinanceEmulator } from '@tranche/testkit';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/**
 * The runner on a real exchange API: `tranche execute --venue ccxt` against the local
 * Binance spot emulator (ccxt's binance class over HTTP and websockets on 127.0.0.1),
 * with live time. A TWAP completes with timeouts after execution, 5xx and 429 injected
 * on 20% of the signed requests: exactly one exchange order per child order, the fills
 * reported are the exchange's own fill log, and the credentials appear in no output.
 */

const API_KEY = 'runner-KEY-7d3e9c1a5b2f4e6d8a0c';
const API_SECRET = 'runner-SECRET-2b4d6f8a0c1e3g5i7k9m';
const dir = mkdtempSync(join(tmpdir(), 'tranche-ccxt-cli-'));
let emulator: BinanceEmulator;
let config: string;

beforeAll(async () => {
  emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, autoMarket: { intervalMs: 100, driftBps: 1, seed: 11 } });
  process.env['RUNNER_TEST_API_KEY'] = API_KEY;
  process.env['RUNNER_TEST_API_SECRET'] = API_SECRET;
  config = join(dir, 'ccxt.json');
  writeFileSync(
    config,
    JSON.stringify({
      max_retries: 10,
      'journal-sqlite': { path: ':memory:' },
      'venue-ccxt': {
        credentials: { env: { apiKey: 'RUNNER_TEST_API_KEY', secret: 'RUNNER_TEST_API_SECRET' } },
        timeoutMs: 1_000,
        pollIntervalMs: 100,
        reconnectDelayMs: 50,
      },
    }),
  );
});

afterAll(async () => {
  await emulator.close();
});

async function tranche(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out.text, err: io.err.text };
}

const venueFlags = (): string[] => ['--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config];

describe('tranche on a ccxt exchange (the local Binance emulator)', () => {
  it('tranche venues lists the paper and the ccxt venue', async () => {
    const { code, out } = await tranche('venues');
    expect(code).toBe(0);
    expect(out).toMatch(/^paper\s+venue-paper\s/m);
    expect(out).toMatch(/^ccxt\s+venue-ccxt\s/m);
  });

  it("tranche markets prints the exchange's real rules for BTC/USDT", async () => {
    const { code, out, err } = await tranche('markets', ...venueFlags(), '--symbol', 'BTC/USDT', '--json');
    expect(code, err).toBe(0);
    const market = MarketInfoSchema.parse(JSON.parse(out));
    expect(market).toMatchObject({ symbol: 'BTC/USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 10 });
    const text = await tranche('markets', ...venueFlags(), '--symbol', 'BTC/USDT');
    expect(text.out).toMatch(/BTC\/USDT\s+0\.01\s+0\.00001\s+0\.00001\s+9000\s+10 USDT/);
  }, 30_000);

  it('a TWAP completes with 20% faults: one exchange order per child, the fills of the exchange log, no credentials in any output', async () => {
    const before = new Set(emulator.orders().map((order) => order.clientOrderId));
    const fillsBefore = emulator.fills().length;
    emulator.setFaults({ rate: 0.2, kinds: ['timeout-after-execute', '5xx', '429'], seed: 5, scope: 'private' });
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.03, params: { durationMs: 5_000, slices: 6, urgency: 'high', completion: 'sweep' } };
    const { code, out, err } = await tranche('execute', ...venueFlags(), '--json', '--order', JSON.stringify(order));
    emulator.setFaults({ rate: 0, kinds: [] });
    expect(code, err).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(out));
    expect(report.strategy).toBe('twap');
    expect(report.status).toBe('filled');
    expect(report.filledQuantity).toBeCloseTo(0.03, 9);
    expect(emulator.faultLog().length).toBeGreaterThan(0);

    const exchangeOrders = emulator.orders().filter((candidate) => !before.has(candidate.clientOrderId));
    const count = new Map<string, number>();
    for (const candidate of exchangeOrders) count.set(candidate.clientOrderId, (count.get(candidate.clientOrderId) ?? 0) + 1);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    for (const child of report.childOrders.filter((candidate) => candidate.filledQuantity > 0)) expect(count.get(child.clientOrderId), child.clientOrderId).toBe(1);

    const exchangeFills = emulator.fills().slice(fillsBefore);
    expect(report.fills.length).toBe(exchangeFills.length);
    expect(exchangeFills.reduce((sum, fill) => sum + fill.qty, 0)).toBeCloseTo(report.filledQuantity, 9);
    const reported = report.fills.map((fill) => `${fill.clientOrderId}@${fill.price}x${fill.quantity}`).sort();
    expect(reported).toEqual(exchangeFills.map((fill) => `${fill.clientOrderId}@${fill.price}x${fill.qty}`).sort());

    for (const text of [out, err]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_SECRET);
    }
  }, 90_000);

  it('bad input: an unknown venue, and replay flags with a live venue, are refused naming the flag', async () => {
    const unknown = await tranche('execute', '--venue', 'nasdaq', '--order', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":1}');
    expect(unknown.code).toBe(EXIT_INVALID_INPUT);
    expect(unknown.err).toMatch(/invalid --venue: must be one of paper, ccxt, got "nasdaq"/);
    const data = await tranche('execute', ...venueFlags(), '--data', dir, '--order', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":1}');
    expect(data.code).toBe(EXIT_INVALID_INPUT);
    expect(data.err).toMatch(/invalid --data: it sets the replay of recorded data, which --venue ccxt does not use/);
  });
});
