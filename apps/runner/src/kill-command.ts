import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { KillSwitch, LiveClock, RiskGate, TrancheError } from '@tranche/core';
import type { Command } from 'commander';
import { composeRunner } from './compose.js';
import { readRunSettings } from './journal-settings.js';
import type { RunnerIo } from './run-execution.js';
import { forgetRunner, isAlive, listRunners, runnersDirectory } from './runner-registry.js';
import { StderrLogger, type LogLevel } from './stderr-logger.js';
import { firstValueFrom, timer } from 'rxjs';

/** Wall time for waiting on another runner process. */
const wallClock = new LiveClock();

/** Options of `killRunners`. */
export interface KillOptions {
  /** Only the runner journaling to this file. */
  journal?: string;
  /** Only the runner with this process id. */
  pid?: number;
  /** How long to wait for each runner to finish its kill switch (ms). */
  timeoutMs: number;
  io: RunnerIo;
}

/**
 * Kills the run of a runner that is gone (crashed, SIGKILLed) from its journal: composes
 * the venue from the journal's saved settings (secrets from the environment again), halts
 * the risk gate so that nothing new is sent, lets recovery reconcile every unfinished
 * execution with the venue by client id (it cancels their working child orders), then
 * engages the kill switch so that every parent ends `cancelled` in the journal.
 * Resolves true when every parent is terminal.
 */
export async function killFromJournal(journal: string, io: RunnerIo, logLevel: LogLevel = 'warn'): Promise<boolean> {
  if (!existsSync(journal)) {
    io.stderr.write(`no journal at ${journal}: cancel the run's working orders at the venue\n`);
    return false;
  }
  const { settings, unfinished, symbols } = await readRunSettings(journal);
  if (unfinished.length === 0) {
    io.stdout.write(`nothing to kill in ${journal}: every execution has ended\n`);
    return true;
  }
  io.stdout.write(`killing ${unfinished.join(', ')} from ${journal} on the ${settings.venue} venue\n`);
  const tranche = await composeRunner({ config: structuredClone(settings.config), venue: settings.venue, journal, symbols, logger: new StderrLogger(logLevel) });
  try {
    const reason = 'tranche kill (runner gone)';
    tranche.get(RiskGate).halt(reason);
    const resumed = tranche.manager.resume();
    await tranche.manager.initialize();
    await tranche.get(KillSwitch).engage(reason);
    // Every resumed parent: the ones the switch stopped and any that ended on their own (deadline passed while down).
    for (const report of await resumed) io.stdout.write(`${report.id}: ${report.status} (filled ${report.filledQuantity} of ${report.requestedQuantity}): ${report.endReason}\n`);
    return true;
  } finally {
    await tranche.close();
  }
}

/**
 * `tranche kill`: finds the runners recorded under `.tranche/runners`, sends each
 * SIGTERM (its kill switch cancels every working child order and ends every parent
 * `cancelled`) and waits until it has exited. A runner that is gone is killed from its
 * journal (`killFromJournal`), as is `--journal` when no runner of it is recorded. Resolves with the exit code: 0 when every
 * selected runner stopped (or none was running), 1 otherwise.
 */
export async function killRunners(options: KillOptions): Promise<number> {
  const { io } = options;
  const journal = options.journal === undefined ? undefined : resolve(options.journal);
  const selected = listRunners().filter((record) => (options.pid === undefined || record.pid === options.pid) && (journal === undefined || record.journal === journal));
  if (selected.length === 0) {
    // No runner of that journal runs (or none was recorded): the journal itself may still hold unfinished executions.
    if (journal !== undefined) return (await killFromJournal(journal, io)) ? 0 : 1;
    io.stdout.write(`no running tranche runner${options.pid !== undefined ? ` with pid ${options.pid}` : ''}${journal ? ` journaling to ${journal}` : ''} (looked in ${runnersDirectory()})\n`);
    return 0;
  }
  let failed = 0;
  // A journal a live runner uses (a resume after a crash) is that runner's to stop: never open it twice.
  const liveJournals = new Set(selected.filter((record) => record.journal !== undefined && isAlive(record.pid)).map((record) => record.journal));
  for (const record of selected) {
    if (!isAlive(record.pid)) {
      forgetRunner(record.pid);
      if (liveJournals.has(record.journal)) continue;
      if (record.journal === undefined) {
        io.stderr.write(`runner ${record.pid} is gone and kept no journal: cancel its working orders at the venue\n`);
        failed++;
      } else {
        io.stdout.write(`runner ${record.pid} is gone: cancelling from its journal\n`);
        if (!(await killFromJournal(record.journal, io))) failed++;
      }
      continue;
    }
    io.stdout.write(`runner ${record.pid} (${record.argv.join(' ')}): sending SIGTERM (kill switch)\n`);
    process.kill(record.pid, 'SIGTERM');
    // Another process is waited for in wall time: the live clock and its scheduler.
    const deadline = wallClock.now() + options.timeoutMs;
    while (isAlive(record.pid) && wallClock.now() < deadline) await firstValueFrom(timer(50, wallClock.scheduler));
    if (isAlive(record.pid)) {
      io.stderr.write(`runner ${record.pid} still runs after ${options.timeoutMs} ms; send SIGTERM again (or SIGKILL) to quit it at once\n`);
      failed++;
    } else {
      io.stdout.write(`runner ${record.pid} stopped: every working order cancelled, every parent terminal\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

/** Registers `tranche kill` (a runner not stopped makes it fail with exit code 1). */
export function registerKillCommand(program: Command, io: RunnerIo): void {
  program
    .command('kill')
    .description('engage the kill switch of running runners (another process): cancel every working order, end every parent')
    .option('--journal <file>', 'only the runner journaling to this file; when it is gone, cancel from the journal itself')
    .option('--pid <pid>', 'only the runner with this process id', (value) => {
      const pid = Number(value);
      if (!Number.isInteger(pid) || pid <= 0) throw new TrancheError('validation', `invalid --pid: must be a process id, got "${value}"`, { field: '--pid', retryable: false });
      return pid;
    })
    .option('--timeout <ms>', 'how long to wait for each runner (default 30000)', (value) => {
      const ms = Number(value);
      if (!Number.isFinite(ms) || ms <= 0) throw new TrancheError('validation', `invalid --timeout: must be a positive number of ms, got "${value}"`, { field: '--timeout', retryable: false });
      return ms;
    })
    .action(async (flags: { journal?: string; pid?: number; timeout?: number }) => {
      const code = await killRunners({
        io,
        timeoutMs: flags.timeout ?? 30_000,
        ...(flags.journal === undefined ? {} : { journal: flags.journal }),
        ...(flags.pid === undefined ? {} : { pid: flags.pid }),
      });
      if (code !== 0) throw new TrancheError('internal', 'not every runner was stopped (see above)', { retryable: false });
    });
}
