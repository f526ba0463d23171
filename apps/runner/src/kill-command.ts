import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TrancheError } from '@tranche/core';
import type { Command } from 'commander';
import type { RunnerIo } from './run-execution.js';
import { forgetRunner, isAlive, listRunners, runnersDirectory, type RunnerRecord } from './runner-registry.js';

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
 * Hook for a runner that is gone (crashed or SIGKILLed) while orders worked: compose
 * the venue from the journal's saved settings, cancel every non-terminal child order by
 * client id and mark its parents terminal in the journal. It needs the journal's run
 * settings (`@tranche/journal-sqlite`); until that lands, `tranche kill` reports the
 * orphaned journal and points to `tranche resume`.
 */
export async function killOrphanedRun(record: RunnerRecord, io: RunnerIo): Promise<boolean> {
  io.stderr.write(
    `runner ${record.pid} is gone${record.journal ? ` (journal ${record.journal})` : ''}: its working orders were not cancelled by it; ` +
      `${record.journal ? `resume it with tranche resume --journal ${record.journal} and kill that, or ` : ''}cancel them at the venue\n`,
  );
  return false;
}

/**
 * `tranche kill`: finds the runners recorded under `.tranche/runners`, sends each
 * SIGTERM (its kill switch cancels every working child order and ends every parent
 * `cancelled`) and waits until it has exited. Resolves with the exit code: 0 when every
 * selected runner stopped (or none was running), 1 otherwise.
 */
export async function killRunners(options: KillOptions): Promise<number> {
  const { io } = options;
  const journal = options.journal === undefined ? undefined : resolve(options.journal);
  const selected = listRunners().filter((record) => (options.pid === undefined || record.pid === options.pid) && (journal === undefined || record.journal === journal));
  if (selected.length === 0) {
    io.stdout.write(`no running tranche runner${options.pid !== undefined ? ` with pid ${options.pid}` : ''}${journal ? ` journaling to ${journal}` : ''} (looked in ${runnersDirectory()})\n`);
    return 0;
  }
  let failed = 0;
  for (const record of selected) {
    if (!isAlive(record.pid)) {
      forgetRunner(record.pid);
      if (!(await killOrphanedRun(record, io))) failed++;
      continue;
    }
    io.stdout.write(`runner ${record.pid} (${record.argv.join(' ')}): sending SIGTERM (kill switch)\n`);
    process.kill(record.pid, 'SIGTERM');
    const deadline = Date.now() + options.timeoutMs;
    while (isAlive(record.pid) && Date.now() < deadline) await sleep(50);
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
    .option('--journal <file>', 'only the runner journaling to this file')
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
