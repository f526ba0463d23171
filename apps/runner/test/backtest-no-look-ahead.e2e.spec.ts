import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '@tranche/core';
import { bundledDataDir } from '@tranche/feed-replay';
import { runBacktest, type BacktestResult, type BacktestRun } from '../src/index.js';

/**
 * No look-ahead: the backtest's decisions before a moment T may depend only on data
 * before T. The same grid runs on the bundled BTC/USDT capture and on a copy whose data
 * after T is changed (trade prices +30 bps, trade and depth quantities ×3); every
 * decision made before T — which orders start, their sizes, each child order's time,
 * type, price and quantity, the fills and the schedule, the market state at the start —
 * must be the same, while what happens after T does change.
 */

const CAPTURE = 'binance-spot_BTCUSDT_20240808-09';
const T = Date.parse('2024-08-08T23:59:45Z');

/** Copies the BTC capture, changing every row whose exchange time is after T. */
function shiftedCapture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-lookahead-'));
  const rewrite = (suffix: string, change: (cells: string[]) => void): void => {
    const lines = gunzipSync(readFileSync(join(bundledDataDir(), `${CAPTURE}_${suffix}.csv.gz`))).toString('utf8').split('\n');
    const header = lines[0]!.split(',');
    const tsColumn = header.indexOf('exch_ts_ms');
    const out = lines.map((line, index) => {
      if (index === 0 || line === '') return line;
      const cells = line.split(',');
      const ts = Number(cells[tsColumn]);
      if (cells[tsColumn] !== '' && ts > T) change(cells);
      return cells.join(',');
    });
    writeFileSync(join(dir, `${CAPTURE}_${suffix}.csv.gz`), gzipSync(out.join('\n')));
  };
  rewrite('trades', (cells) => {
    cells[3] = (Number(cells[3]) * 1.003).toFixed(2);
    cells[4] = (Number(cells[4]) * 3).toFixed(8);
  });
  rewrite('depth', (cells) => {
    if (cells[2] === 'update') cells[8] = (Number(cells[8]) * 3).toFixed(8);
  });
  rewrite('bookticker', () => undefined);
  return dir;
}

async function backtest(data: string): Promise<BacktestResult> {
  return runBacktest({
    data,
    logger: new MemoryLogger(),
    config: { 'feed-replay': { cacheDir: false }, 'journal-sqlite': { path: ':memory:' } },
    grid: {
      symbols: ['BTC/USDT'],
      strategies: ['market', 'limit', 'twap', 'vwap', 'iceberg', 'adaptive', 'auto'],
      sizes: [0.05],
      durationsMs: [60_000],
      startEveryMs: 60_000,
      warmupMs: 60_000,
      seed: 3,
    },
  });
}

/** What a run had decided and seen by T. */
function before(run: BacktestRun) {
  return {
    id: run.id,
    startTs: run.startTs,
    quantity: run.quantity,
    requestedStrategy: run.requestedStrategy,
    strategy: run.strategy,
    arrivalPrice: run.arrivalPrice,
    marketState: run.marketState,
    children: (run.children ?? []).filter((child) => child.createdAt < T).map(({ clientOrderId, createdAt, type, price, quantity }) => ({ clientOrderId, createdAt, type, price, quantity })),
    fills: run.fills.filter((fill) => fill.ts < T),
    schedule: run.schedule.filter((point) => point.ts < T),
  };
}

