import type { ExecutionEvent, ExecutionJournal } from '@tranche/core';

/**
 * A view of a shared journal (one stream for every execution of every worker) limited to
 * one execution: `unfinished()` names only it, so the engine's start-up recovery resumes
 * the execution this worker holds the lease of, never the ones other workers are running.
 * Writes and reads go to the shared journal; closing is its owner's business.
 */
export class SingleExecutionJournal implements ExecutionJournal {
  constructor(
    private readonly shared: ExecutionJournal,
    private readonly executionId: string,
  ) {}

  get enabled(): boolean {
    return this.shared.enabled !== false;
  }

  record(event: ExecutionEvent): Promise<void> {
    return this.shared.record(event);
  }

  events(executionId: string): Promise<ExecutionEvent[]> {
    return this.shared.events(executionId);
  }

  async unfinished(): Promise<string[]> {
    const events = await this.shared.events(this.executionId);
    const started = events.some((event) => event.type === 'execution-started');
    const ended = events.some((event) => event.type === 'execution-ended');
    return started && !ended ? [this.executionId] : [];
  }

  async close(): Promise<void> {
    // The shared journal is closed by whoever opened it.
  }
}
