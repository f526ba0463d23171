import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { TrancheError, type ExecutionReport } from '@tranche/core';
import { composeRunner } from './compose.js';
import { readRunSettings } from './journal-settings.js';
import { formatReport } from './report-format.js';
import { installKillSignals } from './kill-signals.js';
import { registerRunner } from './runner-registry.js';
import type { RunnerIo } from './run-execution.js';
import { LOG_LEVELS, StderrLogger, type LogLevel } from './stderr-logger.js';

/** The default journal file of `execute --journal` and `resume`: `.tranche/journal.db` under the working directory. */
export function defaultJournalFile(): string {
  return join(process.cwd(), '.tranche', 'journal.db');
}

/** Options of `runResume`. */
export interface ResumeOptions {
  readonly journal: string;
  readonly json: boolean;
  readonly logLevel: LogLevel;
  readonly io: RunnerIo;
}

/**
 * `tranche resume`: reads the run settings the journal holds (venue, its non-secret
 * config; secrets come from the environment or key file again), composes the same
 * runner and resumes every unfinished execution (`ExecutionManager.resume()`), then
 * prints their reports. Resolves with them (none when nothing was unfinished).
 */
export async function runResume(options: ResumeOptions): Promise<ExecutionReport[]> {
  const { io, journal } = options;
  if (!existsSync(journal)) throw new TrancheError('validation', `invalid --journal: no journal at ${journal}`, { field: '--journal', retryable: false });
  const { settings, unfinished, symbols } = await readRunSettings(journal);
  if (unfinished.length === 0) {
    if (options.json) io.stdout.write('[]\n');
    else io.stderr.write(`nothing to resume: every execution in ${journal} has ended\n`);
    return [];
  }
  if (!options.json) io.stderr.write(`resuming ${unfinished.join(', ')} on the ${settings.venue} venue from ${journal}\n`);
  const tranche = await composeRunner({
    config: structuredClone(settings.config),
    venue: settings.venue,
    journal,
    symbols,
    logger: new StderrLogger(options.logLevel),
  });
  // Like execute: SIGINT / SIGTERM engage the kill switch, and `tranche kill` finds this runner by its record.
  const releaseSignals = installKillSignals(tranche, io);
  const unregister = registerRunner({ argv: process.argv.slice(2), journal });
  try {
    const reports = await tranche.manager.resume();
    if (options.json) io.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    else for (const report of reports) io.stdout.write(`${formatReport(report)}\n`);
    return reports;
  } finally {
    await releaseSignals();
    unregister();
    await tranche.close();
  }
}

/** Registers `tranche resume [--journal <file>]`. */
export function registerResumeCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('resume')
    .description('resume the unfinished executions of a journal (after a crash): reconcile their orders with the venue, then continue them')
    .option('--journal <file>', 'the journal written by tranche execute --journal (default .tranche/journal.db)')
    .option('--json', 'print only the reports as a JSON array')
    .option('--verbose', 'debug logs and stack traces')
    .addOption(new Option('--log-level <level>', 'library log level').choices([...LOG_LEVELS]))
    .action(async (flags: { journal?: string; json?: boolean; verbose?: boolean; logLevel?: LogLevel }) => {
      setVerbose(flags.verbose ?? false);
      await runResume({
        journal: flags.journal ?? defaultJournalFile(),
        json: flags.json ?? false,
        logLevel: flags.logLevel ?? (flags.verbose ? 'debug' : 'warn'),
        io,
      });
    });
}
