import { readFile } from 'node:fs/promises';
import { TrancheError } from '@tranche/core';

/** Parses `--speed`: `max` or a positive number. */
export function parseSpeed(value: string): 'max' | number {
  if (value === 'max') return 'max';
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed <= 0 || value.trim() === '') {
    throw new TrancheError('validation', `invalid --speed: must be "max" or a positive number, got ${JSON.stringify(value)}`, { field: '--speed', retryable: false });
  }
  return speed;
}

/** Reads `--order`: inline JSON, or `@path` to a JSON file. */
export async function readOrderArgument(value: string): Promise<unknown> {
  let text = value;
  let where = '--order';
  if (value.startsWith('@')) {
    where = value.slice(1);
    try {
      text = await readFile(where, 'utf8');
    } catch (error) {
      throw new TrancheError('validation', `invalid order: cannot read "${where}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
        field: 'order',
        retryable: false,
      });
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TrancheError('validation', `invalid order: malformed JSON in ${where} (${(error as Error).message})`, { field: 'order', retryable: false });
  }
}

/** Parses `--window`: a positive number of minutes. */
export function parseWindow(value: string): number {
  const minutes = Number(value);
  if (value.trim() === '' || !Number.isFinite(minutes) || minutes <= 0) {
    throw new TrancheError('validation', `invalid --window: must be a positive number of minutes, got ${JSON.stringify(value)}`, { field: '--window', retryable: false });
  }
  return minutes;
}
