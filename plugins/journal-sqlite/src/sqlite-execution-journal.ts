import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { inject, injectable, optional } from 'inversify';
import { ExecutionEventSchema, Logger, NoopLogger, TrancheError, parseInput, type ExecutionEvent, type ExecutionJournal } from '@tranche/core';
import { JOURNAL_APPLICATION_ID, JOURNAL_MIGRATIONS } from './journal-migrations.js';
import { JournalSqliteConfig, JournalSqliteConfigSchema, type JournalSqliteConfigInput } from './journal-sqlite-config.schema.js';
import { assertOwnSqliteFile } from './sqlite-file-check.js';
import { StatementCache } from './statement-cache.js';

/** What `compact()` did. */
export interface JournalCompaction {
  /** Finished executions whose events were removed (their summary row stays). */
  readonly executions: number;
  /** Event rows removed. */
  readonly events: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The write-ahead `ExecutionJournal` on an embedded SQLite file (better-sqlite3, WAL,
 * `synchronous = FULL`: a recorded event survives a process crash and a power loss). Each
 * `record()` is one transaction, written synchronously before the promise is returned, so
 * the engine's next step (sending the order) always comes after the write. Also keeps the
 * run's settings (`saveSettings`, never secrets) and compacts finished executions.
 * Disabled (`journal-sqlite.journal.enabled: false`, the default) it records nothing and
 * finds nothing unfinished. A file that is not a Tranche journal, or is damaged, is a
 * validation `TrancheError` naming the path, never a crash loop.
 */
@injectable()
export class SqliteExecutionJournal implements ExecutionJournal {
  private db: Database | undefined;
  private readonly statements = new StatementCache();

  constructor(
    @inject(JournalSqliteConfig) private readonly config: JournalSqliteConfig,
    @inject(Logger) @optional() private readonly logger: Logger = new NoopLogger(),
  ) {}

  /** A journal from a config section as a user writes it (the journal enabled unless said otherwise), outside a container. */
  static open(config: JournalSqliteConfigInput = {}, logger?: Logger): SqliteExecutionJournal {
    const input = { ...config, journal: { enabled: true, ...(config.journal ?? {}) } };
    return new SqliteExecutionJournal(parseInput(JournalSqliteConfigSchema, input, 'config section "journal-sqlite"'), logger);
  }

  /** True when the journal records (config `journal-sqlite.journal.enabled`). */
  get enabled(): boolean {
    return this.config.journal.enabled;
  }

  /** The journal file. */
  get path(): string {
    return this.config.journal.path;
  }

  /**
   * Appends one event in its own transaction, synchronously before the returned promise
   * (which rejects with a `TrancheError` when the event is invalid or the file cannot be written).
   */
  record(event: ExecutionEvent): Promise<void> {
    if (!this.enabled) return RESOLVED;
    try {
      this.write(parseInput(ExecutionEventSchema, event, 'journal event'));
      return RESOLVED;
    } catch (error) {
      return Promise.reject(TrancheError.from(error));
    }
  }

  private write(event: ExecutionEvent): void {
    const db = this.connection();
    const insert = this.statement('insert', 'INSERT INTO events (execution_id, type, ts, event_json) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      insert.run(event.executionId, event.type, Math.round(event.ts), JSON.stringify(event));
      if (event.type === 'execution-started') {
        this.statement('started', 'INSERT OR IGNORE INTO executions (execution_id, started_at) VALUES (?, ?)').run(event.executionId, Math.round(event.ts));
      } else if (event.type === 'execution-ended') {
        this.statement('ended', 'UPDATE executions SET ended = 1, status = ?, summary_json = ? WHERE execution_id = ?').run(
          event.status,
          JSON.stringify(summary(event)),
          event.executionId,
        );
      }
    }).immediate();
  }

