import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir, readCandles } from '@tranche/feed-replay';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { EXIT_INVALID_INPUT, main, type BacktestResult } from '../src/index.js';
import { captureIo } from './capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'tranche-backtest-cli-'));
const memoryHistory = join(dir, 'memory.json');
writeFileSync(memoryHistory, JSON.stringify({ 'journal-sqlite': { path: ':memory:' } }));
const GRID = ['--symbols', 'BTC/USDT', '--strategies', 'twap,market,auto', '--sizes', '2%', '--durations', '1m', '--every', '1m'];

async function backtest(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['backtest', ...args], io);
  return { code, out: io.out.text, err: io.err.text };
}

describe('tranche backtest', () => {
  let result: BacktestResult;

  beforeAll(async () => {
    const { code, out, err } = await backtest(...GRID, '--config', memoryHistory, '--json');
    expect(code, err).toBe(0);
    result = JSON.parse(out) as BacktestResult;
  }, 120_000);

  it('runs every lane of the grid on the bundled capture, one order per start time', () => {
    expect(result.data).toMatchObject({ kind: 'ticks', symbols: ['BTC/USDT'] });
    expect(result.grid).toMatchObject({ strategies: ['twap', 'market', 'auto'], sides: ['buy', 'sell'], sizes: [0.02], durationsMs: [60_000] });
    expect(result.timing.sessions).toBe(6);
    const starts = result.grid.startsTs.length;
    expect(starts).toBeGreaterThanOrEqual(7);
    expect(result.runs.length + (result.skipped ?? []).length).toBe(6 * starts);
    for (const run of result.runs) {
      expect(run.startTs).toBeGreaterThanOrEqual(result.data.startTs + 60_000);
      expect(run.startTs + run.durationMs).toBeLessThanOrEqual(result.data.endTs);
    }
  });

  it('every run reconciles: fills sum to the filled quantity, never above the order, inside its window; no client order id twice', () => {
    const ids = new Set<string>();
    for (const run of result.runs) {
      const filled = run.fills.reduce((sum, fill) => sum + fill.quantity, 0);
      expect(filled).toBeCloseTo(run.filledQuantity, 9);
      expect(run.filledQuantity).toBeLessThanOrEqual(run.quantity + 1e-9);
      expect(run.fillRate).toBeCloseTo(run.filledQuantity / run.quantity, 9);
      for (const fill of run.fills) {
        expect(fill.ts).toBeGreaterThanOrEqual(run.startTs);
        expect(fill.ts).toBeLessThanOrEqual(run.endTs);
      }
      const children = run.children ?? [];
      expect(children).toHaveLength(run.childOrders);
      expect(children.reduce((sum, child) => sum + child.filledQuantity, 0)).toBeCloseTo(run.filledQuantity, 9);
      for (const child of children) {
        expect(ids.has(child.clientOrderId), child.clientOrderId).toBe(false);
        ids.add(child.clientOrderId);
      }
      if (run.requestedStrategy !== 'auto') expect(run.strategy).toBe(run.requestedStrategy);
    }
  });

  it('tabulates every run once, per strategy × state × size bucket', () => {
    expect(result.table.reduce((sum, row) => sum + row.count, 0)).toBe(result.runs.length);
    for (const row of result.table) {
      const runs = result.runs.filter((run) => run.requestedStrategy === row.strategy && run.marketState === row.marketState && run.sizeBucket === row.sizeBucket);
      expect(runs).toHaveLength(row.count);
      const shortfalls = runs.map((run) => run.implementationShortfallBps).filter((value): value is number => value !== null);
      expect(row.implementationShortfallBps.mean!).toBeCloseTo(shortfalls.reduce((a, b) => a + b, 0) / shortfalls.length, 9);
    }
    expect(result.prices[0]!.ts.length).toBeGreaterThan(100);
  });

  it('gives the same result every run (virtual time, seeded)', async () => {
    const { out } = await backtest(...GRID, '--config', memoryHistory, '--json');
    const again = JSON.parse(out) as BacktestResult;
    expect({ ...again, timing: null }).toEqual({ ...result, timing: null });
  }, 60_000);

  it('prints a readable table, and writes the HTML report', async () => {
    const html = join(dir, 'report.html');
    const { code, out, err } = await backtest(...GRID, '--strategies', 'twap', '--config', memoryHistory, '--html', html);
    expect(code, err).toBe(0);
    expect(out).toMatch(/^Backtest on tick captures from bundled Binance captures/);
    expect(out).toMatch(/strategy\s+state\s+size\s+runs\s+filled\s+shortfall mean\s+p90\s+vs VWAP mean\s+p90\s+fill rate\s+cost mean\s+p90/);
    expect(out).toMatch(/\n {2}twap\s+\w+\s+(small|medium|large|xlarge)\s+\d+\s+\d+\s+-?\d+\.\d\d/);
    expect(err).toMatch(/100% 2\/2 replays/);
    expect(readFileSync(html, 'utf8')).toMatch(/<canvas/);
  }, 60_000);

  it('--record saves every run to the execution history', async () => {
    const db = join(dir, 'history.db');
    const config = join(dir, 'record.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: db }, backtest: { strategies: ['twap'], sides: ['buy'], sizes: [0.02], durationsMs: [60_000], starts: 3 } }));
    const { code, err } = await backtest('--symbols', 'BTC/USDT', '--config', config, '--record', '--json');
    expect(code, err).toBe(0);
    const store = SqliteExecutionHistoryStore.open({ path: db });
    const records = await store.qualityRecords();
    await store.close();
    expect(records).toHaveLength(3);
    expect(records.every((record) => record.strategy === 'twap' && record.side === 'buy')).toBe(true);
  }, 60_000);

  it('--candles: every candle file is its own data set, run through the candle fill model', async () => {
    const candles = join(bundledDataDir(), 'candles');
    const { code, out, err } = await backtest('--candles', candles, '--strategies', 'twap,market', '--sides', 'buy', '--sizes', '1%', '--starts', '2', '--config', memoryHistory, '--json');
    expect(code, err).toBe(0);
    const candleResult = JSON.parse(out) as BacktestResult;
    expect(candleResult.data.kind).toBe('candles');
    const files = readdirSync(candles).filter((file) => file.endsWith('.csv.gz'));
    expect(candleResult.data.datasets!.map((dataset) => dataset.name).sort()).toEqual(files.sort());
    expect(candleResult.runs.length + (candleResult.skipped ?? []).length).toBe(files.length * 2 * 2);
    expect(candleResult.runs.length).toBeGreaterThanOrEqual(files.length * 2);
    // Fills stay within the bars' range, give or take the synthetic book's depth (20 levels 1 bp apart).
    for (const run of candleResult.runs) {
      const bars = readCandles(join(candles, run.dataset!)).candles.filter((bar) => bar.ts >= run.startTs && bar.ts - 60_000 <= run.endTs);
      const low = Math.min(...bars.map((bar) => bar.low));
      const high = Math.max(...bars.map((bar) => bar.high));
      for (const fill of run.fills) {
        expect(fill.price).toBeGreaterThanOrEqual(low * (1 - 0.0025));
        expect(fill.price).toBeLessThanOrEqual(high * (1 + 0.0025));
      }
    }
  }, 120_000);

  it.each([
    [['--sizes', '0'], /invalid --sizes: each size must be a share of the volume in \(0, 1\] or a percentage, got "0"/],
    [['--durations', '5x'], /invalid --durations: must be a positive duration such as 30s, 2m, 1h or a number of ms, got "5x"/],
    [['--sides', 'buy,long'], /invalid backtest grid: sides\[1\] must be "buy" or "sell", got "long"/],
    [['--starts', '-2'], /invalid --starts: must be a positive integer, got "-2"/],
  ])('bad input %j: exit 2 and one line naming the field', async (args, message) => {
    const { code, err } = await backtest(...args);
    expect(code).toBe(EXIT_INVALID_INPUT);
    expect(err).toMatch(message);
  });

  it('a bad backtest section in the config file is named', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ backtest: { sizes: [0.01], speed: 3 } }));
    const { code, err } = await backtest('--config', config);
    expect(code).toBe(EXIT_INVALID_INPUT);
    expect(err).toMatch(/invalid backtest grid: unknown key "speed"/);
  });
});
