import type { Database } from 'better-sqlite3';
import { TrancheError } from '@tranche/core';

/** What a Tranche SQLite file is, for `assertOwnSqliteFile`'s checks and messages. */
export interface SqliteFileKind {
  /** `PRAGMA application_id` of this kind of file. */
  applicationId: number;
  /** How the messages name the file (`journal`, `history database`). */
  label: string;
  /** How the messages name what it should be (`a Tranche execution journal`). */
  expected: string;
  /** The config key that sets its path. */
  field: string;
}

/**
 * Refuses a file that is not of this kind (another application id, or someone else's
 * tables in it) or that is damaged (ours without its schema_version table). Reading the
 * header first makes a file that is not SQLite at all fail here with "file is not a database".
 */
export function assertOwnSqliteFile(db: Database, path: string, kind: SqliteFileKind): void {
  // One read transaction: another process creating the file commits its application id and
  // first table together, so both are read from the same snapshot (never "id 0 with our table").
  const { applicationId, tables } = db.transaction(() => ({
    applicationId: db.pragma('application_id', { simple: true }) as number,
    tables: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name),
  }))();
  if (applicationId !== kind.applicationId && (applicationId !== 0 || tables.length > 0)) {
    throw new TrancheError(
      'validation',
      `invalid ${kind.label} ${path}: not ${kind.expected} (application id ${applicationId}, tables: ${tables.join(', ') || 'none'}); move it away or set ${kind.field}`,
      { field: kind.field, retryable: false },
    );
  }
  if (applicationId === kind.applicationId && !tables.includes('schema_version')) {
    throw new TrancheError('validation', `invalid ${kind.label} ${path}: the schema_version table is missing (damaged file)`, { field: kind.field, retryable: false });
  }
}
