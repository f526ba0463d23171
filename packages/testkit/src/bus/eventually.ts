import { randomUUID } from 'node:crypto';

/** Lets pending work progress once: a network round trip for a networked backend, a macrotask in-process. */
export type Settle = () => Promise<void>;

/**
 * Calls `settle` until `condition()` holds, at most `maxRounds` times; throws an error
 * naming `what` otherwise. Used by the bus contract suites so the same assertions run
 * against an in-process backend (one round) and a networked one (a few round trips).
 */
export async function eventually(settle: Settle, condition: () => boolean, what: string, maxRounds = 300): Promise<void> {
  for (let round = 0; round < maxRounds; round++) {
    if (condition()) return;
    await settle();
  }
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Runs `settle` `rounds` times: gives messages that should NOT arrive the chance to do so. */
export async function settleRounds(settle: Settle, rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round++) await settle();
}

/** A token unique to this call (letters and digits), so tests on a shared server never see each other's subjects. */
export function uniqueToken(prefix = 't'): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
