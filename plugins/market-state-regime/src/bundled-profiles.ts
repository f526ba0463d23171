import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TrancheError } from '@tranche/core';
import { BaselineProfileSchema, type BaselineProfile } from './baseline-profile.schema.js';

/** Profiles shipped in the package's `profiles/` folder, by symbol. */
export const BUNDLED_PROFILE_FILES: Readonly<Record<string, string>> = Object.freeze({
  'BTC/USDT': 'binance-spot-btc-usdt.json',
});

/**
 * Path of the bundled profile of a symbol, if there is one; resolved from this module's
 * location so it works from `src/` (tests) and `dist/` (installed).
 */
export function bundledProfilePath(symbol: string): string | undefined {
  const file = BUNDLED_PROFILE_FILES[symbol];
  return file === undefined ? undefined : fileURLToPath(new URL(`../profiles/${file}`, import.meta.url));
}

/** Reads and validates a profile JSON file; a missing or invalid file is a validation `TrancheError` naming it. */
export function loadProfileFile(path: string): BaselineProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrancheError('validation', `cannot read market-state profile "${path}": ${(error as Error).message}`, { field: 'profiles', retryable: false });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TrancheError('validation', `market-state profile "${path}" is not JSON: ${(error as Error).message}`, { field: 'profiles', retryable: false });
  }
  const parsed = BaselineProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TrancheError('validation', `invalid market-state profile "${path}": ${issue.path.join('.') || '(root)'} ${issue.message}`, {
      field: 'profiles',
      retryable: false,
    });
  }
  return parsed.data;
}
