import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from './validation.js';
import { TrancheError } from './tranche-error.js';

/** A validation error names the field but never echoes a value that may be a secret. */

const SECRET = 'sk-LIVE-4f9a8b7c6d5e4f3a2b1c';
const schema = z
  .object({
    credentials: z.union([z.object({ env: z.string() }).strict(), z.object({ file: z.string() }).strict()]),
    apiKey: z.number().optional(),
    options: z.record(z.string(), z.unknown()).refine((options) => !('secret' in options), { error: 'must not hold credentials' }).optional(),
    quantity: z.number().positive().optional(),
  })
  .strict();

function messageOf(input: unknown): string {
  try {
    parseInput(schema, input, 'config');
  } catch (error) {
    expect(error).toBeInstanceOf(TrancheError);
    return (error as TrancheError).message;
  }
  throw new Error('expected an error');
}

describe('validation errors and secrets', () => {
  const cases: Array<[string, unknown]> = [
    ['a secret pasted as the credentials', { credentials: SECRET }],
    ['a secret inside a malformed credentials object', { credentials: { file: 'key.json', secret: SECRET } }],
    ['a secret in a field named like a key', { credentials: { env: 'X' }, apiKey: SECRET }],
    ['a secret under another key of an object', { credentials: { env: 'X' }, options: { secret: SECRET } }],
  ];
  for (const [name, input] of cases) {
    it(`${name}: the field is named, the value is not shown`, () => {
      const message = messageOf(input);
      expect(message).not.toContain(SECRET);
      expect(message).toMatch(/^invalid config: ((credentials|apiKey|options) .*got a value not shown \(it may hold a secret\)|unknown key "credentials\.secret")$/);
    });
  }

  it('ordinary values are still echoed', () => {
    expect(messageOf({ credentials: { env: 'X' }, quantity: -1 })).toBe('invalid config: quantity must be >0, got -1');
  });
});
