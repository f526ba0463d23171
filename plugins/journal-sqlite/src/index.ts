/**
 * The execution history on an embedded SQLite file: every finished execution's report
 * and quality record, kept across restarts, for the strategy optimizer and
 * `tranche history`. Binds `SqliteExecutionHistoryStore` as the core
 * `ExecutionHistoryStore` and `SqliteExecutionJournal` (the write-ahead journal crash
 * recovery reads, on when `journal.enabled`) as the `ExecutionJournal`; config section `journal-sqlite`.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { JournalSqliteConfig, JournalSqliteConfigSchema } from './journal-sqlite-config.schema.js';
import { journalSqliteModule } from './journal-sqlite-module.js';

export { SqliteExecutionHistoryStore } from './sqlite-execution-history-store.js';
export { SqliteExecutionJournal, type JournalCompaction } from './sqlite-execution-journal.js';
export { JOURNAL_APPLICATION_ID, JOURNAL_MIGRATIONS } from './journal-migrations.js';
export { HISTORY_APPLICATION_ID, HISTORY_MIGRATIONS, type HistoryMigration } from './history-migrations.js';
export {
  JournalSqliteConfig,
  JournalSqliteConfigSchema,
  defaultHistoryPath,
  defaultJournalPath,
  ExecutionJournalConfigSchema,
  type ExecutionJournalConfig,
  type JournalSqliteConfigInput,
} from './journal-sqlite-config.schema.js';
export { journalSqliteModule } from './journal-sqlite-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `SqliteExecutionHistoryStore` as the `ExecutionHistoryStore`; config section `journal-sqlite`. */
const journalSqlitePlugin = definePlugin<JournalSqliteConfig>({
  name: 'journal-sqlite',
  version: VERSION,
  description: 'Execution history (reports and quality metrics) in an embedded SQLite file, for the optimizer and `tranche history`',
  configSchema: JournalSqliteConfigSchema,
  configToken: JournalSqliteConfig,
  module: journalSqliteModule,
});
export default journalSqlitePlugin;
