import { asyncScheduler, map, switchMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { scheduleClock, type ScheduleTick } from './schedule-clock.js';
import { SeededRandom } from './seeded-random.js';
import { buildSliceGrid } from './slice-grid.js';

const label = (tick: ScheduleTick): string => (tick.kind === 'end' ? 'E' : tick.kind === 'slice' ? `S${tick.slice.index}` : `c${tick.slice.index}`);
const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const grid = (endTime: number, slices: number, randomization = 0, seed = 1) =>
  buildSliceGrid({ startTime: 0, endTime, slices, randomization, random: new SeededRandom(seed) });

// Inside TestScheduler.run the async scheduler runs on virtual time, so it is the one passed.
describe('scheduleClock (marbles)', () => {
  it('ticks each slice start, then the end, and completes', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(scheduleClock(grid(30, 3), asyncScheduler).pipe(map(label))).toBe('a 9ms b 9ms c 9ms (e|)', { a: 'S0', b: 'S1', c: 'S2', e: 'E' });
    });
  });

  it('adds evenly spaced checks inside each slice, none right before the next slice', () => {
    testScheduler().run(({ expectObservable }) => {
      const values = { a: 'S0', x: 'c0', b: 'S1', y: 'c1', e: 'E' };
      expectObservable(scheduleClock(grid(40, 2), asyncScheduler, 10).pipe(map(label))).toBe('a 9ms x 9ms b 9ms y 9ms (e|)', values);
      // 30 ms slices with checks about every 12 ms: two checks, at 10 and 20 ms.
      expectObservable(scheduleClock(grid(30, 1), asyncScheduler, 12).pipe(map(label))).toBe('a 9ms x 9ms x 9ms (e|)', { a: 'S0', x: 'c0', e: 'E' });
    });
  });

  it('starts a late subscriber in the slice in force', () => {
    testScheduler().run(({ expectObservable }) => {
      const late = timer(150, asyncScheduler).pipe(switchMap(() => scheduleClock(grid(300, 3), asyncScheduler)));
      expectObservable(late.pipe(map(label))).toBe('150ms b 49ms c 99ms (e|)', { b: 'S1', c: 'S2', e: 'E' });
    });
  });

  it('follows a randomized grid to the millisecond', () => {
    testScheduler().run(({ expectObservable }) => {
      const randomized = grid(1_000, 4, 1, 11);
      const [, second, third, fourth] = randomized.slices;
      expect(second!.startTime).not.toBe(250);
      const marble = `a ${second!.startTime - 1}ms b ${third!.startTime - second!.startTime - 1}ms c ${fourth!.startTime - third!.startTime - 1}ms d ${999 - fourth!.startTime}ms (e|)`;
      expectObservable(scheduleClock(randomized, asyncScheduler).pipe(map(label))).toBe(marble, { a: 'S0', b: 'S1', c: 'S2', d: 'S3', e: 'E' });
    });
  });

  it('cancels its timer on unsubscribe', () => {
    testScheduler().run(({ expectObservable }) => {
      expectObservable(scheduleClock(grid(30, 3), asyncScheduler).pipe(map(label)), '^ 12ms !').toBe('a 9ms b', { a: 'S0', b: 'S1' });
    });
  });
});
