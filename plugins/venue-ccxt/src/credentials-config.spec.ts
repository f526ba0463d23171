import { describe, expect, it } from 'vitest';
import { TrancheError, parseTrancheConfig } from '@tranche/core';
import ccxtVenuePlugin from './index.js';

/**
 * API keys come only from the environment or a key file: a config that carries them
 * (under credentials, at the section's top level, or in ccxt options) is refused, and
 * the error never echoes them.
 */

const KEY = 'AKIAcfgKEY0123456789abcdef';
const SECRET = 'cfgSECRETzyxwvutsrq9876543210';

function messageOf(section: unknown): string {
  try {
    parseTrancheConfig({ 'venue-ccxt': section }, [ccxtVenuePlugin as never]);
  } catch (error) {
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).kind).toBe('validation');
    return (error as TrancheError).message;
  }
  throw new Error('expected an error');
}

describe('venue-ccxt config: credentials only from the environment or a key file', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['the keys under credentials', { credentials: { apiKey: KEY, secret: SECRET } }, /unknown keys "venue-ccxt\.credentials\.apiKey", "venue-ccxt\.credentials\.secret"/],
    ['the secret as credentials', { credentials: SECRET }, /venue-ccxt\.credentials must be \{ "env": .* or \{ "file": .*\(never the keys themselves\), got a value not shown/],
    ['a key file plus the secret', { credentials: { file: 'key.json', secret: SECRET } }, /venue-ccxt\.credentials must be .*got a value not shown/],
    ['the key at the top of the section', { apiKey: KEY }, /unknown key "venue-ccxt\.apiKey"/],
    ['the keys in ccxt options', { options: { apiKey: KEY, secret: SECRET } }, /venue-ccxt\.options must not hold credentials .*environment variables or a key file/],
    ['a password in ccxt options', { options: { password: SECRET } }, /venue-ccxt\.options must not hold credentials/],
  ];
  for (const [name, section, message] of cases) {
    it(`${name}: refused, naming the field, echoing no key`, () => {
      const text = messageOf(section);
      expect(text).toMatch(message);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    });
  }

  it('environment variable names and a key file path are accepted', () => {
    expect(() => parseTrancheConfig({ 'venue-ccxt': { credentials: { env: { apiKey: 'MY_KEY', secret: 'MY_SECRET' } } } }, [ccxtVenuePlugin as never])).not.toThrow();
    expect(() => parseTrancheConfig({ 'venue-ccxt': { credentials: { file: '~/.tranche/binance.json' } } }, [ccxtVenuePlugin as never])).not.toThrow();
  });
});
