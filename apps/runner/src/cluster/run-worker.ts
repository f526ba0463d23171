import { hostname } from 'node:os';
import { join } from 'node:path';
import { LiveClock, TrancheError, type Logger } from '@tranche/core';
import type { CcxtOverrides } from '../compose.js';
import type { RunnerIo } from '../run-execution.js';
import { ClusterWorker, type WorkerJobRecord } from './cluster-worker.js';
import type { ClusterTransport } from './cluster-transport.js';
import { runClusterJob, type JobJournal } from './run-cluster-job.js';

/** Options of `runWorker`. */
export interface RunWorkerOptions {
  readonly transport: ClusterTransport;
  readonly workerId?: string;
  readonly concurrency: number;
  /** The shared journal (default: SQLite files in `.tranche/cluster-journals` under the working directory). */
  readonly journal?: JobJournal;
  readonly venue?: string;
  readonly ccxt?: CcxtOverrides;
  readonly configFile?: string;
  readonly data?: string;
  /** Replay speed of the paper venue's data (default `max`). */
  readonly speed?: 'max' | number;
  readonly json: boolean;
  readonly io: RunnerIo;
  readonly logger: Logger;
  /** A held lease was lost (default: the process exits at once with code 75, so it cannot keep sending orders another worker now owns). */
  readonly onLeaseLost?: (executionId: string) => void;
  /** Resolves when the worker should stop (default: the first SIGINT / SIGTERM; a second one gives the running orders back and exits). */
  readonly stop?: Promise<void>;
}

/** Exit code of a worker that lost a lease while working (EX_TEMPFAIL). */
export const EXIT_LEASE_LOST = 75;

/** The default worker id: `<host>-<pid>`, one subject token. */
export function defaultWorkerId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${process.pid}`;
}

/**
 * `tranche worker`: runs parent orders from the work queue (see `ClusterWorker`) until
 * stopped, printing one line per job (JSON lines with `json`). The first SIGINT /
 * SIGTERM stops pulling and lets the running orders finish; a second gives them back
 * to the queue at once (leases released, journals left for the next worker) and exits.
 * Resolves with every job record.
 */
export async function runWorker(options: RunWorkerOptions): Promise<WorkerJobRecord[]> {
  const { io } = options;
  if (options.speed !== undefined && (options.venue ?? 'paper') !== 'paper') {
    throw new TrancheError('validation', `invalid --speed: it sets the replay of recorded data, which --venue ${options.venue} does not use`, { field: '--speed', retryable: false });
  }
  const workerId = options.workerId ?? defaultWorkerId();
  const journal: JobJournal = options.journal ?? { kind: 'sqlite', dir: join(process.cwd(), '.tranche', 'cluster-journals') };
  const clock = new LiveClock();
  const records: WorkerJobRecord[] = [];
  const worker = new ClusterWorker({
    workerId,
    venue: options.venue ?? 'paper',
    queue: options.transport.queue,
    leases: options.transport.leases,
    bus: options.transport.bus,
    clock,
    logger: options.logger,
    concurrency: options.concurrency,
    run: (job, onEvent, control$) =>
      runClusterJob(
        job,
        {
          journal,
          logger: options.logger,
          ...(options.venue === undefined ? {} : { venue: options.venue }),
          ...(options.ccxt === undefined ? {} : { ccxt: options.ccxt }),
          ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
          ...(options.data === undefined ? {} : { data: options.data }),
          ...(options.speed === undefined ? {} : { speed: options.speed }),
        },
        onEvent,
        control$,
      ),
    onKill: (reason, executionIds) =>
      io.stderr.write(
        `worker ${workerId}: kill switch engaged through the bus (${reason}): cancelling ${executionIds.join(', ') || 'nothing'}; no new order until this worker restarts\n`,
      ),
    onLeaseLost:
      options.onLeaseLost ??
      ((executionId) => {
        io.stderr.write(`worker ${workerId}: lease of ${executionId} lost while working; exiting so that only its new owner sends orders\n`);
        process.exit(EXIT_LEASE_LOST);
      }),
  });
  const printing = worker.jobs$.subscribe((record) => {
    records.push(record);
    io.stdout.write(options.json ? `${JSON.stringify({ worker: workerId, ...record })}\n` : `${describeRecord(workerId, record)}\n`);
  });
  let signals = 0;
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      io.stderr.write(`worker ${workerId}: ${signal}: no new orders; finishing ${worker.runningIds().length} running (send it again to give them back now)\n`);
      stopRequested();
      return;
    }
    io.stderr.write(`worker ${workerId}: ${signal} again: giving ${worker.runningIds().join(', ') || 'nothing'} back to the queue\n`);
    void worker.handBack().finally(async () => {
      await options.transport.close().catch(() => undefined);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  const useSignals = options.stop === undefined;
  if (useSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    await options.transport.queue.initialize?.();
    await options.transport.leases.initialize?.();
    await options.transport.bus.initialize?.();
    worker.start();
    io.stderr.write(`worker ${workerId} ready: ${options.venue ?? 'paper'} venue, concurrency ${options.concurrency}, journal ${journal.kind === 'sqlite' ? `files in ${journal.dir}` : `on JetStream (${journal.url})`}\n`);
    await (options.stop ?? stopped);
    await worker.drain();
    return records;
  } catch (error) {
    throw TrancheError.from(error);
  } finally {
    if (useSignals) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    printing.unsubscribe();
  }
}

function describeRecord(workerId: string, record: WorkerJobRecord): string {
  const head = `worker ${workerId}: ${record.executionId} ${record.outcome} (delivery ${record.attempt})`;
  if (record.status !== undefined) return `${head}: ${record.status}, filled ${record.filledQuantity}`;
  return record.detail === undefined ? head : `${head}: ${record.detail}`;
}
