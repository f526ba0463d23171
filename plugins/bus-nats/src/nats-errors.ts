import { TrancheError } from '@tranche/core';

/**
 * Maps a NATS client error onto a `TrancheError`: a timeout waiting for an answer is
 * `timeout-ambiguous` (a publish may or may not be stored: retry with the same message
 * id, the server de-duplicates); a connection problem is `venue-unavailable` (the
 * closest core kind: the infrastructure is unreachable; retryable); anything else is
 * `internal`. The message names the operation.
 */
export function toTrancheError(error: unknown, operation: string): TrancheError {
  if (error instanceof TrancheError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const text = `${name} ${message}`.toLowerCase();
  if (/timeout/.test(text)) {
    return new TrancheError('timeout-ambiguous', `NATS did not answer in time: ${operation} (${message}); it may or may not have taken effect`, { cause: error, retryable: true });
  }
  if (/connection|closed|disconnect|refused|no responders|503|draining|reconnect/.test(text)) {
    return new TrancheError('venue-unavailable', `NATS unavailable: ${operation} (${message})`, { cause: error, retryable: true });
  }
  return new TrancheError('internal', `NATS: ${operation} failed (${message})`, { cause: error, retryable: false });
}
