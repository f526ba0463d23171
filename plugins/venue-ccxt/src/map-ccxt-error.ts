import { TrancheError } from '@tranche/core';
import { redactSecrets } from './redact-secrets.js';

/** What the failed call was doing: a submit or cancel that may have reached the exchange is ambiguous when unanswered. */
export type CcxtOperation = 'submit' | 'cancel' | 'query' | 'market-data';

/** What `mapCcxtError` needs beyond the error. */
export interface CcxtErrorContext {
  operation: CcxtOperation;
  /** Current time (epoch ms), to turn a ban end into a delay. */
  now: number;
  /** Secrets to redact from the message. */
  secrets?: readonly (string | undefined)[];
  /** Back-off after a 429 without `Retry-After`. */
  backoffMs?: number;
  /** Back-off after a 418 without `Retry-After` or ban end. */
  banBackoffMs?: number;
}

/** Property a wrapped ccxt `handleErrors` sets on an error when the response carried `Retry-After`. */
export const RETRY_AFTER_PROPERTY = 'trancheRetryAfterMs';

type Mapped = { kind: TrancheError['kind']; retryable: boolean; what: string };

const rejected = (what: string): Mapped => ({ kind: 'venue-rejected', retryable: false, what });
const unavailable = (what: string): Mapped => ({ kind: 'venue-unavailable', retryable: true, what });
const rateLimited = (what: string): Mapped => ({ kind: 'rate-limited', retryable: true, what });
const ambiguousOr = (operation: CcxtOperation, what: string): Mapped =>
  operation === 'submit' || operation === 'cancel' ? { kind: 'timeout-ambiguous', retryable: true, what } : unavailable(what);

/**
 * Binance spot error codes (`{"code":-1013,"msg":…}`), classified on their own: against
 * another host (an emulator, a proxy) ccxt cannot map them by URL and raises a plain
 * `ExchangeError` or `BadRequest`.
 */
const BINANCE_CODES: Readonly<Record<string, (operation: CcxtOperation, message: string) => Mapped>> = {
  '-1000': () => unavailable('unknown server error'),
  '-1001': () => unavailable('exchange internal error / disconnected'),
  '-1003': () => rateLimited('too many requests (request weight)'),
  '-1004': () => unavailable('server busy'),
  '-1006': (operation) => ambiguousOr(operation, 'unexpected response from the message bus; execution status unknown'),
  '-1007': (operation) => ambiguousOr(operation, 'backend timeout; execution status unknown'),
  '-1008': () => unavailable('server overloaded'),
  '-1013': (_operation, message) => rejected(`filter failure${filterName(message)}`),
  '-1015': () => rateLimited('too many new orders'),
  '-1021': () => unavailable('timestamp outside the receive window (clock skew)'),
  '-1022': () => rejected('invalid signature: check the API secret'),
  '-1100': () => rejected('illegal characters in a parameter'),
  '-1102': () => rejected('mandatory parameter missing or malformed'),
  '-1106': () => rejected('parameter sent when not required'),
  '-1111': () => rejected('precision over the maximum for this asset'),
  '-1116': () => rejected('invalid order type'),
  '-1117': () => rejected('invalid side'),
  '-1121': () => rejected('invalid symbol'),
  '-2010': (_operation, message) =>
    /insufficient balance/i.test(message)
      ? { kind: 'insufficient-funds', retryable: false, what: 'insufficient balance' }
      : rejected(`new order rejected${/duplicate/i.test(message) ? ' (duplicate client order id)' : filterName(message)}`),
  '-2011': () => rejected('cancel rejected: unknown order'),
  '-2013': () => rejected('order does not exist'),
  '-2014': () => rejected('API key format invalid'),
  '-2015': () => rejected('invalid API key, IP or permissions'),
};

/**
 * ccxt error classes by name, most specific first. Names, not `instanceof`, so both
 * places of `RateLimitExceeded` (under `DDoSProtection` in older ccxt, under
 * `NetworkError` in 4.5) and errors from another copy of ccxt classify alike.
 */
const CLASS_RULES: readonly [string, (operation: CcxtOperation) => Mapped][] = [
  ['RateLimitExceeded', () => rateLimited('rate limit exceeded')],
  ['DDoSProtection', () => rateLimited('rate limited / DDoS protection')],
  ['InsufficientFunds', () => ({ kind: 'insufficient-funds', retryable: false, what: 'insufficient funds' })],
  ['OrderNotFound', () => rejected('order not found')],
  ['DuplicateOrderId', () => rejected('duplicate client order id')],
  ['OrderImmediatelyFillable', () => rejected('post-only order would take liquidity')],
  ['InvalidOrder', () => rejected('invalid order')],
  ['AuthenticationError', () => rejected('authentication failed: check the credentials')],
  ['PermissionDenied', () => rejected('permission denied')],
  ['AccountSuspended', () => rejected('account suspended')],
  ['BadSymbol', () => rejected('unknown symbol')],
  ['MarketClosed', () => rejected('market closed')],
  ['NotSupported', () => rejected('not supported by the exchange')],
  ['ArgumentsRequired', () => rejected('arguments required')],
  ['RequestTimeout', (operation) => ambiguousOr(operation, 'request timed out')],
  ['OnMaintenance', () => unavailable('exchange on maintenance')],
  ['ExchangeNotAvailable', () => unavailable('exchange not available')],
  ['InvalidNonce', () => unavailable('invalid nonce / timestamp')],
  ['CancelPending', () => unavailable('cancel pending')],
  ['BadResponse', (operation) => ambiguousOr(operation, 'bad response')],
  ['NetworkError', (operation) => ambiguousOr(operation, 'network error')],
  // A 503 raises OperationFailed, the parent of NetworkError: retryable, never rejected.
  ['OperationFailed', () => unavailable('operation failed (exchange error, 5xx)')],
  ['BadRequest', () => rejected('bad request')],
  ['OperationRejected', () => rejected('operation rejected')],
  ['ExchangeError', () => rejected('exchange error')],
];

