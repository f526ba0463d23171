import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TrancheError, type Logger } from '@tranche/core';
import type { CredentialsSource } from './ccxt-venue-config.schema.js';

/** API credentials as loaded (never logged: every log line and error of the plugin redacts them). */
export interface ApiCredentials {
  apiKey?: string;
  secret?: string;
  password?: string;
}

/**
 * Reads the credentials from the environment variables or the key file the config
 * names. A key file readable by group or others is used, with a warning; a missing or
 * malformed file is a validation error naming the path (never its content).
 */
export async function loadCredentials(source: CredentialsSource, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<ApiCredentials> {
  if ('env' in source) {
    const credentials: ApiCredentials = {
      ...(env[source.env.apiKey] ? { apiKey: env[source.env.apiKey] } : {}),
      ...(env[source.env.secret] ? { secret: env[source.env.secret] } : {}),
      ...(source.env.password && env[source.env.password] ? { password: env[source.env.password] } : {}),
    };
    if (!credentials.apiKey || !credentials.secret) {
      log.warn('no API credentials: market data works, orders will be refused by the exchange', {
        apiKeyVariable: source.env.apiKey,
        secretVariable: source.env.secret,
      });
    }
    return credentials;
  }
  const path = source.file === '~' || source.file.startsWith('~/') ? join(homedir(), source.file.slice(1)) : source.file;
  let text: string;
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      log.warn('the API key file is readable by group or others: restrict it (chmod 600)', { file: path, mode: (info.mode & 0o777).toString(8) });
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TrancheError('validation', `invalid config: venue-ccxt.credentials.file "${path}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      field: 'venue-ccxt.credentials.file',
      retryable: false,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TrancheError('validation', `invalid config: venue-ccxt.credentials.file "${path}" is not JSON`, { field: 'venue-ccxt.credentials.file', retryable: false });
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const field = (name: string): string | undefined => (typeof record[name] === 'string' && record[name] !== '' ? (record[name] as string) : undefined);
  const apiKey = field('apiKey');
  const secret = field('secret');
  if (apiKey === undefined || secret === undefined) {
    throw new TrancheError('validation', `invalid config: venue-ccxt.credentials.file "${path}" must hold string fields "apiKey" and "secret"`, {
      field: 'venue-ccxt.credentials.file',
      retryable: false,
    });
  }
  const password = field('password');
  return { apiKey, secret, ...(password === undefined ? {} : { password }) };
}
