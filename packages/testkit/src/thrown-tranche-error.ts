import { expect } from 'vitest';
import { TrancheError } from '@tranche/core';

/** Runs `run`, expects it to throw a `TrancheError`, and returns that error (for checks of its kind, field and message). */
export function thrownTrancheError(run: () => unknown): TrancheError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrancheError);
    return error as TrancheError;
  }
  throw new Error('expected a TrancheError, but nothing was thrown');
}