  /** Every recorded event of one execution, in order; a damaged row is a validation error naming it. */
  async events(executionId: string): Promise<ExecutionEvent[]> {
    if (!this.enabled) return [];
    const rows = this.statement('events', 'SELECT seq, event_json FROM events WHERE execution_id = ? ORDER BY seq').all(executionId) as Array<{ seq: number; event_json: string }>;
    return rows.map((row) => {
      let value: unknown;
      try {
        value = JSON.parse(row.event_json);
      } catch (error) {
        throw this.damaged(`event ${row.seq} is not JSON`, error);
      }
      const parsed = ExecutionEventSchema.safeParse(value);
      if (!parsed.success) throw this.damaged(`event ${row.seq} does not match the event schema (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return parsed.data;
    });
  }

  /** Ids of executions started and not ended, oldest first. */
  async unfinished(): Promise<string[]> {
    if (!this.enabled) return [];
    const rows = this.statement('unfinished', 'SELECT execution_id FROM executions WHERE ended = 0 ORDER BY started_at, execution_id').all() as Array<{ execution_id: string }>;
    return rows.map((row) => row.execution_id);
  }

  /** Number of journaled events (of one execution, or all). */
  eventCount(executionId?: string): number {
    if (!this.enabled) return 0;
    const db = this.connection();
    const row = (executionId === undefined
      ? db.prepare('SELECT COUNT(*) AS n FROM events').get()
      : db.prepare('SELECT COUNT(*) AS n FROM events WHERE execution_id = ?').get(executionId)) as { n: number };
    return row.n;
  }

  /** Saves a setting of the run (e.g. the venue and its non-secret settings) as JSON. */
  saveSettings(key: string, value: unknown): void {
    this.connection();
    this.statement('save-setting', 'INSERT OR REPLACE INTO settings (key, value_json) VALUES (?, ?)').run(key, JSON.stringify(value));
  }

  /** A saved setting, or undefined. */
  settings(key: string): unknown {
    this.connection();
    const row = this.statement('setting', 'SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value_json) as unknown);
  }

  /**
   * Removes the events of finished executions (each keeps one `executions` row with its
   * status and a summary of its report), then `VACUUM`s the file. Unfinished executions are untouched.
   */
  compact(): JournalCompaction {
    const db = this.connection();
    const result = db.transaction(() => {
      const executions = (db.prepare('SELECT COUNT(*) AS n FROM executions WHERE ended = 1 AND execution_id IN (SELECT DISTINCT execution_id FROM events)').get() as { n: number }).n;
      const events = db.prepare('DELETE FROM events WHERE execution_id IN (SELECT execution_id FROM executions WHERE ended = 1)').run().changes;
      return { executions, events };
    }).immediate();
    if (this.path !== ':memory:') db.exec('VACUUM');
    this.logger.info('journal compacted', { path: this.path, ...result });
    return result;
  }

  /** Opens the file now (a foreign or damaged file throws here). */
  async initialize(): Promise<void> {
    if (this.enabled) this.connection();
  }

  async close(): Promise<void> {
    if (!this.db) return;
    this.statements.clear();
    this.db.close();
    this.db = undefined;
  }

  private statement(key: string, sql: string): Statement {
    return this.statements.get(this.connection(), key, sql);
  }

  private damaged(detail: string, cause?: unknown): TrancheError {
    return new TrancheError('validation', `invalid journal ${this.path}: ${detail} (damaged file; move it away or set journal-sqlite.journal.path)`, {
      field: 'journal-sqlite.journal.path',
      retryable: false,
      ...(cause === undefined ? {} : { cause }),
    });
  }

  private connection(): Database {
    if (this.db) return this.db;
    const path = this.path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database;
    try {
      db = new BetterSqlite3(path, { timeout: this.config.busyTimeoutMs });
    } catch (error) {
      throw new TrancheError('validation', `invalid journal ${path}: ${(error as Error).message}`, { field: 'journal-sqlite.journal.path', retryable: false, cause: error });
    }
    try {
      openJournal(db, path);
    } catch (error) {
      db.close();
      if (error instanceof TrancheError) throw error;
      throw new TrancheError('validation', `invalid journal ${path}: ${(error as Error).message} (not a Tranche journal, or damaged; move it away or set journal-sqlite.journal.path)`, {
        field: 'journal-sqlite.journal.path',
        retryable: false,
        cause: error,
      });
    }
    this.db = db;
    this.logger.debug('journal open', { path });
    return db;
  }
}

/** Checks the file is a journal (or empty), sets WAL + FULL sync, applies pending migrations. */
function openJournal(db: Database, path: string): void {
  assertOwnSqliteFile(db, path, { applicationId: JOURNAL_APPLICATION_ID, label: 'journal', expected: 'a Tranche execution journal', field: 'journal-sqlite.journal.path' });
  const check = db.pragma('quick_check', { simple: true }) as string;
  if (check !== 'ok') throw new TrancheError('validation', `invalid journal ${path}: integrity check failed (${check})`, { field: 'journal-sqlite.journal.path', retryable: false });
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  // Write-ahead means durable before acting: every commit is fsynced.
  db.pragma('synchronous = FULL');
  const latest = JOURNAL_MIGRATIONS.at(-1)?.version ?? 0;
  db.transaction(() => {
    db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL) STRICT');
  }).immediate();
  const version = (): number => (db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null }).version ?? 0;
  if (version() > latest) {
    throw new TrancheError('validation', `invalid journal ${path}: schema version ${version()} was written by a newer Tranche (this one knows up to ${latest})`, {
      field: 'journal-sqlite.journal.path',
      retryable: false,
    });
  }
  for (const migration of JOURNAL_MIGRATIONS) {
    db.transaction(() => {
      if (version() >= migration.version) return;
      migration.up(db);
      db.prepare('INSERT INTO schema_version (version, description) VALUES (?, ?)').run(migration.version, migration.description);
    }).immediate();
  }
}

function summary(event: Extract<ExecutionEvent, { type: 'execution-ended' }>): Record<string, unknown> {
  const { report } = event;
  return {
    symbol: report.symbol,
    side: report.side,
    strategy: report.strategy,
    status: report.status,
    requestedQuantity: report.requestedQuantity,
    filledQuantity: report.filledQuantity,
    averagePrice: report.averagePrice,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    childOrders: report.childOrders.length,
  };
}
