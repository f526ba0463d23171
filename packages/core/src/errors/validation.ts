import type { z } from 'zod';
import { describeValue } from '../model/common.schema.js';
import { TrancheError } from './tranche-error.js';

/** Where an input came from, to prefix its error messages (`order`, `config`, …). */
export type InputName = string;

/**
 * Parses `input` with `schema` at a boundary. On failure throws one validation
 * `TrancheError` whose message names the field and the offending value, e.g.
 * `invalid order: quantity must be greater than 0, got -1`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: InputName, displayPath?: (path: PropertyKey[]) => string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw zodErrorToTrancheError(result.error, input, what, displayPath);
}

/** Turns the first issue of a zod error into a validation `TrancheError`. */
export function zodErrorToTrancheError(error: z.ZodError, input: unknown, what: InputName, displayPath?: (path: PropertyKey[]) => string): TrancheError {
  const issue = error.issues[0];
  if (issue === undefined) return new TrancheError('validation', `invalid ${what}`, { retryable: false });
  const path = issue.path;
  const field = displayPath ? displayPath(path) : formatPath(path);
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => (displayPath ? displayPath([...path, key]) : field ? `${field}.${key}` : key));
    message = `unknown ${keys.length === 1 ? 'key' : 'keys'} ${keys.map((key) => `"${key}"`).join(', ')}`;
    return new TrancheError('validation', `invalid ${what}: ${message}`, { field: keys[0], retryable: false });
  }
  const value = valueAt(input, path);
  message = humanize(issue.message);
  if (value.found && !/\bgot\b/.test(message)) message = `${message}, got ${mayHoldSecret(path, value.value) ? 'a value not shown (it may hold a secret)' : describeValue(value.value)}`;
  if (!value.found && !/required/.test(message)) message = `is required (${message})`;
  return new TrancheError('validation', `invalid ${what}: ${field || 'value'} ${message}`, { field: field || undefined, retryable: false });
}

/** Rewrites zod's generic wording ("Invalid input: expected number, received string") as a predicate. */
function humanize(message: string): string {
  const typeMismatch = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (typeMismatch) return `must be ${article(typeMismatch[1] ?? '')} ${typeMismatch[1]}`;
  const option = /^Invalid option: expected one of (.+)$/.exec(message);
  if (option) return `must be one of ${option[1]}`;
  const tooSmall = /^Too small: expected (\w+) to (?:have|be) (.+)$/.exec(message);
  if (tooSmall) return `must be ${tooSmall[2]}`;
  const tooBig = /^Too big: expected (\w+) to (?:have|be) (.+)$/.exec(message);
  if (tooBig) return `must be ${tooBig[2]}`;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !(segment in (current as object))) return { found: false };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** Names of fields that hold (or sit around) credentials: their values are never echoed in an error. */
const SECRET_FIELD = /credential|secret|password|passphrase|api_?key|token|private_?key/i;

/** True when the value at `path` may be or hold a secret: a credential-like field on the path, or inside the value. */
function mayHoldSecret(path: readonly PropertyKey[], value: unknown, depth = 0): boolean {
  if (path.some((segment) => typeof segment === 'string' && SECRET_FIELD.test(segment))) return true;
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  return Object.entries(value as Record<string, unknown>).some(([key, item]) => SECRET_FIELD.test(key) || mayHoldSecret([], item, depth + 1));
}
