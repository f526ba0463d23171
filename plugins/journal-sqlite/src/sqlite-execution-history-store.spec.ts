import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ExecutionHistoryStore,
  TrancheError,
  createTranche,
} from '@tranche/core';
import { historyEntry } from '@tranche/testkit';
import journalSqlitePlugin, { HISTORY_APPLICATION_ID, HISTORY_MIGRATIONS, SqliteExecutionHistoryStore } from '../src/index.js';

const dirs: string[] = [];
const stores: SqliteExecutionHistoryStore[] = [];

function tempPath(name = 'tranche.db', nested = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-journal-'));
  dirs.push(dir);
  return nested ? join(dir, 'nested', 'deeper', name) : join(dir, name);
}

function openStore(path: string): SqliteExecutionHistoryStore {
  const store = SqliteExecutionHistoryStore.open({ path });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.close();
    await store.close();
  }
});

/** A consistent report and quality record of one execution. */
describe('SqliteExecutionHistoryStore', () => {
  it('creates the file and its directories, in WAL mode, at the latest schema version', async () => {
    const path = tempPath('tranche.db', true);
    const store = openStore(path);
    await store.initialize();
    expect(existsSync(path)).toBe(true);
    expect(store.schemaVersion()).toBe(HISTORY_MIGRATIONS.at(-1)!.version);
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(HISTORY_APPLICATION_ID);
    const versions = raw.prepare('SELECT version, description FROM schema_version ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((row) => row.version)).toEqual(HISTORY_MIGRATIONS.map((migration) => migration.version));
    const indexes = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions'").all() as Array<{ name: string }>).map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['executions_by_state', 'executions_by_strategy', 'executions_by_symbol', 'executions_by_end']));
    raw.close();
  });

  it('saves, replaces by execution id and queries newest first with filters', async () => {
    const store = openStore(tempPath());
    await store.initialize();
    const t0 = 1_723_161_255_000;
    await store.save(historyEntry('a', { strategy: 'twap', marketState: 'normal', endedAt: t0 + 1_000 }));
    await store.save(historyEntry('b', { strategy: 'vwap', marketState: 'volatile', sizeBucket: 'large', endedAt: t0 + 2_000 }));
    await store.save(historyEntry('c', { strategy: 'twap', marketState: 'volatile', symbol: 'ETH/USDT', endedAt: t0 + 3_000 }));
    await store.save(historyEntry('d', { strategy: 'market', marketState: null, endedAt: t0 + 4_000 }));
    await store.save(historyEntry('a', { strategy: 'twap', marketState: 'normal', endedAt: t0 + 1_000, implementationShortfallBps: 9 }));
    expect(await store.count()).toBe(4);
    // A replay reusing id "a" for another order (another start) is kept beside it.
    await store.save(historyEntry('a', { strategy: 'vwap', marketState: 'normal', startedAt: t0 - 60_000, endedAt: t0 + 500 }));
    expect(await store.count()).toBe(5);
    expect((await store.query({ strategy: 'vwap', marketState: 'normal' })).map((item) => item.quality.startedAt)).toEqual([t0 - 60_000]);
    await store.save(historyEntry('a', { strategy: 'vwap', marketState: 'normal', startedAt: t0 - 60_000, endedAt: t0 + 500, fillRate: 0.5 }));
    expect(await store.count()).toBe(5);
    expect((await store.query({ since: t0 })).map((item) => item.report.id)).toEqual(['d', 'c', 'b', 'a', 'a']);
    expect((await store.query({ since: t0 + 1_000 })).map((item) => item.report.id)).toEqual(['d', 'c', 'b', 'a']);

    const all = await store.query({ since: t0 + 1_000 });
    expect(all.map((item) => item.report.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(all.at(-1)!.quality.implementationShortfallBps).toBe(9);
    expect(all[0]).toEqual(historyEntry('d', { strategy: 'market', marketState: null, endedAt: t0 + 4_000 }));

    expect((await store.query({ strategy: 'twap' })).map((item) => item.report.id)).toEqual(['c', 'a']);
    expect((await store.query({ marketState: 'volatile' })).map((item) => item.report.id)).toEqual(['c', 'b']);
    expect((await store.query({ marketState: 'volatile', strategy: 'twap' })).map((item) => item.report.id)).toEqual(['c']);
    expect((await store.query({ symbol: 'ETH/USDT' })).map((item) => item.report.id)).toEqual(['c']);
    expect((await store.query({ sizeBucket: 'large' })).map((item) => item.report.id)).toEqual(['b']);
    expect((await store.query({ since: t0 + 2_000 })).map((item) => item.report.id)).toEqual(['d', 'c', 'b']);
    expect((await store.query({ limit: 2 })).map((item) => item.report.id)).toEqual(['d', 'c']);

    expect((await store.qualityRecords({ since: t0 + 1_000 })).map((record) => record.executionId)).toEqual(['a', 'b', 'c', 'd']);
    expect((await store.qualityRecords({ limit: 2 })).map((record) => record.executionId)).toEqual(['c', 'd']);
    expect((await store.qualityRecords({ marketState: 'volatile' })).map((record) => record.executionId)).toEqual(['b', 'c']);
  });

  it('rejects an entry whose report and quality record disagree or do not validate', async () => {
    const store = openStore(tempPath());
    const { report } = historyEntry('x');
    const { quality } = historyEntry('y');
    await expect(store.save({ report, quality })).rejects.toThrow(/report id "x" differs/);
    await expect(store.save({ report, quality: { ...historyEntry('x').quality, fillRate: 2 } })).rejects.toThrow(/fillRate/);
  });

  it('keeps the history across a close and reopen (a restart)', async () => {
    const path = tempPath();
    const first = openStore(path);
    await first.initialize();
    await first.save(historyEntry('kept', { strategy: 'iceberg' }));
    await first.close();
    const second = openStore(path);
    await second.initialize();
    expect((await second.query()).map((item) => item.quality.strategy)).toEqual(['iceberg']);
    expect(second.schemaVersion()).toBe(3);
  });

  it('counts initialize/close pairs: the file stays open until the last user closes', async () => {
    const store = openStore(tempPath());
    await store.initialize();
    await store.initialize();
    await store.close();
    await store.save(historyEntry('after-one-close'));
    await store.close();
    // A call on a closed store opens it again.
    expect(await store.count()).toBe(1);
  });

  it('migrates an empty file and an older schema', async () => {
    const emptyPath = tempPath('empty.db');
    writeFileSync(emptyPath, '');
    const fromEmpty = openStore(emptyPath);
    await fromEmpty.initialize();
    expect(fromEmpty.schemaVersion()).toBe(3);

    // A file at schema version 1 (before the indexes and the replay-safe key) is migrated on open, keeping its rows.
    const oldPath = tempPath('v1.db');
    writeFileSync(oldPath, '');
    const raw = new BetterSqlite3(oldPath);
    raw.pragma(`application_id = ${HISTORY_APPLICATION_ID}`);
    raw.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
    HISTORY_MIGRATIONS[0]!.up(raw);
    raw.prepare('INSERT INTO schema_version VALUES (1, ?, 0)').run(HISTORY_MIGRATIONS[0]!.description);
    const old = historyEntry('before-upgrade');
    raw
      .prepare(
        `INSERT INTO executions VALUES ('before-upgrade', 'BTC/USDT', 'buy', 'twap', 'twap', 'normal', 'small', 'filled', ?, ?, 1, 1, 1, 0.81, 1, 1.81, ?, ?)`,
      )
      .run(old.quality.startedAt, old.quality.endedAt, JSON.stringify(old.report), JSON.stringify(old.quality));
    raw.close();
    const upgraded = openStore(oldPath);
    await upgraded.save(historyEntry('after-upgrade', { startedAt: old.quality.startedAt + 1 }));
    expect(upgraded.schemaVersion()).toBe(3);
    expect((await upgraded.query()).map((item) => item.report.id)).toEqual(['after-upgrade', 'before-upgrade']);
    expect((await upgraded.query())[1]).toEqual(old);
  });

  it('rejects a corrupted file, a foreign SQLite database and a newer schema with a clear validation error', async () => {
    const garbage = tempPath('garbage.db');
    writeFileSync(garbage, 'this is not a database, just some text that is long enough to have a header........'.repeat(20));
    const fromGarbage = openStore(garbage);
    const garbageError = await fromGarbage.initialize().then(() => undefined, (error: unknown) => error);
    expect(garbageError).toBeInstanceOf(TrancheError);
    expect((garbageError as TrancheError).kind).toBe('validation');
    expect((garbageError as TrancheError).message).toMatch(/invalid history database .*garbage\.db.*not a database/);

    const foreign = tempPath('foreign.db');
    const other = new BetterSqlite3(foreign);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    await expect(openStore(foreign).initialize()).rejects.toThrow(/not a Tranche history file \(application id 0, tables: customers\)/);
    // Untouched: still only the foreign table.
    const check = new BetterSqlite3(foreign, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'customers' }]);
    check.close();

    const newer = tempPath('newer.db');
    const current = openStore(newer);
    await current.initialize();
    await current.close();
    const raw = new BetterSqlite3(newer);
    raw.prepare("INSERT INTO schema_version VALUES (99, 'from the future', 0)").run();
    raw.close();
    await expect(openStore(newer).initialize()).rejects.toThrow(/schema version 99 was written by a newer Tranche \(this one knows up to 3\)/);
  });

  it('is bound as the ExecutionHistoryStore by the plugin, at the configured path', async () => {
    const path = tempPath('configured.db');
    const tranche = createTranche({ config: { 'journal-sqlite': { path } }, plugins: [journalSqlitePlugin] });
    const store = tranche.get<ExecutionHistoryStore>(ExecutionHistoryStore);
    expect(store).toBeInstanceOf(SqliteExecutionHistoryStore);
    expect(store).toBe(tranche.get(SqliteExecutionHistoryStore));
    expect((store as SqliteExecutionHistoryStore).path).toBe(path);
    await store.initialize();
    expect(existsSync(path)).toBe(true);
    await store.close();
    expect(() => createTranche({ config: { 'journal-sqlite': { file: path } }, plugins: [journalSqlitePlugin] })).toThrow(/file/);
  });

  it('defaults to .tranche/tranche.db under the working directory', () => {
    expect(SqliteExecutionHistoryStore.open().path).toBe(join(process.cwd(), '.tranche', 'tranche.db'));
  });
});
