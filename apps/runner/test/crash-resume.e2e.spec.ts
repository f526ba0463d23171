import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinanceEmulator, type BinanceEmulator } from '@tranche/testkit';
import { closeJournalCounters, inspectRun, journalEventCount, runPool, runTranche, seededRandom, type KillPlan } from './crash-harness.js';

/**
 * Crash and resume (issue 8): the CLI runs a TWAP on the local Binance emulator as a
 * child process with `--journal`, is SIGKILLed at seeded random moments or journal event
 * counts (during
 * `execute` and again during `resume`), and is restarted with `tranche resume --journal`
 * until the parent ends. After each run: the exchange filled no more than the parent,
 * every exchange order is known to the journal, no client id was sent twice, and the
 * parent completed. TRANCHE_CRASH_RUNS sets the number of runs (default 64; each has up
 * to 8 kill points) for a longer soak; TRANCHE_CRASH_CONCURRENCY the parallel runs.
 */

const RUNS = Number(process.env['TRANCHE_CRASH_RUNS'] ?? 64);
const CONCURRENCY = Number(process.env['TRANCHE_CRASH_CONCURRENCY'] ?? 6);
const MAX_KILLS_PER_RUN = 8;
const QUANTITY = 0.01;
/** BTC/USDT step on the emulator. */
const STEP = 0.00001;
const API_KEY = 'crash-KEY-1f2e3d4c5b6a79880';
const API_SECRET = 'crash-SECRET-9a8b7c6d5e4f3a2b1';
const dir = mkdtempSync(join(tmpdir(), 'tranche-crash-'));
let emulator: BinanceEmulator;
let config: string;
const env = { ...process.env, CRASH_API_KEY: API_KEY, CRASH_API_SECRET: API_SECRET };

beforeAll(async () => {
  emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, autoMarket: { intervalMs: 100, driftBps: 1, seed: 3 } });
  config = join(dir, 'ccxt.json');
  writeFileSync(
    config,
    JSON.stringify({
      max_retries: 10,
      'journal-sqlite': { path: join(dir, 'history.db') },
      'venue-ccxt': {
        credentials: { env: { apiKey: 'CRASH_API_KEY', secret: 'CRASH_API_SECRET' } },
        timeoutMs: 2_000,
        pollIntervalMs: 100,
        reconnectDelayMs: 50,
      },
    }),
  );
});

afterAll(async () => {
  closeJournalCounters();
  await emulator?.close();
});

interface RunResult {
  seed: number;
  kills: number;
  processes: number;
  /** Processes that did not exit within the guard time and were killed (counted, reported, then resumed like a kill). */
  hangs: number;
}

/** A process that does not exit by then is a hang: killed, reported in the output, and resumed. */
const HANG_GUARD_MS = 30_000;

async function crashRun(seed: number): Promise<RunResult> {
  const random = seededRandom(seed * 7919 + 1);
  const id = `k${seed}`;
  const journal = join(dir, `${id}.db`);
  // Buys and sells alternate so that parallel runs do not drain one side of the emulator's shared book.
  const order = { id, symbol: 'BTC/USDT', side: seed % 2 === 0 ? 'sell' : 'buy', type: 'twap', quantity: QUANTITY, params: { durationMs: 4_000, slices: 4, urgency: 'high', completion: 'sweep' } };
  const execute = ['execute', '--venue', 'ccxt', '--exchange', 'binance', '--base-url', emulator.restUrl, '--ws-url', emulator.wsUrl, '--config', config, '--json', '--journal', journal, '--order', JSON.stringify(order)];
  const resume = ['resume', '--journal', journal, '--json'];
  let kills = 0;
  let processes = 0;
  let hangs = 0;
  let args = execute;
  for (;;) {
    // Kill points spread over the start-up (~0.7 s), the 4 s schedule and the end; a resume is shorter, so is its range.
    const range = args === execute ? 3_000 : 1_600;
    let kill: KillPlan = {};
    if (kills < MAX_KILLS_PER_RUN && random() < 0.85) {
      if (random() < 0.65) {
        kill = { afterMs: Math.round(100 + random() * range) };
      } else {
        // At a random journal event count: right after an intent, an acknowledgement or a fill was made durable.
        const target = journalEventCount(journal) + 1 + Math.floor(random() * 6);
        kill = { when: () => journalEventCount(journal) >= target };
      }
    }
    const outcome = await runTranche(args, env, dir, kill, HANG_GUARD_MS);
    processes++;
    if (outcome.hung) {
      hangs++;
      process.stdout.write(`crash-resume: seed ${seed}: ${args[0]} did not exit within ${HANG_GUARD_MS} ms; killed and resumed (stderr tail: ${outcome.stderr.slice(-300)})\n`);
      args = resume;
      continue;
    }
    if (outcome.killed) {
      kills++;
      args = resume;
      continue;
    }
    if (args === resume && outcome.code === 2 && /no journal at|holds no run settings/.test(outcome.stderr)) {
      // Killed before the run was journaled: nothing was sent; the order is submitted again.
      args = execute;
      continue;
    }
    expect(outcome.code, `seed ${seed} (${args[0]}): exit ${outcome.code}: ${outcome.stderr.slice(-2_000)}`).toBe(0);
    const findings = await inspectRun(journal, emulator, id);
    if (!findings.started) {
      // Killed after the settings were saved but before the order started: submitted again.
      args = execute;
      continue;
    }
    expect(findings.exchangeFilled, `seed ${seed}: overfilled`).toBeLessThanOrEqual(QUANTITY + 1e-12);
    expect(findings.unknownAtExchange, `seed ${seed}: exchange orders unknown to the journal`).toEqual([]);
    expect(findings.duplicatedAtExchange, `seed ${seed}: client id at the exchange twice`).toEqual([]);
    expect(findings.reIntended, `seed ${seed}: client id intended twice`).toEqual([]);
    expect(findings.ended, `seed ${seed}: the parent did not end`).toBeDefined();
    // Complete: filled to within one step (the emulator can fill an IOC by an amount off the step grid, leaving less than a step).
    expect(findings.ended!.filledQuantity, `seed ${seed}: ${findings.ended!.status}, ${findings.ended!.reason}`).toBeGreaterThanOrEqual(QUANTITY - STEP - 1e-12);
    expect(findings.ended!.filledQuantity, `seed ${seed}: journal vs exchange fills`).toBeCloseTo(findings.exchangeFilled, 9);
    return { seed, kills, processes, hangs };
  }
}

describe('crash and resume on the Binance emulator (SIGKILL at random points)', () => {
  it(`${RUNS} seeded runs, each killed up to ${MAX_KILLS_PER_RUN} times, complete with nothing lost or duplicated`, async () => {
    const started = performance.now();
    const results = await runPool(RUNS, CONCURRENCY, (index) => crashRun(index + 1));
    const kills = results.reduce((sum, result) => sum + result.kills, 0);
    const processes = results.reduce((sum, result) => sum + result.processes, 0);
    const hangs = results.reduce((sum, result) => sum + result.hangs, 0);
    const seconds = ((performance.now() - started) / 1_000).toFixed(1);
    // The count is part of the result: CI logs show how many kill points were exercised.
    process.stdout.write(`crash-resume: ${kills} kill points over ${RUNS} runs (${processes} processes, ${hangs} hung at exit) in ${seconds} s\n`);
    expect(kills).toBeGreaterThan(RUNS);
  }, 600_000);
});
