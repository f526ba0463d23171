import { TrancheError } from './tranche-error.js';

/** What to do after a failed attempt. */
export interface RetryDecision {
  retry: boolean;
  /** Wait before the next attempt (virtual or real, through the Clock). */
  delayMs: number;
  /** Before retrying a submit, look the order up by client id (the venue may have acted). */
  reconcileFirst: boolean;
}

/** Options of the `ErrorHandler`. */
export interface ErrorHandlerOptions {
  /** Attempts after the first one (the config's `max_retries`). */
  maxRetries: number;
  /** First backoff delay. */
  baseDelayMs?: number;
  /** Largest backoff delay. */
  maxDelayMs?: number;
}

/**
 * Decides whether and when a failed venue call is retried. Exponential backoff
 * (base × 2^attempt, capped), the venue's `Retry-After` when it gave one, and never a
 * retry of a non-retryable kind (`venue-rejected`, `insufficient-funds`, `validation`).
 * An ambiguous timeout is retried only after reconciling by client order id.
 */
export class ErrorHandler {
  readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ErrorHandlerOptions) {
    this.maxRetries = options.maxRetries;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
  }

  /** Decision after `attempt` failed attempts (1 after the first failure). */
  decide(error: unknown, attempt: number): RetryDecision {
    const failure = TrancheError.from(error);
    if (!failure.retryable || attempt > this.maxRetries) return { retry: false, delayMs: 0, reconcileFirst: false };
    const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return {
      retry: true,
      delayMs: Math.max(backoff, failure.retryAfterMs ?? 0),
      reconcileFirst: failure.kind === 'timeout-ambiguous' || failure.kind === 'venue-unavailable',
    };
  }
}
