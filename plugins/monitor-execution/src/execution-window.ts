import type { OrderRequest } from '@tranche/core';

/** The window of an algorithmic order as its params state it. */
export interface ExecutionWindow {
  /** `params.startTime` when later than the start, else the start. */
  windowStart: number;
  /** `params.endTime`, else the nominal start + `params.durationMs`; `null` when the params give neither. */
  endTime: number | null;
}

/**
 * Reads the common algorithm params (`startTime`, `endTime`, `durationMs`) of a request
 * the way the engine's `resolveAlgoWindow` does, without failing on other strategies' params.
 */
export function readExecutionWindow(request: OrderRequest, startedAt: number): ExecutionWindow {
  const params = request.params ?? {};
  const number = (key: string): number | undefined => {
    const value = params[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const startTime = number('startTime');
  const endTime = number('endTime');
  const durationMs = number('durationMs');
  const nominalStart = startTime ?? startedAt;
  return {
    windowStart: Math.max(startedAt, nominalStart),
    endTime: endTime ?? (durationMs !== undefined && durationMs > 0 ? nominalStart + durationMs : null),
  };
}
