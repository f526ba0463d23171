import { TrancheError } from '@tranche/core';

/** How a value from the exchange is shown in an error: strings quoted, everything else as JavaScript prints it. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value) : String(value);
}

/**
 * A number field of an exchange payload: `undefined` when the exchange left it out
 * (null or undefined), the number when it is finite and not negative. Anything else
 * (NaN, Infinity, a string, a negative amount) is a `venue-unavailable` `TrancheError`
 * naming what, the field and the value: never a silent 0 or NaN. The kind is
 * retryable and, for a submit, ambiguous: the router looks the order up by client id
 * before anything is re-sent.
 */
export function payloadNumber(value: unknown, field: string, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new TrancheError('venue-unavailable', `malformed ${what} from the exchange: ${field} must be a finite number >= 0, got ${shown(value)}`, { field, retryable: true });
}

/** A text field of an exchange payload: `undefined` when left out, the text when a string, a `venue-unavailable` error otherwise. */
export function payloadText(value: unknown, field: string, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new TrancheError('venue-unavailable', `malformed ${what} from the exchange: ${field} must be a string, got ${shown(value)}`, { field, retryable: true });
}
