import type { ExecutionEvent } from '../model/execution.schema.js';

/**
 * A durable, write-ahead record of executions. The router awaits `record()` of a
 * child order's intent before sending it, so a crash can never leave an order at the
 * venue that the journal does not know.
 */
export interface ExecutionJournal {
  /** False for a journal configured off: the engine then neither journals nor resumes. */
  readonly enabled?: boolean;
  /** Appends one event durably. */
  record(event: ExecutionEvent): Promise<void>;
  /** Every recorded event of one execution, in order. */
  events(executionId: string): Promise<ExecutionEvent[]>;
  /** Ids of executions without an `execution-ended` event. */
  unfinished(): Promise<string[]>;
  close(): Promise<void>;
}
/** Token of the `ExecutionJournal` contract. */
export const ExecutionJournal = Symbol.for('tranche.ExecutionJournal');
