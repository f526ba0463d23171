import { join } from 'node:path';
import { z } from 'zod';

/** The default database file: `.tranche/tranche.db` under the working directory. */
export function defaultHistoryPath(): string {
  return join(process.cwd(), '.tranche', 'tranche.db');
}

/** The default execution journal file: `.tranche/journal.db` under the working directory. */
export function defaultJournalPath(): string {
  return join(process.cwd(), '.tranche', 'journal.db');
}

/** The `journal-sqlite.journal` section: the write-ahead execution journal (off unless enabled). */
export const ExecutionJournalConfigSchema = z
  .object({
    /** Journal every execution (write-ahead) and resume unfinished ones at start-up. Default false. */
    enabled: z.boolean().default(false).describe('Journal every execution (write-ahead) and resume unfinished ones at start-up. Default false.'),
    /** The journal file (its directories are created); `:memory:` for tests. Default `<cwd>/.tranche/journal.db`. */
    path: z.string().min(1).default(() => defaultJournalPath()).describe('The journal file (its directories are created); `:memory:` for tests. Default `<cwd>/.tranche/journal.db`.'),
  })
  .strict();
/** The parsed `journal-sqlite.journal` section. */
export type ExecutionJournalConfig = z.infer<typeof ExecutionJournalConfigSchema>;

/** The `journal-sqlite` config section. Strict: unknown keys are errors; every key has a default. */
export const JournalSqliteConfigSchema = z
  .object({
    /** The database file (its directories are created); `:memory:` for a throw-away store. Default `<cwd>/.tranche/tranche.db`. */
    path: z.string().min(1).default(() => defaultHistoryPath()).describe('The database file (its directories are created); `:memory:` for a throw-away store. Default `<cwd>/.tranche/tranche.db`.'),
    /** How long a writer waits for another process's lock before failing, ms. */
    busyTimeoutMs: z.number().int().nonnegative().default(5_000).describe('How long a writer waits for another process\'s lock before failing, ms.'),
    /** The write-ahead execution journal (a separate file from the history). */
    journal: ExecutionJournalConfigSchema.prefault({}).describe('The write-ahead execution journal (a separate file from the history).'),
  })
  .strict();
/** The parsed `journal-sqlite` config section. */
export type JournalSqliteConfig = z.infer<typeof JournalSqliteConfigSchema>;
/** The `journal-sqlite` config section as a user writes it. */
export type JournalSqliteConfigInput = z.input<typeof JournalSqliteConfigSchema>;
/** Token under which the parsed `journal-sqlite` config section is bound. */
export const JournalSqliteConfig = Symbol.for('tranche.journal-sqlite.config');
