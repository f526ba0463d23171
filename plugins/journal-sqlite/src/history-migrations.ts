import type { Database } from 'better-sqlite3';

/** One versioned step of the history schema. Applied in a transaction, in order, once. */
export interface HistoryMigration {
  /** 1, 2, …: the schema version after this step. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

/**
 * `PRAGMA application_id` of a Tranche history database ("TRNH"). A file with another
 * id, or with tables but no id, is someone else's database and is never touched.
 */
export const HISTORY_APPLICATION_ID = 0x54524e48;

/**
 * The history schema, oldest first. Never edit a released step: add one. The columns
 * beside the JSON documents are what the optimizer and `tranche history` filter on.
 */
export const HISTORY_MIGRATIONS: readonly HistoryMigration[] = [
  {
    version: 1,
    description: 'executions: one row per finished execution (report and quality record as JSON, filter columns)',
    up: (db) => {
      db.exec(`
        CREATE TABLE executions (
          execution_id TEXT PRIMARY KEY,
          symbol TEXT NOT NULL,
          side TEXT NOT NULL,
          strategy TEXT NOT NULL,
          requested_type TEXT NOT NULL,
          market_state TEXT,
          size_bucket TEXT NOT NULL,
          status TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          ended_at INTEGER NOT NULL,
          requested_quantity REAL NOT NULL,
          filled_quantity REAL NOT NULL,
          fill_rate REAL NOT NULL,
          implementation_shortfall_bps REAL,
          fee_bps REAL,
          total_cost_bps REAL,
          report_json TEXT NOT NULL,
          quality_json TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    description: "indexes for the optimizer's per-state reads and the history listing",
    up: (db) => {
      db.exec(`
        CREATE INDEX executions_by_state ON executions (market_state, strategy, ended_at);
        CREATE INDEX executions_by_strategy ON executions (strategy, ended_at);
        CREATE INDEX executions_by_symbol ON executions (symbol, ended_at);
        CREATE INDEX executions_by_end ON executions (ended_at);
      `);
    },
  },
  {
    version: 3,
    description:
      'executions keyed by (id, start, symbol, side, strategy, quantity): replays of recorded data reuse execution ids, so a different order under a reused id is kept beside the first',
    up: (db) => {
      db.exec(`
        CREATE TABLE executions_v3 (
          row_id INTEGER PRIMARY KEY,
          execution_id TEXT NOT NULL,
          symbol TEXT NOT NULL,
          side TEXT NOT NULL,
          strategy TEXT NOT NULL,
          requested_type TEXT NOT NULL,
          market_state TEXT,
          size_bucket TEXT NOT NULL,
          status TEXT NOT NULL,
          started_at INTEGER NOT NULL,
          ended_at INTEGER NOT NULL,
          requested_quantity REAL NOT NULL,
          filled_quantity REAL NOT NULL,
          fill_rate REAL NOT NULL,
          implementation_shortfall_bps REAL,
          fee_bps REAL,
          total_cost_bps REAL,
          report_json TEXT NOT NULL,
          quality_json TEXT NOT NULL,
          UNIQUE (execution_id, started_at, symbol, side, strategy, requested_quantity)
        ) STRICT;
        INSERT INTO executions_v3 (execution_id, symbol, side, strategy, requested_type, market_state, size_bucket, status, started_at, ended_at,
          requested_quantity, filled_quantity, fill_rate, implementation_shortfall_bps, fee_bps, total_cost_bps, report_json, quality_json)
          SELECT execution_id, symbol, side, strategy, requested_type, market_state, size_bucket, status, started_at, ended_at,
          requested_quantity, filled_quantity, fill_rate, implementation_shortfall_bps, fee_bps, total_cost_bps, report_json, quality_json FROM executions ORDER BY ended_at, execution_id;
        DROP TABLE executions;
        ALTER TABLE executions_v3 RENAME TO executions;
        CREATE INDEX executions_by_state ON executions (market_state, strategy, ended_at);
        CREATE INDEX executions_by_strategy ON executions (strategy, ended_at);
        CREATE INDEX executions_by_symbol ON executions (symbol, ended_at);
        CREATE INDEX executions_by_end ON executions (ended_at);
      `);
    },
  },
];
