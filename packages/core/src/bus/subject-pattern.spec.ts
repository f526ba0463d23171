import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrancheError } from '../errors/tranche-error.js';
import { assertIdToken, assertSubject, assertSubjectPattern, intersectSubjectPatterns, subjectMatches } from './subject-pattern.js';

const token = fc.constantFrom('md', 'exec', 'events', 'a', 'b', 'BTCUSDT');
const subject = fc.array(token, { minLength: 1, maxLength: 5 }).map((tokens) => tokens.join('.'));
const pattern = fc
  .tuple(fc.array(fc.oneof(token, fc.constant('*')), { minLength: 0, maxLength: 4 }), fc.boolean())
  .filter(([tokens, tail]) => tokens.length > 0 || tail)
  .map(([tokens, tail]) => [...tokens, ...(tail ? ['>'] : [])].join('.'));

/** Reference semantics of a NATS pattern as a regular expression. */
function reference(patternText: string, subjectText: string): boolean {
  const source = patternText
    .split('.')
    .map((part) => (part === '*' ? '[^.]+' : part === '>' ? '[^.]+(?:\\.[^.]+)*' : part))
    .join('\\.');
  return new RegExp(`^${source}$`).test(subjectText);
}

describe('subject patterns', () => {
  it('match like NATS: "*" one token, ">" one or more at the end (property)', () => {
    fc.assert(fc.property(pattern, subject, (p, s) => subjectMatches(p, s) === reference(p, s)), { numRuns: 2000 });
  });

  it('intersect to the pattern that matches exactly what both match (property)', () => {
    fc.assert(
      fc.property(pattern, pattern, subject, (first, second, s) => {
        const both = intersectSubjectPatterns(first, second);
        const expected = subjectMatches(first, s) && subjectMatches(second, s);
        expect(both === null ? false : subjectMatches(both, s)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(intersectSubjectPatterns('a.*.c', 'a.b.>')).toBe('a.b.c');
    expect(intersectSubjectPatterns('exec.>', 'md.>')).toBeNull();
    expect(intersectSubjectPatterns('a.>', 'a')).toBeNull();
  });

  it('refuse malformed subjects, patterns and ids with a validation error naming the value', () => {
    for (const bad of ['', 'a..b', 'a.*', 'a.>', 'a b', '.a']) expect(() => assertSubject(bad), bad).toThrow(new RegExp(`invalid subject "${bad.replace(/[.*>]/g, '\\$&')}"`));
    for (const bad of ['', 'a..b', 'a.>.b', '>a', 'a b']) expect(() => assertSubjectPattern(bad), bad).toThrow(TrancheError);
    for (const good of ['>', '*', 'a.*.>', 'md.binance.BTCUSDT.trades']) expect(() => assertSubjectPattern(good), good).not.toThrow();
    for (const bad of ['', 'a.b', 'a*', 'x'.repeat(201)]) expect(() => assertIdToken(bad, 'id'), bad).toThrow(/invalid id/);
    expect(() => assertIdToken('exec-2026_01', 'id')).not.toThrow();
  });
});
