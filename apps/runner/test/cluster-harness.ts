import { Subscription } from 'rxjs';
import type { MessageBus } from '@tranche/core';
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
