import type { ExecutionReport } from '../model/execution.schema.js';
import type { ExecutionQualityRecord } from '../quality/execution-quality.schema.js';

/** Filters of `ExecutionHistoryStore.query`. */
export interface ExecutionHistoryQuery {
  symbol?: string;
  strategy?: string;
  marketState?: string;
  sizeBucket?: string;
  /** Only executions that ended at or after this time (epoch ms). */
  since?: number;
  /** Newest first; default 100. */
  limit?: number;
}

/** A stored execution: its report and its quality record. */
export interface ExecutionHistoryEntry {
  report: ExecutionReport;
  quality: ExecutionQualityRecord;
}

/**
 * Durable history of finished executions and their quality metrics (implemented by
 * `@tranche/journal-sqlite`). The optimizer learns from it; `tranche history` lists it.
 */
export interface ExecutionHistoryStore {
  /** Opens the store (creating or migrating its schema). */
  initialize(): Promise<void>;
  /** Saves (or replaces, by execution id) one finished execution. */
  save(entry: ExecutionHistoryEntry): Promise<void>;
  /** Executions matching the filters, newest first. */
  query(query?: ExecutionHistoryQuery): Promise<ExecutionHistoryEntry[]>;
  /** Quality records only (what the optimizer needs), oldest first. */
  qualityRecords(query?: Omit<ExecutionHistoryQuery, 'limit'> & { limit?: number }): Promise<ExecutionQualityRecord[]>;
  close(): Promise<void>;
}
/** Token of the `ExecutionHistoryStore` contract. */
export const ExecutionHistoryStore = Symbol.for('tranche.ExecutionHistoryStore');
