import { Subscription, timer } from 'rxjs';
import { ExecutionEventSchema, TrancheError, type Clock, type ExecutionEvent, type ExecutionReport, type MarketInfo } from '@tranche/core';
import { ProgressBar, foldProgress, type ProgressState } from '../progress-bar.js';
import { formatReport } from '../report-format.js';
import type { RunnerIo } from '../run-execution.js';
import { ClusterEventSchema, type ClusterJob } from './cluster-job.schema.js';
import { executionEventsSubject } from './cluster-subjects.js';
import type { ClusterTransport } from './cluster-transport.js';

/** Options of `submitOrder`. */
export interface SubmitOrderOptions {
  readonly transport: Pick<ClusterTransport, 'bus' | 'queue'>;
  readonly job: ClusterJob;
  /** Print only the report as JSON. */
  readonly json: boolean;
  readonly io: RunnerIo;
  /** Live clock of the wait limit. */
  readonly clock: Clock;
  /** Gives up (a `timeout-ambiguous` error: the order stays queued) after this long without the end, ms. */
  readonly timeoutMs?: number;
}

/** What `submitOrder` saw. */
export interface SubmitOutcome {
  readonly report: ExecutionReport;
  /** True when the queue already held this id (a re-submission): the execution's stored events were followed instead. */
  readonly duplicate: boolean;
  /** Workers that published events of the execution, in order of appearance (more than one after a takeover). */
  readonly workers: string[];
  /** Highest delivery number seen (1 unless the order was taken over or given back). */
  readonly attempts: number;
}

/**
 * `tranche submit`: follows `exec.events.<id>` from its start (the bus replays the stored
 * events, so nothing is missed even when the order ran before), puts the parent order on the
 * work queue (a re-submission of the same id is de-duplicated by the queue), shows progress
 * (human mode) and prints the final report (text, or JSON with `json`). Rejects with the
 * worker's validation error when no worker could run the order.
 */
export async function submitOrder(options: SubmitOrderOptions): Promise<SubmitOutcome> {
  const { io, json, job } = options;
  const executionId = job.order.id;
  const workers: string[] = [];
  let attempts = 0;
  let bar: ProgressBar | undefined;
  let market: MarketInfo | undefined;
  const state: ProgressState = { requested: job.order.quantity, filled: 0, working: 0, fills: 0, ts: 0 };
  const seenFills = new Set<string>();
  const subscription = new Subscription();
  const ended = new Promise<ExecutionReport>((resolve, reject) => {
    subscription.add(
      options.transport.bus.subscribe(executionEventsSubject(executionId), { replay: true, schema: ClusterEventSchema }).subscribe({
        next: ({ message }) => {
          if (!workers.includes(message.worker)) workers.push(message.worker);
          attempts = Math.max(attempts, message.attempt);
          if (message.event['type'] === 'job-refused') {
            const kind = message.event['kind'] === 'validation' ? 'validation' : 'internal';
            reject(new TrancheError(kind, String(message.event['message'] ?? 'the worker refused the order'), { retryable: false }));
            return;
          }
          const parsed = ExecutionEventSchema.safeParse(message.event);
          if (!parsed.success) return;
          const event = parsed.data;
          if (!json) showProgress(event);
          if (event.type === 'execution-ended') resolve(event.report);
        },
        error: (error: unknown) => reject(TrancheError.from(error)),
        complete: () => reject(new TrancheError('venue-unavailable', `the bus closed before ${executionId} ended`, { retryable: true })),
      }),
    );
    if (options.timeoutMs !== undefined) {
      const limit = options.timeoutMs;
      subscription.add(
        timer(limit, options.clock.scheduler).subscribe(() =>
          reject(new TrancheError('timeout-ambiguous', `no end of ${executionId} within ${limit} ms: the order stays queued (tranche submit --id ${executionId} follows it again)`, { retryable: true })),
        ),
      );
    }
  });

  // Awaited below, after the enqueue: a refusal that arrives first must not count as unhandled meanwhile.
  ended.catch(() => undefined);

  const showProgress = (event: ExecutionEvent): void => {
    switch (event.type) {
      case 'execution-started':
        market = event.market;
        state.ts = event.ts;
        if (!bar) {
          io.stderr.write(`${executionId}: ${event.request.side} ${event.request.quantity} ${event.request.symbol} with the ${event.strategy} strategy (worker ${workers.at(-1) ?? '?'})\n`);
          bar = new ProgressBar(io.stderr, `${event.request.side} ${event.request.symbol}`);
          bar.update(state, true);
        }
        break;
      default: {
        // A taken-over execution replays nothing, but a fill may appear in two runs' events: foldProgress counts each once.
        bar?.show(foldProgress(state, event, seenFills), state);
      }
    }
  };

  try {
    const { duplicate } = await options.transport.queue.enqueue(executionId, job);
    if (!json) io.stderr.write(duplicate ? `${executionId} was already queued: following its events\n` : `${executionId} queued; waiting for a worker\n`);
    const report = await ended;
    if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      io.stdout.write(`${formatReport(report, market)}\n`);
      io.stderr.write(`${executionId} ran on ${workers.join(' then ')}${attempts > 1 ? ` (delivery ${attempts}: taken over)` : ''}\n`);
    }
    return { report, duplicate, workers, attempts };
  } finally {
    subscription.unsubscribe();
  }
}
