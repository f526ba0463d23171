import { ContainerModule } from 'inversify';
import { ExecutionHistoryStore } from '@tranche/core';
import { SqliteExecutionHistoryStore } from './sqlite-execution-history-store.js';

/**
 * Bindings of the journal-sqlite plugin: `SqliteExecutionHistoryStore` to itself (one
 * per container) and the `ExecutionHistoryStore` contract to it, so an adopter can
 * `rebind(SqliteExecutionHistoryStore)` alone.
 */
export const journalSqliteModule = new ContainerModule(({ bind }) => {
  bind(SqliteExecutionHistoryStore).toSelf().inSingletonScope();
  bind(ExecutionHistoryStore).toService(SqliteExecutionHistoryStore);
});
