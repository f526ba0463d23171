import type { ErrorInfo, ErrorKind } from '../model/execution.schema.js';

/** Kinds that are worth retrying unless a caller says otherwise. */
const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(['venue-unavailable', 'rate-limited', 'timeout-ambiguous']);

/** Options of a `TrancheError`. */
export interface TrancheErrorOptions {
  /** Overrides the kind's default retryability. */
  retryable?: boolean;
  /** The input field the error is about (validation errors). */
  field?: string;
  /** Milliseconds the venue asked us to wait before retrying (rate limits). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error type of Tranche. `kind` says what went wrong in terms a caller can act
 * on; `retryable` says whether trying again may help. A `timeout-ambiguous` error means
 * the venue may or may not have acted: reconcile by client order id before re-sending.
 */
export class TrancheError extends Error {
  /** What went wrong. */
  readonly kind: ErrorKind;
  /** Whether trying again may help. */
  readonly retryable: boolean;
  /** The input field the error is about, for validation errors. */
  readonly field?: string;
  /** Milliseconds to wait before a retry, when the venue said so. */
  readonly retryAfterMs?: number;

  constructor(kind: ErrorKind, message: string, options: TrancheErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrancheError';
    this.kind = kind;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(kind);
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** A plain, serializable description for events and reports. */
  toInfo(): ErrorInfo {
    return {
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      ...(this.field === undefined ? {} : { field: this.field }),
    };
  }

  /** Wraps anything thrown into a `TrancheError` (non-Tranche errors become `internal`). */
  static from(error: unknown): TrancheError {
    if (error instanceof TrancheError) return error;
    if (error instanceof Error) return new TrancheError('internal', error.message, { cause: error, retryable: false });
    return new TrancheError('internal', String(error), { retryable: false });
  }
}

/** True when `error` is a `TrancheError`, optionally of the given kind. */
export function isTrancheError(error: unknown, kind?: ErrorKind): error is TrancheError {
  return error instanceof TrancheError && (kind === undefined || error.kind === kind);
}
