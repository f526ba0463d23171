import { KillSwitch, type KillSwitchEvent, type Tranche } from '@tranche/core';
import type { RunnerIo } from './run-execution.js';

/** Exit code of a runner quit at once by a second signal (128 + the signal number). */
const SIGNAL_EXIT_CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

function describe(event: KillSwitchEvent): string {
  switch (event.type) {
    case 'engaged':
      return `kill switch engaged (${event.reason}): new orders refused, stopping ${event.executionIds.length} execution(s)`;
    case 'stopping':
      return `kill switch: cancelling the working orders of ${event.executionId}`;
    case 'stopped':
      return `kill switch: ${event.executionId} is ${event.status} (filled ${event.filledQuantity})`;
    case 'completed':
      return `kill switch completed: ${event.reports.length} execution(s) terminal, no working order left`;
  }
}

/**
 * Makes SIGINT and SIGTERM engage the kill switch of `tranche`: the first signal stops
 * new orders, cancels every working child order and ends every parent `cancelled`
 * (each step printed to stderr; the run then prints its report as usual); a second
 * signal exits at once. Returns the function that waits for an engaged kill switch to
 * complete (so its last step is printed) and then removes the handlers.
 */
export function installKillSignals(tranche: Tranche, io: RunnerIo): () => Promise<void> {
  let signals = 0;
  let printing: { unsubscribe(): void } | undefined;
  let engaging: Promise<unknown> | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    signals++;
    if (signals > 1) {
      io.stderr.write(`\n${signal} again: quitting at once (working orders may be left at the venue)\n`);
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    io.stderr.write(`\n${signal}: engaging the kill switch (send it again to quit at once)\n`);
    const killSwitch = tranche.get(KillSwitch);
    printing = killSwitch.events$.subscribe((event) => io.stderr.write(`${describe(event)}\n`));
    engaging = killSwitch.engage(`${signal} received`).catch((error: unknown) => io.stderr.write(`kill switch failed: ${(error as Error).message}\n`));
  };
  const onInterrupt = (): void => onSignal('SIGINT');
  const onTerminate = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  return async () => {
    await engaging;
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onTerminate);
    printing?.unsubscribe();
  };
}

/** Resolves at the first SIGINT / SIGTERM or when `signal` aborts. */
export function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.removeListener('SIGINT', done);
      process.removeListener('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done);
  });
}
