import { ContainerModule } from 'inversify';
import { ExecutionHistoryStore, ExecutionJournal } from '@tranche/core';
import { SqliteExecutionJournal } from './sqlite-execution-journal.js';
import { SqliteExecutionHistoryStore } from './sqlite-execution-history-store.js';

/**
 * Bindings of the journal-sqlite plugin: `SqliteExecutionHistoryStore` to itself (one
 * per container) and the `ExecutionHistoryStore` contract to it, so an adopter can
 * `rebind(SqliteExecutionHistoryStore)` alone; `SqliteExecutionJournal` likewise as the
 * `ExecutionJournal` (it records only when `journal-sqlite.journal.enabled`).
 */
export const journalSqliteModule = new ContainerModule(({ bind }) => {
  bind(SqliteExecutionHistoryStore).toSelf().inSingletonScope();
  bind(ExecutionHistoryStore).toService(SqliteExecutionHistoryStore);
  bind(SqliteExecutionJournal).toSelf().inSingletonScope();
  bind(ExecutionJournal).toService(SqliteExecutionJournal);
});
