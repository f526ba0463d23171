import { TrancheError } from '../errors/tranche-error.js';

/** One token of a subject: no dots, no whitespace, no wildcards. */
const TOKEN = /^[^.\s*>]+$/;

/**
 * Checks a concrete subject (`exec.events.abc`): dot-separated, non-empty tokens, no
 * whitespace and no wildcards. Throws a validation `TrancheError` naming the subject.
 */
export function assertSubject(subject: string, field = 'subject'): void {
  if (typeof subject !== 'string' || subject.length === 0 || !subject.split('.').every((token) => TOKEN.test(token))) {
    throw new TrancheError('validation', `invalid ${field} "${String(subject)}": dot-separated non-empty tokens without spaces or wildcards`, {
      field,
      retryable: false,
    });
  }
}

/**
 * Checks a subscription pattern: tokens as in a subject, or `*` (exactly one token), or
 * `>` (one or more tokens, last only). Throws a validation `TrancheError` naming it.
 */
export function assertSubjectPattern(pattern: string, field = 'pattern'): void {
  const tokens = typeof pattern === 'string' && pattern.length > 0 ? pattern.split('.') : [];
  const valid =
    tokens.length > 0 &&
    tokens.every((token, index) => TOKEN.test(token) || token === '*' || (token === '>' && index === tokens.length - 1));
  if (!valid) {
    throw new TrancheError('validation', `invalid ${field} "${String(pattern)}": dot-separated tokens, "*" for one token, ">" (last) for the rest`, {
      field,
      retryable: false,
    });
  }
}

/** True when a valid subject matches a valid NATS-style pattern (`*` one token, `>` one or more). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let index = 0; index < patternTokens.length; index++) {
    const token = patternTokens[index]!;
    if (token === '>') return subjectTokens.length > index;
    if (index >= subjectTokens.length) return false;
    if (token !== '*' && token !== subjectTokens[index]) return false;
  }
  return patternTokens.length === subjectTokens.length;
}

/**
 * The pattern matching exactly the subjects both patterns match, or `null` when no
 * subject matches both (`a.*.c` ∩ `a.b.>` = `a.b.c`). Used to narrow a subscription to
 * the part of a durable subject space it covers.
 */
export function intersectSubjectPatterns(first: string, second: string): string | null {
  const a = first.split('.');
  const b = second.split('.');
  const result: string[] = [];
  for (let index = 0; ; index++) {
    const left = a[index];
    const right = b[index];
    if (left === undefined && right === undefined) return result.join('.');
    // `>` needs at least one token: against a pattern that has ended, nothing matches both.
    if (left === undefined || right === undefined) return null;
    if (left === '>') return [...result, ...b.slice(index)].join('.');
    if (right === '>') return [...result, ...a.slice(index)].join('.');
    if (left === '*') result.push(right);
    else if (right === '*' || right === left) result.push(left);
    else return null;
  }
}

/** A job id or lease key: one subject token of letters, digits, `_` and `-` (an execution id). */
const ID_TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

/** Checks a job id or lease key; throws a validation `TrancheError` naming the field and the value. */
export function assertIdToken(value: string, field: string): void {
  if (typeof value !== 'string' || !ID_TOKEN.test(value)) {
    throw new TrancheError('validation', `invalid ${field} "${String(value)}": 1-200 letters, digits, "_" or "-"`, { field, retryable: false });
  }
}
