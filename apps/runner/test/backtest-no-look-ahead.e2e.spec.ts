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

describe('backtest: no look-ahead', () => {
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
