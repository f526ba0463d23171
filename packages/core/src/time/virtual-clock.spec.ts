import { interval, take, timer, toArray, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('fires timers in time order only when advanced, setting now() to each due time', () => {
    const clock = new VirtualClock(1_000);
    const seen: Array<[string, number]> = [];
    timer(300, clock).subscribe(() => seen.push(['b', clock.now()]));
    timer(100, clock).subscribe(() => seen.push(['a', clock.now()]));
    timer(300, clock).subscribe(() => seen.push(['c', clock.now()]));
    expect(seen).toEqual([]);
    clock.advanceTo(1_250);
    expect(seen).toEqual([['a', 1_100]]);
    expect(clock.now()).toBe(1_250);
    clock.advanceTo(2_000);
    expect(seen).toEqual([['a', 1_100], ['b', 1_300], ['c', 1_300]]);
  });

  it('runs periodic timers (interval) and stops them on unsubscribe', async () => {
    const clock = new VirtualClock(0);
    const ticks = firstValueFrom(interval(10, clock).pipe(take(3), toArray()));
    clock.advanceTo(100);
    expect(await ticks).toEqual([0, 1, 2]);
    expect(clock.pending).toBe(0);
    const values: number[] = [];
    const subscription = interval(10, clock).subscribe((value) => values.push(value));
    clock.advanceBy(25);
    subscription.unsubscribe();
    clock.advanceBy(100);
    expect(values).toEqual([0, 1]);
  });

  it('never moves backwards and runs timers scheduled by timers', () => {
    const clock = new VirtualClock(500);
    const seen: number[] = [];
    timer(10, clock).subscribe(() => timer(5, clock).subscribe(() => seen.push(clock.now())));
    clock.advanceTo(400);
    expect(clock.now()).toBe(500);
    clock.advanceTo(600);
    expect(seen).toEqual([515]);
  });

  it('tells listeners when timers ran', () => {
    const clock = new VirtualClock(0);
    let calls = 0;
    clock.onTimersRun(() => calls++);
    clock.advanceTo(10);
    expect(calls).toBe(0);
    timer(5, clock).subscribe();
    clock.advanceTo(20);
    expect(calls).toBe(1);
  });
});
