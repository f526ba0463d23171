import type { HistoryMigration } from './history-migrations.js';

/**
 * `PRAGMA application_id` of a Tranche execution journal ("TRNJ"). A file with another id
 * (a history database included), or with tables but no id, is refused and never touched.
 */
export const JOURNAL_APPLICATION_ID = 0x54524e4a;

/** The journal schema, oldest first. Never edit a released step: add one. */
export const JOURNAL_MIGRATIONS: readonly HistoryMigration[] = [
  {
    version: 1,
    description: 'events (append-only, one row per journaled execution event), executions (open/ended, summary), settings (the run, never secrets)',
    up: (db) => {
      db.exec(`
        CREATE TABLE events (
          seq INTEGER PRIMARY KEY,
          execution_id TEXT NOT NULL,
          type TEXT NOT NULL,
          ts INTEGER NOT NULL,
          event_json TEXT NOT NULL
        ) STRICT;
        CREATE INDEX events_by_execution ON events (execution_id, seq);
        CREATE TABLE executions (
          execution_id TEXT PRIMARY KEY,
          started_at INTEGER NOT NULL,
          ended INTEGER NOT NULL DEFAULT 0,
          status TEXT,
          summary_json TEXT
        ) STRICT;
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];
