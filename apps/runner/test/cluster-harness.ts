import { Subscription } from 'rxjs';
import busNatsPlugin, { NatsExecutionJournal, journalNatsPlugin } from '@tranche/bus-nats';
import { LiveClock, createTranche, type ExecutionEvent, type MessageBus, type TranchePlugin } from '@tranche/core';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';
import type { BinanceEmulator } from '@tranche/testkit';
import { jobJournalPath, type JobJournal } from '../src/cluster/run-cluster-job.js';
import type { ClusterEvent } from '../src/cluster/cluster-job.schema.js';
import type { WorkerJobRecord } from '../src/cluster/cluster-worker.js';
import type { ClusterProcess } from '../src/cluster/cluster-processes.js';
import { captureIo } from './capture-io.js';

/** Every message on `exec.events.>` (stored ones replayed first), grouped by execution id. */
export class EventLog {
  readonly byExecution = new Map<string, ClusterEvent[]>();
  private readonly subscription: Subscription;

  constructor(bus: MessageBus) {
    this.subscription = bus.subscribe<ClusterEvent>('exec.events.>', { replay: true }).subscribe(({ subject, message }) => {
      const id = subject.slice('exec.events.'.length);
      let list = this.byExecution.get(id);
      if (!list) this.byExecution.set(id, (list = []));
      list.push(message);
    });
  }

  /** The `execution-ended` events of one execution (exactly one when it completed once). */
  ends(executionId: string): ClusterEvent[] {
    return (this.byExecution.get(executionId) ?? []).filter((message) => message.event['type'] === 'execution-ended');
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}

/** The JSON lines a `tranche worker --json` printed. */
export function workerRecords(worker: ClusterProcess): (WorkerJobRecord & { worker: string })[] {
  return worker
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as WorkerJobRecord & { worker: string });
}

/** A quiet io for in-process submits. */
export function quietIo() {
  return captureIo();
}

/** What the journal and the exchange say about one parent order (see `inspectRun` of the crash harness, which reads SQLite files). */
export interface ExchangeFindings {
  readonly duplicatedAtExchange: string[];
  readonly reIntended: string[];
  readonly unknownAtExchange: string[];
  readonly exchangeFilled: number;
  readonly ended: { status: string; filledQuantity: number } | undefined;
}

/** Compares an execution's journaled events with the emulator's order and fill logs. */
export function exchangeFindings(events: readonly ExecutionEvent[], emulator: BinanceEmulator, executionId: string): ExchangeFindings {
  const journaled = new Set<string>();
  const intents = new Map<string, number>();
  let ended: ExchangeFindings['ended'];
  for (const event of events) {
    if (event.type === 'child-order-intent') intents.set(event.order.clientOrderId, (intents.get(event.order.clientOrderId) ?? 0) + 1);
    if (event.type === 'child-order-intent' || event.type === 'child-order-updated') journaled.add(event.order.clientOrderId);
    if (event.type === 'execution-ended') ended = { status: event.status, filledQuantity: event.report.filledQuantity };
  }
  const prefix = `${executionId}-`;
  const seen = new Map<string, number>();
  for (const order of emulator.orders().filter((candidate) => candidate.clientOrderId.startsWith(prefix))) seen.set(order.clientOrderId, (seen.get(order.clientOrderId) ?? 0) + 1);
  return {
    duplicatedAtExchange: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
    reIntended: [...intents].filter(([, n]) => n > 1).map(([id]) => id),
    unknownAtExchange: [...seen.keys()].filter((id) => !journaled.has(id)),
    exchangeFilled: emulator.fills().filter((fill) => fill.clientOrderId.startsWith(prefix)).reduce((sum, fill) => sum + fill.qty, 0),
    ended,
  };
}

/** The journaled events of executions, read from a SQLite journal file or the JetStream journal. */
export async function journaledEvents(journal: JobJournal, executionIds: readonly string[]): Promise<Map<string, ExecutionEvent[]>> {
  const result = new Map<string, ExecutionEvent[]>();
  if (journal.kind === 'sqlite') {
    for (const id of executionIds) {
      const file = SqliteExecutionJournal.open({ journal: { path: jobJournalPath(journal.dir, id) } });
      try {
        result.set(id, await file.events(id));
      } finally {
        await file.close();
      }
    }
    return result;
  }
  const tranche = createTranche({
    config: { 'bus-nats': { url: journal.url }, 'journal-nats': { enabled: true } },
    plugins: [busNatsPlugin as TranchePlugin<unknown>, journalNatsPlugin as TranchePlugin<unknown>],
    clock: new LiveClock(),
  });
  const shared = tranche.get(NatsExecutionJournal);
  try {
    for (const id of executionIds) result.set(id, await shared.events(id));
  } finally {
    await shared.close();
  }
  return result;
}
