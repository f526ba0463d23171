import { describe, expect, it } from 'vitest';
import { SeededRandom, seedFromText } from './seeded-random.js';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((random) => () => random.next())(new SeededRandom(seed)));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('draws uniformly in [0, 1)', () => {
    const random = new SeededRandom(1);
    const values = Array.from({ length: 10_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const lowHalf = values.filter((value) => value < 0.5).length / values.length;
    expect(lowHalf).toBeGreaterThan(0.48);
  });

  it('jitters by at most ±amount/2 and forks independent streams', () => {
    const random = new SeededRandom(3);
    for (let index = 0; index < 1_000; index++) {
      const value = random.jitter(100, 0.4);
      expect(value).toBeGreaterThanOrEqual(80);
      expect(value).toBeLessThan(120);
    }
    const parent = new SeededRandom(9);
    const first = parent.fork('grid').next();
    expect(new SeededRandom(9).fork('grid').next()).toBe(first);
    expect(new SeededRandom(9).fork('display').next()).not.toBe(first);
  });

  it('seeds from text deterministically (FNV-1a)', () => {
    expect(seedFromText('')).toBe(0x811c9dc5);
    expect(seedFromText('order-1')).toBe(seedFromText('order-1'));
    expect(seedFromText('order-1')).not.toBe(seedFromText('order-2'));
    expect(SeededRandom.fromText('abc').next()).toBe(new SeededRandom(seedFromText('abc')).next());
  });
});
