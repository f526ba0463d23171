/**
 * A small, fast, seeded pseudo-random generator (mulberry32). Algorithms draw their
 * jitter from it so the same seed gives the same schedule on every run; it is not
 * for cryptography.
 */
export class SeededRandom {
  private state: number;

  /** @param seed any number; only its low 32 bits matter. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator seeded from text (e.g. a parent order id), by its FNV-1a hash. */
  static fromText(text: string): SeededRandom {
    return new SeededRandom(seedFromText(text));
  }

  /** The next number, uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** `value × (1 + amount × u)` with `u` uniform in [−½, ½): a jitter of at most ±`amount`/2. */
  jitter(value: number, amount: number): number {
    return value * (1 + amount * (this.next() - 0.5));
  }

  /** An independent generator for a named purpose, so adding draws in one place does not shift another. */
  fork(label: string): SeededRandom {
    return new SeededRandom(seedFromText(`${this.state}:${label}`));
  }
}

/** 32-bit FNV-1a hash of `text`, as a seed. */
export function seedFromText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