describe('backtest on tick captures: no look-ahead', () => {
  let original: BacktestResult;
  let shifted: BacktestResult;

  beforeAll(async () => {
    original = await backtest(bundledDataDir());
    shifted = await backtest(shiftedCapture());
  }, 120_000);

  it('runs the same orders: start times and sizes come from data before each start', () => {
    const starts = (result: BacktestResult) => result.runs.filter((run) => run.startTs < T).map((run) => [run.id, run.startTs, run.quantity]);
    expect(starts(shifted)).toEqual(starts(original));
    expect(original.runs.filter((run) => run.startTs < T).length).toBeGreaterThanOrEqual(40);
  });

  it('makes every decision before T identically: child orders, fills, schedule, market state', () => {
    const byId = new Map(shifted.runs.map((run) => [run.id, run]));
    let compared = 0;
    for (const run of original.runs.filter((candidate) => candidate.startTs < T)) {
      const twin = byId.get(run.id);
      expect(twin, run.id).toBeDefined();
      expect(before(twin!), run.id).toEqual(before(run));
      if (run.endTs < T) expect(twin, run.id).toEqual(run);
      compared += (run.children ?? []).filter((child) => child.createdAt < T).length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('does see the changed future after T (the check can fail)', () => {
    const prices = (result: BacktestResult) => result.runs.flatMap((run) => run.fills.filter((fill) => fill.ts > T).map((fill) => fill.price));
    const after = prices(original);
    expect(after.length).toBeGreaterThan(0);
    expect(prices(shifted)).not.toEqual(after);
  });
});

/**
 * The same on 1m candles through the candle fill model: a copy of a bundled day whose
 * bars after T_CANDLES are changed (prices +50 bps, volume ×3) changes no decision
 * before T_CANDLES (a bar's synthetic events never show before its own minute).
 */
const CANDLE_FILE = 'binance-spot_BTCUSDT_1m_2023-09-09.csv.gz';
const T_CANDLES = Date.parse('2023-09-09T13:00:00Z');

function shiftedCandles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-lookahead-candles-'));
  const lines = gunzipSync(readFileSync(join(bundledDataDir(), 'candles', CANDLE_FILE))).toString('utf8').split('\n');
  const out = lines.map((line, index) => {
    const cells = line.split(',');
    if (index === 0 || line === '' || Number(cells[0]) < T_CANDLES) return line;
    for (const column of [1, 2, 3, 4]) cells[column] = (Number(cells[column]) * 1.005).toFixed(2);
    cells[5] = (Number(cells[5]) * 3).toFixed(8);
    return cells.join(',');
  });
  const file = join(dir, CANDLE_FILE);
  writeFileSync(file, gzipSync(out.join('\n')));
  return file;
}

async function candleBacktest(candles: string): Promise<BacktestResult> {
  return runBacktest({
    candles,
    logger: new MemoryLogger(),
    config: { 'journal-sqlite': { path: ':memory:' } },
    grid: { strategies: ['market', 'limit', 'twap', 'vwap', 'iceberg', 'adaptive', 'auto'], sizes: [0.05], durationsMs: [600_000], startEveryMs: 3_600_000, seed: 5 },
  });
}

describe('backtest on candles: no look-ahead', () => {
  let original: BacktestResult;
  let shifted: BacktestResult;

  beforeAll(async () => {
    original = await candleBacktest(join(bundledDataDir(), 'candles', CANDLE_FILE));
    shifted = await candleBacktest(shiftedCandles());
  }, 120_000);

  it('makes every decision before T identically, and sees the changed future after it', () => {
    const byId = new Map(shifted.runs.map((run) => [run.id, run]));
    const early = original.runs.filter((run) => run.startTs < T_CANDLES);
    expect(early.length).toBeGreaterThanOrEqual(7 * 2 * 10);
    for (const run of early) {
      const twin = byId.get(run.id)!;
      expect(twin, run.id).toBeDefined();
      const decided = (candidate: BacktestRun) => ({
        startTs: candidate.startTs,
        quantity: candidate.quantity,
        strategy: candidate.strategy,
        children: (candidate.children ?? []).filter((child) => child.createdAt < T_CANDLES).map(({ createdAt, type, price, quantity }) => ({ createdAt, type, price, quantity })),
        fills: candidate.fills.filter((fill) => fill.ts < T_CANDLES),
      });
      expect(decided(twin), run.id).toEqual(decided(run));
    }
    const late = (result: BacktestResult) => result.runs.filter((run) => run.startTs >= T_CANDLES).map((run) => [run.quantity, run.averagePrice]);
    expect(late(shifted)).not.toEqual(late(original));
  });
});
