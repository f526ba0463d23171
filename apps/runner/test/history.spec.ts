import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionHistoryEntry } from '@tranche/core';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';
import { historyEntry } from '@tranche/testkit';

const dir = mkdtempSync(join(tmpdir(), 'tranche-history-cli-'));
const db = join(dir, 'history.db');
const t0 = 1_723_161_255_000;

async function history(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['history', ...args], io);
  return { code, out: io.out.text, err: io.err.text };
}

beforeAll(async () => {
  const store = SqliteExecutionHistoryStore.open({ path: db });
  await store.initialize();
  await store.save(historyEntry('twap-1', { strategy: 'twap', marketState: 'normal', endedAt: t0 + 60_000, implementationShortfallBps: 1.5 }));
  await store.save(historyEntry('vwap-1', { strategy: 'vwap', marketState: 'trending', endedAt: t0 + 120_000, sizeBucket: 'large' }));
  await store.save(historyEntry('auto-1', { strategy: 'market', requestedType: 'auto', marketState: null, endedAt: t0 + 180_000, fillRate: 0.5, filledQuantity: 0.5 }));
  await store.close();
});

describe('tranche history', () => {
  it('lists past executions newest first with their quality metrics', async () => {
    const { code, out } = await history('--db', db);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Executions in .*history\.db \(newest first, 3 shown/);
    expect(lines[1]).toMatch(/ended \(UTC\)\s+id\s+symbol\s+side\s+quantity\s+strategy\s+state\s+size\s+status\s+fill\s+shortfall\s+fees\s+cost\s+objective\s+duration/);
    expect(lines.slice(2).map((line) => line.trim().split(/\s+/)[2])).toEqual(['auto-1', 'vwap-1', 'twap-1']);
    expect(lines[2]).toMatch(/auto→market\s+-\s+small\s+partially_filled\s+50\.0%\s+0\.81\s+1\.00\s+1\.81\s+14\.31\s+/);
    expect(lines[4]).toMatch(/twap\s+normal\s+small\s+filled\s+100\.0%\s+1\.50\s+1\.00\s+1\.81\s+2\.50\s+60\.0s/);
  });

  it('filters by strategy, state and symbol, limits, and prints [{ report, quality }] with --json', async () => {
    const byStrategy = await history('--db', db, '--strategy', 'vwap', '--json');
    const entries = JSON.parse(byStrategy.out) as ExecutionHistoryEntry[];
    expect(entries.map((entry) => entry.report.id)).toEqual(['vwap-1']);
    expect(entries[0]!.quality).toMatchObject({ strategy: 'vwap', marketState: 'trending', sizeBucket: 'large' });
    expect((JSON.parse((await history('--db', db, '--state', 'normal', '--json')).out) as ExecutionHistoryEntry[]).map((entry) => entry.report.id)).toEqual(['twap-1']);
    expect((JSON.parse((await history('--db', db, '--limit', '2', '--json')).out) as ExecutionHistoryEntry[]).map((entry) => entry.report.id)).toEqual(['auto-1', 'vwap-1']);
    expect(JSON.parse((await history('--db', db, '--symbol', 'ETH/USDT', '--json')).out)).toEqual([]);
  });

  it("reads the database named by the config's journal-sqlite.path", async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: db } }));
    const { code, out } = await history('--config', config, '--json');
    expect(code).toBe(0);
    expect((JSON.parse(out) as ExecutionHistoryEntry[]).length).toBe(3);
  });

  it('a missing database is an empty history (and is not created)', async () => {
    const missing = join(dir, 'nothing-here', 'tranche.db');
    const text = await history('--db', missing);
    expect(text.code).toBe(0);
    expect(text.out).toBe(`No executions recorded in ${missing}.\n`);
    expect(JSON.parse((await history('--db', missing, '--json')).out)).toEqual([]);
    expect(existsSync(missing)).toBe(false);
  });

  it('rejects a bad --limit and a file that is not a Tranche history', async () => {
    const bad = await history('--db', db, '--limit', '0');
    expect(bad.code).toBe(EXIT_INVALID_INPUT);
    expect(bad.err).toMatch(/invalid --limit: must be a positive integer, got "0"/);
    const foreign = join(dir, 'notes.txt');
    writeFileSync(foreign, 'just some notes, not a database at all'.repeat(40));
    const rejected = await history('--db', foreign);
    expect(rejected.code).toBe(EXIT_INVALID_INPUT);
    expect(rejected.err).toMatch(/^error: invalid history database .*notes\.txt: file is not a database/);
  });

  it('records what tranche execute runs by default (quality monitor + SQLite history), across runs', async () => {
    const recorded = join(dir, 'recorded.db');
    const config = join(dir, 'recorded.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: recorded } }));
    for (const type of ['market', 'twap']) {
      const io = captureIo();
      const order = { symbol: 'BTC/USDT', side: 'buy', type, quantity: 0.2, ...(type === 'twap' ? { params: { durationMs: 30_000 } } : {}) };
      expect(await main(['execute', '--config', config, '--json', '--order', JSON.stringify(order)], io), io.err.text).toBe(0);
    }
    const { code, out } = await history('--config', config, '--json');
    expect(code).toBe(0);
    const entries = JSON.parse(out) as ExecutionHistoryEntry[];
    // Both runs replay the same data from its start: the same execution id, kept as two executions.
    expect(entries.map((entry) => entry.quality.strategy)).toEqual(['twap', 'market']);
    expect(entries[0]!.report.id).toBe(entries[1]!.report.id);
    for (const { quality } of entries) {
      expect(quality).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', fillRate: 1 });
      expect(quality.implementationShortfallBps).not.toBeNull();
      expect(quality.feeBps).toBeCloseTo(10, 6);
    }
  });
});
