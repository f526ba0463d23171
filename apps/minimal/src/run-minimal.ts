import { TrancheError, type ExecutionReport, type OrderRequest } from '@tranche/core';
import { composeMinimal } from './compose-minimal.js';
import { LineLogger, type LineSink } from './line-logger.js';
import { formatMinimalReport, toMinimalReport } from './minimal-report.js';
import type { MinimalSettings } from './minimal-settings.schema.js';
import { MINIMAL_USAGE, parseMinimalArgs } from './parse-minimal-args.js';

/** Exit code of a completed run, whatever the fill status (the report says it). */
export const EXIT_OK = 0;
/** Exit code of a failure that is not the user's input. */
export const EXIT_FAILURE = 1;
/** Exit code of invalid input (flags, config): nothing was sent. */
export const EXIT_INVALID_INPUT = 2;
/** Exit code of a run cancelled by SIGINT (128 + 2), after the report is printed. */
export const EXIT_INTERRUPTED = 130;

/** Where the app writes: the report on stdout, progress and logs on stderr. */
export interface MinimalIo {
  stdout: LineSink;
  stderr: LineSink;
}

/** Where SIGINT comes from: `process`, or an `EventEmitter` in tests. */
export interface SignalSource {
  on(signal: 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGINT', listener: () => void): unknown;
}

/** The parent order of one run: a TWAP over the settings' window. */
export function minimalOrder(settings: MinimalSettings): OrderRequest {
  return {
    symbol: settings.symbol,
    side: settings.side,
    type: 'twap',
    quantity: settings.quantity,
    params: {
      durationMs: settings.duration,
      ...(settings.slices === undefined ? {} : { slices: settings.slices }),
      ...(settings.limitPrice === undefined ? {} : { limitPrice: settings.limitPrice }),
    },
  };
}

/**
 * Runs one TWAP with these settings: composes the app, executes the order in the
 * replay's time and writes the compact report (text, or JSON with `--json`). The first
 * SIGINT cancels the execution (its working child orders are cancelled by the engine)
 * and the report of what filled is still printed.
 */
export async function runMinimal(settings: MinimalSettings, io: MinimalIo, signals: SignalSource = process): Promise<{ report: ExecutionReport; interrupted: boolean }> {
  const logger = new LineLogger(io.stderr, settings.logLevel);
  const tranche = composeMinimal(settings, logger);
  const { manager } = tranche;
  let executionId: string | undefined;
  let interrupted = false;
  const cancel = (): void => {
    if (executionId === undefined) return;
    manager.cancel(executionId, 'interrupted (SIGINT)').catch((error: unknown) => logger.error('cancel failed', { error: (error as Error).message }));
  };
  const onInterrupt = (): void => {
    if (interrupted) return;
    interrupted = true;
    io.stderr.write('SIGINT: cancelling the execution\n');
    cancel();
  };
  const started = manager.events$.subscribe((event) => {
    if (event.type !== 'execution-started') return;
    executionId = event.executionId;
    io.stderr.write(`started ${event.executionId}: ${event.request.side} ${event.request.quantity} ${event.request.symbol} with ${event.strategy}, arrival mid ${event.arrivalPrice ?? '-'}\n`);
    // A SIGINT during start-up cancels as soon as there is something to cancel.
    if (interrupted) cancel();
  });
  signals.on('SIGINT', onInterrupt);
  try {
    const report = await manager.executeOrder(minimalOrder(settings));
    const compact = toMinimalReport(report);
    io.stdout.write(settings.json ? `${JSON.stringify(compact, null, 2)}\n` : `${formatMinimalReport(compact)}\n`);
    return { report, interrupted };
  } finally {
    signals.removeListener('SIGINT', onInterrupt);
    started.unsubscribe();
    await tranche.close();
  }
}

/**
 * The `tranche-minimal` command: parses `argv`, runs, and resolves with the exit code
 * (never throws, never exits the process itself).
 */
export async function main(argv: readonly string[], io: MinimalIo, signals: SignalSource = process): Promise<number> {
  try {
    const command = parseMinimalArgs(argv);
    if (command.help) {
      io.stdout.write(MINIMAL_USAGE);
      return EXIT_OK;
    }
    const { interrupted } = await runMinimal(command.settings, io, signals);
    return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } catch (error) {
    const failure = TrancheError.from(error);
    io.stderr.write(`error: ${failure.message}\n`);
    return failure.kind === 'validation' ? EXIT_INVALID_INPUT : EXIT_FAILURE;
  }
}
