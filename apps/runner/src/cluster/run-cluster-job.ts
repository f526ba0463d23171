import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrancheError, loadConfigFile, type ExecutionEvent, type ExecutionReport, type Logger } from '@tranche/core';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';
import { composeRunner, type CcxtOverrides } from '../compose.js';
import type { ClusterJob } from './cluster-job.schema.js';

/** How a worker composes the app that runs a job (the same settings as `tranche execute`). */
export interface JobRunSettings {
  /** Directory of the per-execution journals (`<executionId>.db`), shared by the workers that may take each other's orders over. */
  readonly journalDir: string;
  /** `paper` (default: each job on its own replay of the recorded data, in virtual time) or `ccxt`. */
  readonly venue?: string;
  readonly ccxt?: CcxtOverrides;
  readonly configFile?: string;
  /** Recorded data directory of the paper venue. */
  readonly data?: string;
  readonly logger: Logger;
}

/** How a job's run ended. */
export interface JobOutcome {
  readonly report: ExecutionReport;
  /** `executed` (started here), `resumed` (taken over from the journal of a worker that stopped), `ended-before` (the journal already held its end). */
  readonly how: 'executed' | 'resumed' | 'ended-before';
}

/** The journal file of one execution: one SQLite file per execution, so that workers never contend for one. */
export function jobJournalPath(journalDir: string, executionId: string): string {
  return join(journalDir, `${executionId}.db`);
}

/**
 * Runs one parent order of the queue the way `tranche execute` would (paper venue: a
 * fresh app on its own replay at max speed; ccxt: the exchange in live time), journaled
 * to the execution's own file. When that file already holds the execution (a worker
 * died or gave it back), it is continued through the same reconciliation path as
 * `tranche resume` (`ExecutionManager.resume()`: child orders reconciled with the venue by
 * client id, client ids continued after the highest journaled one); when it holds its
 * end, that report is returned without running anything. Every event of the execution
 * is passed to `onEvent` as it happens.
 */
export async function runClusterJob(job: ClusterJob, settings: JobRunSettings, onEvent: (event: ExecutionEvent) => void): Promise<JobOutcome> {
  const executionId = job.order.id;
  const journal = jobJournalPath(settings.journalDir, executionId);
  mkdirSync(settings.journalDir, { recursive: true });
  const journaled = existsSync(journal) ? await journaledEvents(journal, executionId) : [];
  const ended = journaled.find((event) => event.type === 'execution-ended');
  if (ended?.type === 'execution-ended') {
    onEvent(ended);
    return { report: ended.report, how: 'ended-before' };
  }
  const venue = settings.venue ?? 'paper';
  const config = await jobConfig(job, settings, venue);
  const tranche = await composeRunner({
    config,
    venue,
    journal,
    symbols: [job.order.symbol],
    logger: settings.logger,
    ...(settings.ccxt === undefined ? {} : { ccxt: settings.ccxt }),
    ...(venue === 'paper' ? { speed: 'max' as const, ...(settings.data === undefined ? {} : { data: settings.data }) } : {}),
  });
  const subscription = tranche.manager.events$.subscribe((event) => {
    if (event.executionId === executionId) onEvent(event);
  });
  try {
    if (journaled.some((event) => event.type === 'execution-started')) {
      const reports = await tranche.manager.resume();
      const report = reports.find((candidate) => candidate.id === executionId);
      if (!report) throw new TrancheError('internal', `resume of ${executionId} from ${journal} produced no report`, { retryable: true });
      return { report, how: 'resumed' };
    }
    return { report: await tranche.manager.executeOrder(job.order), how: 'executed' };
  } finally {
    subscription.unsubscribe();
    await tranche.close();
  }
}

/** The journaled events of one execution (an empty list while the file holds none). */
async function journaledEvents(path: string, executionId: string): Promise<ExecutionEvent[]> {
  const journal = SqliteExecutionJournal.open({ journal: { path } });
  try {
    return await journal.events(executionId);
  } finally {
    await journal.close();
  }
}

/** The worker's config (its file, if any) with the job's data sets for the replay. */
async function jobConfig(job: ClusterJob, settings: JobRunSettings, venue: string): Promise<Record<string, unknown>> {
  const loaded = settings.configFile === undefined ? {} : await loadConfigFile(settings.configFile);
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  const config = structuredClone(loaded as Record<string, unknown>);
  if (job.datasets !== undefined) {
    if (venue !== 'paper') {
      throw new TrancheError('validation', `invalid job: datasets ${JSON.stringify(job.datasets)} name recorded data, which the ${venue} venue does not replay`, { field: 'datasets', retryable: false });
    }
    const replay = (config['feed-replay'] as Record<string, unknown> | undefined) ?? {};
    config['feed-replay'] = { ...replay, datasets: [...job.datasets] };
  }
  return config;
}
