import { TrancheError, type Tranche } from '@tranche/core';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';

/** The key under which the runner saves its settings in the journal. */
export const RUN_SETTINGS_KEY = 'run';

/** What `tranche execute --journal` saves for `tranche resume`: the venue and the effective config, secrets removed. */
export interface RunSettings {
  /** `paper` or `ccxt`. */
  readonly venue: string;
  /** The effective config (command-line overrides applied), without secrets. */
  readonly config: Record<string, unknown>;
}

const SECRET_KEY = /secret|password|passphrase|api[-_]?key|private[-_]?key|token|uid/i;

/** A deep copy of `value` without values under secret-looking keys (credential sources are env names and file paths, kept). */
export function withoutSecrets(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const inCredentials = parentKey === 'credentials' || parentKey === 'env';
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    // Credentials hold env variable names and a key file path, not secrets: keep those.
    if (SECRET_KEY.test(key) && !(inCredentials && typeof item === 'string')) continue;
    copy[key] = withoutSecrets(item, key);
  }
  return copy;
}

/** Turns the journal on in a config object (`journal-sqlite.journal`). */
export function enableJournal(config: Record<string, unknown>, path: string): void {
  const section = (config['journal-sqlite'] as Record<string, unknown> | undefined) ?? {};
  const journal = (section['journal'] as Record<string, unknown> | undefined) ?? {};
  config['journal-sqlite'] = { ...section, journal: { ...journal, enabled: true, path } };
}

/** Saves the run's settings in the bound journal. */
export function saveRunSettings(tranche: Tranche, settings: RunSettings): void {
  const journal = tranche.get<SqliteExecutionJournal>(SqliteExecutionJournal);
  journal.saveSettings(RUN_SETTINGS_KEY, { venue: settings.venue, config: withoutSecrets(settings.config) });
}

/** Reads the run settings of a journal file; a clear validation error when it has none. */
export async function readRunSettings(path: string): Promise<{ settings: RunSettings; unfinished: string[]; symbols: string[] }> {
  const journal = SqliteExecutionJournal.open({ journal: { path } });
  try {
    const settings = journal.settings(RUN_SETTINGS_KEY) as RunSettings | undefined;
    if (!settings || typeof settings.venue !== 'string' || typeof settings.config !== 'object') {
      throw new TrancheError('validation', `invalid --journal: ${path} holds no run settings (was it written by tranche execute --journal?)`, { field: '--journal', retryable: false });
    }
    const unfinished = await journal.unfinished();
    const symbols = new Set<string>();
    for (const id of unfinished) {
      const started = (await journal.events(id)).find((event) => event.type === 'execution-started');
      if (started?.type === 'execution-started') symbols.add(started.request.symbol);
    }
    return { settings, unfinished, symbols: [...symbols] };
  } finally {
    await journal.close();
  }
}
