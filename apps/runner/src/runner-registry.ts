import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LiveClock } from '@tranche/core';

/** What a running runner records about itself for `tranche kill`. */
export interface RunnerRecord {
  /** Process id of the runner. */
  readonly pid: number;
  /** Wall-clock start (epoch ms). */
  readonly startedAt: number;
  /** The command line (without node and script). */
  readonly argv: readonly string[];
  /** The absolute path of the execution journal, when the run journals. */
  readonly journal?: string;
}

/** The directory of runner records: `$TRANCHE_STATE_DIR/runners`, by default `.tranche/runners` under the working directory. */
export function runnersDirectory(): string {
  return resolve(process.env['TRANCHE_STATE_DIR'] ?? '.tranche', 'runners');
}

/**
 * Records this process as a running runner (`<pid>.json` in `runnersDirectory()`), so
 * that `tranche kill` in another process can find it; returns the function that
 * removes the record (call it when the run ends).
 */
export function registerRunner(options: { argv: readonly string[]; journal?: string }): () => void {
  const directory = runnersDirectory();
  const file = join(directory, `${process.pid}.json`);
  const record: RunnerRecord = {
    pid: process.pid,
    startedAt: new LiveClock().now(),
    argv: [...options.argv],
    ...(options.journal === undefined ? {} : { journal: resolve(options.journal) }),
  };
  try {
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  } catch {
    // A read-only working directory must not stop a run: `tranche kill` then cannot find it, signals still work.
    return () => undefined;
  }
  return () => rmSync(file, { force: true });
}

/** The recorded runners (stale records of dead processes included; see `isAlive`). */
export function listRunners(): RunnerRecord[] {
  const directory = runnersDirectory();
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => /^\d+\.json$/.test(name));
  } catch {
    return [];
  }
  const records: RunnerRecord[] = [];
  for (const name of names) {
    try {
      const record = JSON.parse(readFileSync(join(directory, name), 'utf8')) as RunnerRecord;
      if (Number.isInteger(record.pid) && record.pid > 0) records.push(record);
    } catch {
      // Half-written or foreign file: not a runner.
    }
  }
  return records.sort((a, b) => a.startedAt - b.startedAt);
}

/** Removes the record of a runner (a stale one, whose process is gone). */
export function forgetRunner(pid: number): void {
  rmSync(join(runnersDirectory(), `${pid}.json`), { force: true });
}

/** True while a process with this id exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
