import { describe, expect, it } from 'vitest';
import { parseTrancheConfig } from '@tranche/core';
import ccxtVenuePlugin from './index.js';
import { thrownTrancheError } from '@tranche/testkit';

/**
 * ccxt's verbose mode prints every request (signed URLs, the API-key header) with
 * console.log, past Tranche's redaction: the config refuses it.
 */

const errorOf = thrownTrancheError;

describe('venue-ccxt config: ccxt verbose mode', () => {
  for (const options of [{ verbose: true }, { verbose: false }, { Verbose: 1 }]) {
    it(`options ${JSON.stringify(options)} is refused naming venue-ccxt.options (ccxt would print signed requests)`, () => {
      const error = errorOf(() => parseTrancheConfig({ 'venue-ccxt': { options } }, [ccxtVenuePlugin as never]));
      expect(error.kind).toBe('validation');
      expect(error.message).toMatch(/^invalid config: venue-ccxt\.options must not set "verbose": ccxt would print every signed request \(API key and signature\) to the console/);
    });
  }
  it('other options pass', () => {
    expect(() => parseTrancheConfig({ 'venue-ccxt': { options: { adjustForTimeDifference: true } } }, [ccxtVenuePlugin as never])).not.toThrow();
  });
});
