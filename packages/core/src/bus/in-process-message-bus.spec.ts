import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../time/virtual-clock.js';
import { InProcessMessageBus } from './in-process-message-bus.js';

function replayed(bus: InProcessMessageBus, pattern: string): unknown[] {
  const seen: unknown[] = [];
  bus.subscribe(pattern, { replay: true }).subscribe((entry) => seen.push(entry.message)).unsubscribe();
  return seen;
}

describe('InProcessMessageBus', () => {
  it('keeps the newest maxStoredMessages durable messages, in publish order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 60 }), async (capacity, subjects) => {
        const bus = new InProcessMessageBus({ clock: new VirtualClock(0), maxStoredMessages: capacity });
        for (const [n, token] of subjects.entries()) await bus.publish(`exec.events.${token}`, { n, token });
        const kept = subjects.map((token, n) => ({ n, token })).slice(-capacity);
        expect(replayed(bus, 'exec.events.>')).toEqual(kept);
        expect(replayed(bus, 'exec.events.a')).toEqual(kept.filter((entry) => entry.token === 'a'));
        expect(bus.storedCount).toBe(kept.length);
      }),
      { numRuns: 200 },
    );
  });

  it('drops stored messages older than maxAgeMs and forgets message ids after the duplicate window, on its clock', async () => {
    const clock = new VirtualClock(0);
    const bus = new InProcessMessageBus({ clock, maxAgeMs: 1_000, duplicateWindowMs: 5_000 });
    await bus.publish('exec.events.e1', { n: 1 }, { messageId: 'm1' });
    clock.advanceBy(600);
    await bus.publish('exec.events.e1', { n: 2 });
    clock.advanceBy(600);
    expect(replayed(bus, 'exec.events.e1')).toEqual([{ n: 2 }]);
    expect(await bus.publish('exec.events.e1', { n: 1 }, { messageId: 'm1' })).toEqual({ duplicate: true, stored: true });
    clock.advanceBy(4_000);
    expect(await bus.publish('exec.events.e1', { n: 3 }, { messageId: 'm1' })).toEqual({ duplicate: false, stored: true });
    expect(replayed(bus, 'exec.events.e1')).toEqual([{ n: 3 }]);
  });

  it('delivers a message published by a subscriber after the current one, to every subscriber', async () => {
    const bus = new InProcessMessageBus({ clock: new VirtualClock(0) });
    const first: number[] = [];
    const second: number[] = [];
    bus.subscribe<{ n: number }>('state.x').subscribe(({ message }) => {
      first.push(message.n);
      if (message.n === 1) void bus.publish('state.x', { n: 2 });
    });
    bus.subscribe<{ n: number }>('state.x').subscribe(({ message }) => second.push(message.n));
    await bus.publish('state.x', { n: 1 });
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
  });

  it('refuses bad options with a validation error naming them', () => {
    expect(() => new InProcessMessageBus({ clock: new VirtualClock(0), maxStoredMessages: 0 })).toThrow(/invalid maxStoredMessages 0/);
    expect(() => new InProcessMessageBus({ clock: new VirtualClock(0), durableSubjects: ['exec..x'] })).toThrow(/invalid durableSubjects "exec\.\.x"/);
  });
});
