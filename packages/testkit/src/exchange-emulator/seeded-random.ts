import { SeededRandom } from '@tranche/core';

/** A seeded pseudo-random generator (core's mulberry32 `SeededRandom`): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}
