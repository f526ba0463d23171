import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import busNatsPlugin, { NatsExecutionJournal, journalNatsPlugin } from '@tranche/bus-nats';
import type { Observable } from 'rxjs';
import { ExecutionJournal, KillSwitch, Logger, TrancheError, loadConfigFile, type ExecutionEvent, type ExecutionReport, type Tranche, type TranchePlugin } from '@tranche/core';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';
import { composeRunner, type CcxtOverrides } from '../compose.js';
import type { ClusterJob } from './cluster-job.schema.js';
import type { JobControlCommand } from './cluster-control.schema.js';
import { SingleExecutionJournal } from './single-execution-journal.js';

/**
 * Where a worker journals: a directory of SQLite files shared by the workers of one
 * machine (`<dir>/<executionId>.db`), or the JetStream journal of `@tranche/bus-nats`
 * (stream `TRANCHE_JOURNAL`), readable by workers on every machine.
 */
export type JobJournal = { readonly kind: 'sqlite'; readonly dir: string } | { readonly kind: 'nats'; readonly url: string };

/** How a worker composes the app that runs a job (the same settings as `tranche execute`). */
export interface JobRunSettings {
  /** The journal shared by the workers that may take each other's orders over. */
  readonly journal: JobJournal;
  /** `paper` (default: each job on its own replay of the recorded data, in virtual time) or `ccxt`. */
  readonly venue?: string;
  readonly ccxt?: CcxtOverrides;
  readonly configFile?: string;
  /** Recorded data directory of the paper venue. */
  readonly data?: string;
  /** Replay speed of the paper venue (default `max`: virtual time; a factor of real time lets a dashboard watch and cancel). */
  readonly speed?: 'max' | number;
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
 * to the execution's own SQLite file or to the JetStream journal. When the journal already holds the execution (a worker
 * died or gave it back), it is continued through the same reconciliation path as
 * `tranche resume` (`ExecutionManager.resume()`: child orders reconciled with the venue by
 * client id, client ids continued after the highest journaled one); when it holds its
 * end, that report is returned without running anything. Every event of the execution
 * is passed to `onEvent` as it happens. `control$` cancels the execution (`cancel`) or
 * engages the app's kill switch (`kill`) once the execution runs.
 */
export async function runClusterJob(
  job: ClusterJob,
  settings: JobRunSettings,
  onEvent: (event: ExecutionEvent) => void,
  control$?: Observable<JobControlCommand>,
): Promise<JobOutcome> {
  const executionId = job.order.id;
  const venue = settings.venue ?? 'paper';
  const config = await jobConfig(job, settings, venue);
  const base = {
    venue,
    symbols: [job.order.symbol],
    logger: settings.logger,
    ...(settings.ccxt === undefined ? {} : { ccxt: settings.ccxt }),
    ...(venue === 'paper' ? { speed: settings.speed ?? ('max' as const), ...(settings.data === undefined ? {} : { data: settings.data }) } : {}),
  };
  if (settings.journal.kind === 'sqlite') {
    const journal = jobJournalPath(settings.journal.dir, executionId);
    mkdirSync(settings.journal.dir, { recursive: true });
    const journaled = existsSync(journal) ? await journaledEvents(journal, executionId) : [];
    const ended = journaled.find((event) => event.type === 'execution-ended');
    if (ended?.type === 'execution-ended') {
      onEvent(ended);
      return { report: ended.report, how: 'ended-before' };
    }
    const tranche = await composeRunner({ ...base, config, journal });
    return runComposed(tranche, job, journaled, onEvent, control$);
  }
  // The journal on JetStream: one stream for all executions, seen by this app as this execution's only.
  const tranche = await composeRunner({
    ...base,
    config: { ...config, 'bus-nats': { url: settings.journal.url, name: `tranche-journal-${executionId}` }, 'journal-nats': { enabled: true } },
    extraPlugins: [busNatsPlugin as TranchePlugin<unknown>, journalNatsPlugin as TranchePlugin<unknown>],
  });
  const shared = tranche.get(NatsExecutionJournal);
  try {
    tranche.container.rebind(ExecutionJournal).toConstantValue(new SingleExecutionJournal(shared, executionId));
    const journaled = await shared.events(executionId);
    const ended = journaled.find((event) => event.type === 'execution-ended');
    if (ended?.type === 'execution-ended') {
      onEvent(ended);
      await tranche.close();
      return { report: ended.report, how: 'ended-before' };
    }
    return await runComposed(tranche, job, journaled, onEvent, control$);
  } finally {
    await shared.close();
  }
}

/** Executes the job's order in a composed app, or resumes it when its journal holds its start; closes the app. */
async function runComposed(
  tranche: Tranche,
  job: ClusterJob,
  journaled: readonly ExecutionEvent[],
  onEvent: (event: ExecutionEvent) => void,
  control$: Observable<JobControlCommand> | undefined,
): Promise<JobOutcome> {
  const executionId = job.order.id;
  // A request that arrives before the engine runs the execution waits for it (a kill switch engaged earlier would refuse the order instead).
  const pending: JobControlCommand[] = [];
  const applyPending = (): void => {
    if (pending.length === 0 || !tranche.manager.activeExecutions().includes(executionId)) return;
    for (const command of pending.splice(0)) {
      const done = command.type === 'kill' ? tranche.get(KillSwitch).engage(command.reason) : tranche.manager.cancel(executionId, command.reason);
      done.catch((error: unknown) => tranche.get<Logger>(Logger).debug('control request found the execution ended', { executionId, type: command.type, error: TrancheError.from(error).message }));
    }
  };
  const subscription = tranche.manager.events$.subscribe((event) => {
    if (event.executionId !== executionId) return;
    onEvent(event);
    if (pending.length > 0) queueMicrotask(applyPending);
  });
  if (control$) {
    subscription.add(
      control$.subscribe((command) => {
        pending.push(command);
        applyPending();
      }),
    );
  }
  try {
    if (journaled.some((event) => event.type === 'execution-started')) {
      const reports = await tranche.manager.resume();
      const report = reports.find((candidate) => candidate.id === executionId);
      if (!report) throw new TrancheError('internal', `resume of ${executionId} produced no report`, { retryable: true });
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
