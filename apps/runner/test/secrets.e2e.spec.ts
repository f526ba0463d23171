import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExecutionReportSchema } from '@tranche/core';
import { startBinanceEmulator, type BinanceEmulator } from '@tranche/testkit';
import { main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/**
 * Secrets never leave the process: the runner executes on the local Binance emulator
 * with credentials from an owner-only key file, at debug log level and with --verbose
 * (stack traces), while timeouts after execution, 5xx, 429, dropped sockets and
 * websocket disconnects are injected so that errors are produced and logged. EVERY
 * output is captured: the runner's stdout and stderr, anything written straight to
 * process.stdout / process.stderr or the console (the logger, ccxt itself), the JSON
 * report, `tranche history` output, and every file the run wrote (history and journal
 * SQLite files with their WAL, the report saved to disk). None may hold the API key,
 * the secret, or a `signature=` query string.
 */

const API_KEY = 'secretsKEY7Qm2x9Lp4Vw8Rt6Yz1Nc3Hb5';
const API_SECRET = 'secretsSECRETg7Jk2Pq9Xs4Wd8Zf1Lm6Nv3';
const dir = mkdtempSync(join(tmpdir(), 'tranche-secrets-'));
const keyFile = join(dir, 'binance-key.json');
const history = join(dir, 'state', 'history.db');
const journal = join(dir, 'state', 'journal.db');
let emulator: BinanceEmulator;

/** Everything written to the process's own streams and console while `run` runs. */
async function captureProcessOutput<T>(run: () => Promise<T>): Promise<{ result: T; text: string }> {
  const chunks: string[] = [];
  const keep = (chunk: unknown): void => void chunks.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method).mockImplementation((...args: unknown[]) => keep(args.map(String).join(' ')))),
  ];
  try {
    const result = await run();
    return { result, text: chunks.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** Every file under `root`, as text (binary files read as latin1 so byte strings still match). */
function filesUnder(root: string): Array<{ path: string; text: string }> {
  return readdirSync(root, { recursive: true })
    .map((name) => join(root, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

function expectNoSecrets(where: string, text: string): void {
  expect(text, where).not.toContain(API_KEY);
  expect(text, where).not.toContain(API_SECRET);
  expect(text, where).not.toMatch(/signature=(?!\*\*\*)[0-9a-f]{16,}/i);
  expect(text, where).not.toMatch(/X-MBX-APIKEY["']?\s*[:=]\s*["']?(?!\*\*\*)\w{8,}/i);
}

function config(extra: Record<string, unknown> = {}): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      max_retries: 10,
      'journal-sqlite': { path: history },
      'venue-ccxt': { credentials: { file: keyFile }, timeoutMs: 1_000, pollIntervalMs: 100, reconnectDelayMs: 50, ...extra },
    }),
  );
  return file;
}

beforeAll(async () => {
  emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, autoMarket: { intervalMs: 100, driftBps: 1, seed: 3 } });
  writeFileSync(keyFile, JSON.stringify({ apiKey: API_KEY, secret: API_SECRET }), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
});

afterAll(async () => {
  await emulator.close();
});

const venueFlags = (file: string): string[] => ['--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', file];

describe('secrets never appear in any output', () => {
  it('a TWAP with faults at debug level: stdout, stderr, console, report, history and journal files hold no key, secret or signature', async () => {
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.02, params: { durationMs: 2_000, slices: 3, urgency: 'high', completion: 'sweep' } };
    emulator.setFaults({ rate: 0.2, kinds: ['timeout-after-execute', '5xx', '429', 'drop-socket', 'ws-disconnect', 'drop-ws-fill'], seed: 17, scope: 'private' });
    const io = captureIo();
    const { result: code, text: processOutput } = await captureProcessOutput(() =>
      main(['execute', ...venueFlags(config()), '--json', '--log-level', 'debug', '--verbose', '--journal', journal, '--order', JSON.stringify(order)], io),
    );
    emulator.setFaults({ rate: 0, kinds: [] });
    expect(code, io.err.text).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(io.out.text));
    expect(report.filledQuantity).toBeGreaterThan(0);
    expect(emulator.faultLog().length).toBeGreaterThan(0);
    // The logs are really there (debug lines and the errors the faults produced), and hold nothing secret.
    expect(processOutput).toMatch(/"level":"debug"/);
    expect(processOutput).toMatch(/venue call failed|order poll failed|re-connecting|timed out|timeout/i);
    writeFileSync(join(dir, 'report.json'), io.out.text);

    const historyIo = captureIo();
    const { text: historyProcessOutput } = await captureProcessOutput(() => main(['history', '--config', config(), '--json'], historyIo));

    const outputs: Array<[string, string]> = [
      ['stdout', io.out.text],
      ['stderr', io.err.text],
      ['process streams and console', processOutput],
      ['tranche history', historyIo.out.text + historyIo.err.text + historyProcessOutput],
      ...filesUnder(dir).filter(({ path }) => path !== keyFile).map(({ path, text }): [string, string] => [path, text]),
    ];
    expect(outputs.some(([where]) => where.startsWith(join(dir, 'state')))).toBe(true);
    for (const [where, text] of outputs) expectNoSecrets(where, text);
  }, 90_000);

  it('every signed request dropped: the signed URLs are logged with signature=*** and the key nowhere', async () => {
    emulator.setFaults({ rate: 1, kinds: ['drop-socket'], seed: 1, scope: 'private' });
    const io = captureIo();
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001 };
    const file = join(dir, 'failing-config.json');
    writeFileSync(file, JSON.stringify({ max_retries: 1, 'journal-sqlite': { path: history }, 'venue-ccxt': { credentials: { file: keyFile }, timeoutMs: 1_000, pollIntervalMs: 100, orderStreams: false, options: { recvWindow: 1_000 } } }));
    const { text: processOutput } = await captureProcessOutput(() => main(['execute', ...venueFlags(file), '--json', '--log-level', 'debug', '--verbose', '--order', JSON.stringify(order)], io));
    emulator.setFaults({ rate: 0, kinds: [] });
    const all = io.out.text + io.err.text + processOutput;
    // The failures were logged with their signed URLs, redacted: the redaction really ran on this path.
    expect(all).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/order\?[^ "]*signature=\*\*\*/);
    for (const [where, text] of [['run', all], ...filesUnder(join(dir, 'state')).map(({ path, text }) => [path, text])] as Array<[string, string]>) expectNoSecrets(where, text);
  }, 60_000);

  it('a wrong secret (every signed request refused) and a group-readable key file: warned, refused, nothing secret printed', async () => {
    const wrongFile = join(dir, 'wrong-key.json');
    const WRONG_SECRET = 'wrongSECRETz9Yx8Wv7Ut6Sr5Qp4On3Ml2';
    writeFileSync(wrongFile, JSON.stringify({ apiKey: API_KEY, secret: WRONG_SECRET }), { mode: 0o644 });
    chmodSync(wrongFile, 0o644);
    const file = join(dir, 'wrong-config.json');
    writeFileSync(file, JSON.stringify({ max_retries: 2, 'journal-sqlite': { path: history }, 'venue-ccxt': { credentials: { file: wrongFile }, timeoutMs: 1_000, pollIntervalMs: 100 } }));
    const io = captureIo();
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001 };
    const { result: code, text: processOutput } = await captureProcessOutput(() => main(['execute', ...venueFlags(file), '--json', '--log-level', 'debug', '--verbose', '--order', JSON.stringify(order)], io));
    const all = io.out.text + io.err.text + processOutput;
    expect(all).toMatch(/API key file is readable by group or others: restrict it \(chmod 600\)/);
    if (code === 0) expect(ExecutionReportSchema.parse(JSON.parse(io.out.text)).filledQuantity).toBe(0);
    for (const [where, text] of [['run', all], ...filesUnder(join(dir, 'state')).map(({ path, text }) => [path, text])] as Array<[string, string]>) {
      expectNoSecrets(where, text);
      expect(text, where).not.toContain(WRONG_SECRET);
    }
  }, 60_000);

  it('ccxt verbose mode is refused before anything is sent', async () => {
    const { text } = await captureProcessOutput(async () => {
      const io = captureIo();
      const code = await main(['execute', ...venueFlags(config({ options: { verbose: true } })), '--order', JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001 })], io);
      expect(code).toBe(2);
      expect(io.err.text).toMatch(/invalid config: venue-ccxt\.options must not set "verbose"/);
      return code;
    });
    expectNoSecrets('verbose run', text);
  });
});
