import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { seededRandom, type BinanceEmulator } from '@tranche/testkit';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';

/** The built CLI, run as a child process (`node apps/runner/bin/tranche.js`). */
export const TRANCHE_BIN = fileURLToPath(new URL('../bin/tranche.js', import.meta.url));

/** The same seed gives the same kill points. */
export { seededRandom };

/** How one CLI process ended. */
export interface ProcessOutcome {
  readonly killed: boolean;
  /** True when the process outlived `timeoutMs` and was killed by the guard (a hang). */
  readonly hung: boolean;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** When to SIGKILL a CLI process: after a delay, or once a condition (polled every 10 ms) holds. */
export interface KillPlan {
  readonly afterMs?: number;
  readonly when?: () => boolean;
}

/** Runs the CLI in `cwd`; SIGKILLs it as `kill` says when it is still running then. */
export function runTranche(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, kill: KillPlan = {}, timeoutMs = 60_000): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRANCHE_BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const doKill = (): void => {
      if (!killed && child.exitCode === null) killed = child.kill('SIGKILL');
    };
    const killer = kill.afterMs === undefined ? undefined : setTimeout(doKill, kill.afterMs);
    const watcher = kill.when === undefined ? undefined : setInterval(() => {
      if (kill.when!()) doKill();
    }, 10);
    let hung = false;
    const guard = setTimeout(() => {
      hung = child.exitCode === null && child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (killer) clearTimeout(killer);
      if (watcher) clearInterval(watcher);
      clearTimeout(guard);
      resolve({ killed, hung, code, stdout, stderr });
    });
  });
}

const counters = new Map<string, Database.Database>();

/**
 * Number of events in a journal file (0 while it does not exist or is being created),
 * over a cached read-only connection that never blocks the writer. `closeJournalCounters()` releases them.
 */
export function journalEventCount(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    let db = counters.get(path);
    if (!db) {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: 0 });
      counters.set(path, db);
    }
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } catch {
    counters.get(path)?.close();
    counters.delete(path);
    return 0;
  }
}

/** Closes the connections of `journalEventCount`. */
export function closeJournalCounters(): void {
  for (const db of counters.values()) db.close();
  counters.clear();
}

/** What the journal and the exchange say about one parent order after the last run. */
export interface CrashRunFindings {
  /** Client ids the journal knows (intents and updates). */
  readonly journaled: Set<string>;
  /** Client ids with more than one intent in the journal (a re-send). */
  readonly reIntended: string[];
  /** Exchange orders of the parent unknown to the journal. */
  readonly unknownAtExchange: string[];
  /** Client ids the exchange holds more than once. */
  readonly duplicatedAtExchange: string[];
  /** Sum of the exchange's fills of the parent. */
  readonly exchangeFilled: number;
  /** The journaled end: status and filled quantity, or undefined when the parent did not end. */
  readonly ended: { status: string; filledQuantity: number; reason: string } | undefined;
  /** True when the journal holds the parent's start. */
  readonly started: boolean;
  /** Journaled events of the parent. */
  readonly eventCount: number;
}

/** Reads the journal file and the emulator's logs for the parent `executionId`. */
export async function inspectRun(journalPath: string, emulator: BinanceEmulator, executionId: string): Promise<CrashRunFindings> {
  const journal = SqliteExecutionJournal.open({ journal: { path: journalPath } });
  try {
    const events = await journal.events(executionId);
    const journaled = new Set<string>();
    const intents = new Map<string, number>();
    let ended: CrashRunFindings['ended'];
    for (const event of events) {
      if (event.type === 'child-order-intent') intents.set(event.order.clientOrderId, (intents.get(event.order.clientOrderId) ?? 0) + 1);
      if (event.type === 'child-order-intent' || event.type === 'child-order-updated') journaled.add(event.order.clientOrderId);
      if (event.type === 'execution-ended') ended = { status: event.status, filledQuantity: event.report.filledQuantity, reason: event.report.endReason };
    }
    const prefix = `${executionId}-`;
    const orders = emulator.orders().filter((order) => order.clientOrderId.startsWith(prefix));
    const seen = new Map<string, number>();
    for (const order of orders) seen.set(order.clientOrderId, (seen.get(order.clientOrderId) ?? 0) + 1);
    return {
      journaled,
      reIntended: [...intents].filter(([, n]) => n > 1).map(([id]) => id),
      unknownAtExchange: [...seen.keys()].filter((id) => !journaled.has(id)),
      duplicatedAtExchange: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
      exchangeFilled: emulator.fills().filter((fill) => fill.clientOrderId.startsWith(prefix)).reduce((sum, fill) => sum + fill.qty, 0),
      ended,
      started: events.some((event) => event.type === 'execution-started'),
      eventCount: events.length,
    };
  } finally {
    await journal.close();
  }
}

/** Runs `tasks` with at most `concurrency` at once, in order of start. */
export async function runPool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
