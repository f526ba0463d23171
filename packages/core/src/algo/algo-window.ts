import { TrancheError } from '../errors/tranche-error.js';
import type { AlgoParams } from './algo-params.schema.js';

/** The time window of an algorithmic execution (epoch ms). */
export interface AlgoWindow {
  readonly startTime: number;
  readonly endTime: number;
  readonly durationMs: number;
}

/**
 * Resolves the window of the common params at `now`: it starts at `startTime` (or now,
 * and never in the past) and ends at `endTime` or `durationMs` after the nominal start.
 * Throws a validation `TrancheError` when the window has already ended.
 */
export function resolveAlgoWindow(params: Pick<AlgoParams, 'durationMs' | 'endTime' | 'startTime'>, now: number): AlgoWindow {
  const nominalStart = params.startTime ?? now;
  const startTime = Math.max(now, nominalStart);
  const endTime = params.endTime ?? nominalStart + (params.durationMs ?? 0);
  if (!(endTime > startTime)) {
    throw new TrancheError('validation', `invalid order: the execution window ends at ${endTime}, not after its start ${startTime}`, {
      field: params.endTime === undefined ? 'params.durationMs' : 'params.endTime',
      retryable: false,
    });
  }
  return { startTime, endTime, durationMs: endTime - startTime };
}