/** Kinds decided by a class that an exchange error code must not override (the transport failed, not the order). */
/** JavaScript errors ccxt throws while parsing a malformed answer (not ccxt error classes). */
const ANSWER_PARSE_ERRORS = new Set(['TypeError', 'RangeError', 'SyntaxError']);

const TRANSPORT_CLASSES = new Set(['RateLimitExceeded', 'DDoSProtection', 'RequestTimeout', 'NetworkError', 'ExchangeNotAvailable', 'OnMaintenance']);

/** Names of the classes on an error's prototype chain, most derived first. */
export function errorClassNames(error: unknown): string[] {
  const names: string[] = [];
  let prototype = error !== null && typeof error === 'object' ? Object.getPrototypeOf(error) : null;
  while (prototype && prototype !== Object.prototype) {
    const name = (prototype as { constructor?: { name?: string } }).constructor?.name;
    if (name && name !== 'Error') names.push(name);
    prototype = Object.getPrototypeOf(prototype);
  }
  const ownName = (error as { name?: unknown } | null)?.name;
  if (typeof ownName === 'string' && !names.includes(ownName) && ownName !== 'Error') names.unshift(ownName);
  return names;
}

/** The exchange's numeric error code in a ccxt message (`{"code":-1013,…}`), if any. */
export function exchangeErrorCode(message: string): string | undefined {
  return /"code"\s*:\s*"?(-\d{3,5})"?/.exec(message)?.[1] ?? /\bcode[=: ]\s*(-\d{4,5})\b/.exec(message)?.[1];
}

/**
 * Maps anything ccxt (or the network) throws onto a `TrancheError`: the kind and
 * retryability by ccxt class and by the exchange's error code, the venue's wait for
 * 429 / 418 (`Retry-After`, a ban's end, or the configured back-off), and a message
 * with every secret and signature redacted. The raw error is not kept as `cause`
 * (its message may hold a signed URL).
 */
export function mapCcxtError(error: unknown, context: CcxtErrorContext): TrancheError {
  if (error instanceof TrancheError) return error;
  const rawMessage = error instanceof Error ? error.message : String(error);
  const message = redactSecrets(rawMessage, context.secrets);
  const classes = errorClassNames(error);
  const className = classes.find((name) => CLASS_RULES.some(([rule]) => rule === name));
  const code = exchangeErrorCode(rawMessage);
  let mapped: Mapped | undefined;
  const byClass = className === undefined ? undefined : CLASS_RULES.find(([rule]) => classes.includes(rule))![1](context.operation);
  if (code !== undefined && BINANCE_CODES[code] && !(className && TRANSPORT_CLASSES.has(className))) mapped = BINANCE_CODES[code]!(context.operation, rawMessage);
  mapped ??= byClass;
  if (!mapped) {
    if (/ECONNRESET|ECONNREFUSED|socket hang up|ETIMEDOUT|fetch failed/i.test(rawMessage)) mapped = ambiguousOr(context.operation, 'connection failed');
    // ccxt failing on a malformed answer (a NaN amount, cut JSON) after the exchange took the request: ambiguous, looked up before any re-send.
    else if ((context.operation === 'submit' || context.operation === 'cancel') && classes.some((name) => ANSWER_PARSE_ERRORS.has(name))) {
      mapped = ambiguousOr(context.operation, "the exchange's answer could not be read");
    }
    else return new TrancheError('internal', `ccxt call failed: ${message}`, { retryable: false });
  }
  const retryAfterMs = mapped.kind === 'rate-limited' ? retryAfterOf(error, rawMessage, context) : undefined;
  const label = className ?? (code === undefined ? (classes[0] ?? 'error') : `code ${code}`);
  return new TrancheError(mapped.kind, `${mapped.what} (${label}${code !== undefined && className ? ` ${code}` : ''}): ${message}`, {
    retryable: mapped.retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The wait a rate-limit error asks for: `Retry-After`, a 418 ban's end, else the configured back-off. */
function retryAfterOf(error: unknown, message: string, context: CcxtErrorContext): number {
  const header = (error as Record<string, unknown> | null)?.[RETRY_AFTER_PROPERTY];
  if (typeof header === 'number' && Number.isFinite(header) && header >= 0) return header;
  const bannedUntil = /banned until (\d{12,14})/i.exec(message)?.[1];
  if (bannedUntil !== undefined) return Math.max(0, Number(bannedUntil) - context.now);
  if (/\b418\b/.test(message)) return context.banBackoffMs ?? 60_000;
  return context.backoffMs ?? 1_000;
}

/** The filter a Binance "Filter failure: X" message names, as ` (X)`, or nothing. */
function filterName(message: string): string {
  const filter = /Filter failure: ([A-Z_]+)/.exec(message)?.[1];
  return filter === undefined ? '' : ` (${filter})`;
}

/** Parses an HTTP `Retry-After` value (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1_000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
