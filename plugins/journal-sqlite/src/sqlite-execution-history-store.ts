import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { inject, injectable, optional } from 'inversify';
import {
  ExecutionQualityRecordSchema,
  ExecutionReportSchema,
  Logger,
  NoopLogger,
  TrancheError,
  parseInput,
  type ExecutionHistoryEntry,
  type ExecutionHistoryQuery,
  type ExecutionHistoryStore,
  type ExecutionQualityRecord,
} from '@tranche/core';
import { HISTORY_APPLICATION_ID, HISTORY_MIGRATIONS, type HistoryMigration } from './history-migrations.js';
import { JournalSqliteConfig, JournalSqliteConfigSchema, type JournalSqliteConfigInput } from './journal-sqlite-config.schema.js';
import { assertOwnSqliteFile } from './sqlite-file-check.js';
import { StatementCache } from './statement-cache.js';

/** Default `limit` of `query`. */
const DEFAULT_QUERY_LIMIT = 100;

interface ExecutionRow {
  report_json: string;
  quality_json: string;
}

/**
 * The `ExecutionHistoryStore` on an embedded SQLite file (better-sqlite3, WAL mode):
 * one row per finished execution, its report and quality record as JSON beside indexed
 * filter columns. Opening checks the file is a Tranche history (application id and
 * `schema_version` table) and applies pending migrations; a corrupted or foreign file is
 * a validation error naming the path. `initialize()` and `close()` are counted, so every
 * component sharing the store opens and releases it; the last `close()` closes the file.
 * Any call on a closed store opens it again.
 */
@injectable()
export class SqliteExecutionHistoryStore implements ExecutionHistoryStore {
  private db: Database | undefined;
  private users = 0;
  private readonly statements = new StatementCache();

  constructor(
    @inject(JournalSqliteConfig) private readonly config: JournalSqliteConfig,
    @inject(Logger) @optional() private readonly logger: Logger = new NoopLogger(),
  ) {}

  /** A store from a config section as a user writes it (defaults applied), outside a container. */
  static open(config: JournalSqliteConfigInput = {}, logger?: Logger): SqliteExecutionHistoryStore {
    return new SqliteExecutionHistoryStore(parseInput(JournalSqliteConfigSchema, config, 'config section "journal-sqlite"'), logger);
  }

  /** The database file. */
  get path(): string {
    return this.config.path;
  }

  /** The schema version of the open file (opening it if needed). */
  schemaVersion(): number {
    return readSchemaVersion(this.connection());
  }

  async initialize(): Promise<void> {
    this.connection();
    this.users++;
  }

  /**
   * Saves one finished execution. The same execution saved again (same id, start,
   * symbol, side, strategy and quantity) replaces the earlier row; a different order that
   * reuses an id (replays of recorded data give deterministic ids) is kept beside it.
   */
  async save(entry: ExecutionHistoryEntry): Promise<void> {
    const report = parseInput(ExecutionReportSchema, entry.report, 'history entry report');
    const quality = parseInput(ExecutionQualityRecordSchema, entry.quality, 'history entry quality');
    if (report.id !== quality.executionId) {
      throw new TrancheError('validation', `invalid history entry: report id "${report.id}" differs from the quality record's "${quality.executionId}"`, {
        field: 'quality.executionId',
        retryable: false,
      });
    }
    this.statement(
      'save',
      `INSERT OR REPLACE INTO executions (execution_id, symbol, side, strategy, requested_type, market_state, size_bucket, status,
         started_at, ended_at, requested_quantity, filled_quantity, fill_rate, implementation_shortfall_bps, fee_bps, total_cost_bps,
         report_json, quality_json)
       VALUES (@executionId, @symbol, @side, @strategy, @requestedType, @marketState, @sizeBucket, @status,
         @startedAt, @endedAt, @requestedQuantity, @filledQuantity, @fillRate, @implementationShortfallBps, @feeBps, @totalCostBps,
         @reportJson, @qualityJson)`,
    ).run({
      executionId: quality.executionId,
      symbol: quality.symbol,
      side: quality.side,
      strategy: quality.strategy,
      requestedType: quality.requestedType,
      marketState: quality.marketState,
      sizeBucket: quality.sizeBucket,
      status: quality.status,
      startedAt: quality.startedAt,
      endedAt: quality.endedAt,
      requestedQuantity: quality.requestedQuantity,
      filledQuantity: quality.filledQuantity,
      fillRate: quality.fillRate,
      implementationShortfallBps: quality.implementationShortfallBps,
      feeBps: quality.feeBps,
      totalCostBps: quality.totalCostBps,
      reportJson: JSON.stringify(report),
      qualityJson: JSON.stringify(quality),
    });
  }

