import { performance } from 'node:perf_hooks';

/**
 * Monotonic wall-clock milliseconds, for measuring load times and for the replay's
 * yield budget only, never for market time (which comes from the injected `Clock`).
 */
export function wallClockMs(): number {
  return performance.now();
}