  async query(query: ExecutionHistoryQuery = {}): Promise<ExecutionHistoryEntry[]> {
    const limit = query.limit ?? DEFAULT_QUERY_LIMIT;
    const { where, params } = filters(query);
    const rows = this.connection()
      .prepare<Record<string, unknown>, ExecutionRow>(
        `SELECT report_json, quality_json FROM executions ${where} ORDER BY ended_at DESC, execution_id DESC, row_id DESC LIMIT @limit`,
      )
      .all({ ...params, limit });
    const entries: ExecutionHistoryEntry[] = [];
    for (const row of rows) {
      const entry = this.decode(row);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  async qualityRecords(query: ExecutionHistoryQuery = {}): Promise<ExecutionQualityRecord[]> {
    const { where, params } = filters(query);
    // With a limit: the newest `limit` records, still returned oldest first.
    const rows = this.connection()
      .prepare<Record<string, unknown>, { quality_json: string }>(
        `SELECT quality_json FROM executions ${where} ORDER BY ended_at DESC, execution_id DESC, row_id DESC${query.limit === undefined ? '' : ' LIMIT @limit'}`,
      )
      .all(query.limit === undefined ? params : { ...params, limit: query.limit });
    const records: ExecutionQualityRecord[] = [];
    for (let index = rows.length - 1; index >= 0; index--) {
      const parsed = ExecutionQualityRecordSchema.safeParse(JSON.parse(rows[index]!.quality_json));
      if (parsed.success) records.push(parsed.data);
      else this.logger.warn('history: a stored quality record does not match the current schema; skipped', { path: this.path, error: parsed.error.message });
    }
    return records;
  }

  /** Number of stored executions. */
  async count(): Promise<number> {
    return this.connection().prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM executions').get()!.n;
  }

  async close(): Promise<void> {
    if (this.users > 0) this.users--;
    if (this.users > 0 || !this.db) return;
    this.statements.clear();
    this.db.close();
    this.db = undefined;
  }

  private decode(row: ExecutionRow): ExecutionHistoryEntry | undefined {
    const report = ExecutionReportSchema.safeParse(JSON.parse(row.report_json));
    const quality = ExecutionQualityRecordSchema.safeParse(JSON.parse(row.quality_json));
    if (report.success && quality.success) return { report: report.data, quality: quality.data };
    this.logger.warn('history: a stored execution does not match the current schema; skipped', {
      path: this.path,
      error: (report.error ?? quality.error)?.message,
    });
    return undefined;
  }

  private statement(key: string, sql: string): Statement {
    return this.statements.get(this.connection(), key, sql);
  }

  private connection(): Database {
    if (this.db) return this.db;
    const { path } = this.config;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database;
    try {
      db = new BetterSqlite3(path, { timeout: this.config.busyTimeoutMs });
    } catch (error) {
      throw new TrancheError('validation', `invalid history database ${path}: ${(error as Error).message}`, { field: 'journal-sqlite.path', retryable: false, cause: error });
    }
    try {
      openHistory(db, path);
    } catch (error) {
      db.close();
      if (error instanceof TrancheError) throw error;
      throw new TrancheError('validation', `invalid history database ${path}: ${(error as Error).message} (not a Tranche history file; move it away or set journal-sqlite.path)`, {
        field: 'journal-sqlite.path',
        retryable: false,
        cause: error,
      });
    }
    this.db = db;
    this.logger.debug('history database open', { path, schemaVersion: readSchemaVersion(db) });
    return db;
  }
}

/** Checks a freshly opened file is ours (or empty), sets WAL mode and applies pending migrations. */
function openHistory(db: Database, path: string): void {
  assertOwnSqliteFile(db, path, { applicationId: HISTORY_APPLICATION_ID, label: 'history database', expected: 'a Tranche history file', field: 'journal-sqlite.path' });
  if (path !== ':memory:') {
    try {
      db.pragma('journal_mode = WAL');
    } catch {
      // Another process holds the file while it is being created; it sets WAL (a file property) itself.
    }
  }
  db.pragma('synchronous = NORMAL');
  migrate(db, path, HISTORY_MIGRATIONS);
}

/** Applies the migrations newer than the file's version, each in its own transaction. */
function migrate(db: Database, path: string, migrations: readonly HistoryMigration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  db.transaction(() => {
    db.pragma(`application_id = ${HISTORY_APPLICATION_ID}`);
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
  }).immediate();
  const current = readSchemaVersion(db);
  if (current > latest) {
    throw new TrancheError('validation', `invalid history database ${path}: schema version ${current} was written by a newer Tranche (this one knows up to ${latest})`, {
      field: 'journal-sqlite.path',
      retryable: false,
    });
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process may have migrated meanwhile: re-check inside the write lock.
      if (readSchemaVersion(db) >= migration.version) return;
      migration.up(db);
      // Wall time of the migration, from SQLite (metadata only; engine time comes from the Clock).
      db.prepare("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))").run(
        migration.version,
        migration.description,
      );
    }).immediate();
  }
}

function readSchemaVersion(db: Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_version').get();
  return row?.version ?? 0;
}

function filters(query: ExecutionHistoryQuery): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (column: string, key: keyof ExecutionHistoryQuery, operator = '='): void => {
    const value = query[key];
    if (value === undefined) return;
    clauses.push(`${column} ${operator} @${key}`);
    params[key] = value;
  };
  add('symbol', 'symbol');
  add('strategy', 'strategy');
  add('market_state', 'marketState');
  add('size_bucket', 'sizeBucket');
  add('ended_at', 'since', '>=');
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
