import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrancheError, type BusMessage, type MessageBus } from '@tranche/core';
import type { Subscription } from 'rxjs';
import { eventually, settleRounds, uniqueToken, type Settle } from './eventually.js';

/** What `messageBusContract` needs: buses on one backend whose durable subjects include `exec.events.>`. */
export interface MessageBusHarness {
  /** A bus on the shared backend (call twice for a publisher and a subscriber in different "processes"). */
  openBus(): Promise<MessageBus>;
  /** Lets in-flight messages arrive (a flush and a short pause on a network; a macrotask in-process). */
  settle: Settle;
  /** Closes every bus opened and whatever the harness started. */
  close(): Promise<void>;
}

/** Collects what a subscription delivers. */
function record<T>(bus: MessageBus, pattern: string, options?: Parameters<MessageBus['subscribe']>[1]): { received: BusMessage<T>[]; completed: () => boolean; subscription: Subscription } {
  const received: BusMessage<T>[] = [];
  let done = false;
  const subscription = bus.subscribe<T>(pattern, options as never).subscribe({
    next: (entry) => received.push(entry),
    complete: () => (done = true),
  });
  return { received, completed: () => done, subscription };
}

/**
 * The contract every `MessageBus` must honour (the in-process default and
 * `@tranche/bus-nats`): NATS-style wildcards, per-subject ordering, replay of durable
 * subjects without gap or duplicate, de-duplication by message id, schema filtering,
 * validation of subjects, and close.
 */
export function messageBusContract(name: string, makeHarness: () => Promise<MessageBusHarness>): void {
  const withHarness = (body: (harness: MessageBusHarness, scope: string) => Promise<void>) => async () => {
    const harness = await makeHarness();
    try {
      await body(harness, uniqueToken());
    } finally {
      await harness.close();
    }
  };

  describe(`message bus contract: ${name}`, () => {
    it('matches "*" to exactly one token and ">" to one or more', withHarness(async (harness, scope) => {
      const publisher = await harness.openBus();
      const subscriber = await harness.openBus();
      const oneVenue = record(subscriber, `md.${scope}.*.trades`);
      const everything = record(subscriber, `md.${scope}.>`);
      const exact = record(subscriber, `md.${scope}.BTCUSDT.book`);
      await harness.settle();
      const subjects = [`md.${scope}.BTCUSDT.trades`, `md.${scope}.BTCUSDT.book`, `md.${scope}.ETHUSDT.trades`, `md.${scope}.trades`, `md.${scope}.ETHUSDT.trades.extra`, `state.${scope}`];
      for (const [index, subject] of subjects.entries()) await publisher.publish(subject, { index });
      await eventually(harness.settle, () => everything.received.length >= 5, 'five md messages');
      await settleRounds(harness.settle);
      expect(oneVenue.received.map((entry) => entry.subject)).toEqual([`md.${scope}.BTCUSDT.trades`, `md.${scope}.ETHUSDT.trades`]);
      expect(everything.received.map((entry) => entry.subject)).toEqual(subjects.slice(0, 5));
      expect(exact.received).toEqual([{ subject: `md.${scope}.BTCUSDT.book`, message: { index: 1 } }]);
    }));

    it('delivers the messages of one subject in publish order', withHarness(async (harness, scope) => {
      const publisher = await harness.openBus();
      const subscriber = await harness.openBus();
      const trades = record<{ n: number }>(subscriber, `md.${scope}.BTCUSDT.trades`);
      await harness.settle();
      const sends: Promise<unknown>[] = [];
      for (let n = 0; n < 500; n++) sends.push(publisher.publish(`md.${scope}.BTCUSDT.trades`, { n }));
      await Promise.all(sends);
      await eventually(harness.settle, () => trades.received.length >= 500, '500 messages');
      expect(trades.received.map((entry) => entry.message.n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    }));

    it('stores durable subjects only, and says which are durable', withHarness(async (harness, scope) => {
      const bus = await harness.openBus();
      expect(bus.isDurable(`exec.events.${scope}`)).toBe(true);
      expect(bus.isDurable(`md.${scope}.BTCUSDT.trades`)).toBe(false);
      expect(await bus.publish(`exec.events.${scope}`, { n: 1 })).toEqual({ duplicate: false, stored: true });
      expect(await bus.publish(`md.${scope}.BTCUSDT.trades`, { n: 1 })).toEqual({ duplicate: false, stored: false });
    }));

    it('replays the history of durable subjects, then goes live with no gap and no duplicate', withHarness(async (harness, scope) => {
      const publisher = await harness.openBus();
      for (let n = 1; n <= 3; n++) await publisher.publish(`exec.events.${scope}a`, { n });
      await publisher.publish(`exec.events.${scope}b`, { n: 100 });
      const subscriber = await harness.openBus();
      const replayed = record<{ n: number }>(subscriber, `exec.events.${scope}a`, { replay: true });
      const live = record<{ n: number }>(subscriber, `exec.events.${scope}a`);
      await eventually(harness.settle, () => replayed.received.length >= 3, 'the replayed history');
      await publisher.publish(`exec.events.${scope}a`, { n: 4 });
      await eventually(harness.settle, () => replayed.received.length >= 4 && live.received.length >= 1, 'the live message');
      await settleRounds(harness.settle);
      expect(replayed.received.map((entry) => entry.message.n)).toEqual([1, 2, 3, 4]);
      expect(replayed.received.every((entry) => entry.subject === `exec.events.${scope}a`)).toBe(true);
      expect(live.received.map((entry) => entry.message.n)).toEqual([4]);
    }));

    it('replays a wildcard over durable subjects in publish order, and live-only for fan-out subjects', withHarness(async (harness, scope) => {
      const bus = await harness.openBus();
      await bus.publish(`exec.events.${scope}x`, { n: 1 });
      await bus.publish(`exec.events.${scope}y`, { n: 2 });
      await bus.publish(`exec.events.${scope}x`, { n: 3 });
      await bus.publish(`state.${scope}`, { n: 99 });
      const all = record<{ n: number }>(bus, 'exec.events.*', { replay: true });
      const states = record<{ n: number }>(bus, `state.${scope}`, { replay: true });
      await eventually(harness.settle, () => all.received.filter((entry) => entry.subject.includes(scope)).length >= 3, 'the replayed wildcard');
      await harness.settle();
      await bus.publish(`state.${scope}`, { n: 100 });
      await eventually(harness.settle, () => states.received.length >= 1, 'a live state');
      await settleRounds(harness.settle);
      expect(all.received.filter((entry) => entry.subject.includes(scope)).map((entry) => entry.message.n)).toEqual([1, 2, 3]);
      expect(states.received.map((entry) => entry.message.n)).toEqual([100]);
    }));

    it('stores a retried publish with the same message id once', withHarness(async (harness, scope) => {
      const first = await harness.openBus();
      const second = await harness.openBus();
      expect(await first.publish(`exec.events.${scope}`, { n: 1 }, { messageId: `${scope}-1` })).toEqual({ duplicate: false, stored: true });
      expect(await second.publish(`exec.events.${scope}`, { n: 1 }, { messageId: `${scope}-1` })).toEqual({ duplicate: true, stored: true });
      expect(await first.publish(`exec.events.${scope}`, { n: 2 }, { messageId: `${scope}-2` })).toEqual({ duplicate: false, stored: true });
      const replayed = record<{ n: number }>(second, `exec.events.${scope}`, { replay: true });
      await eventually(harness.settle, () => replayed.received.length >= 2, 'the replay');
      await settleRounds(harness.settle);
      expect(replayed.received.map((entry) => entry.message.n)).toEqual([1, 2]);
    }));

    it('drops messages that fail a subscription schema and keeps delivering the rest', withHarness(async (harness, scope) => {
      const bus = await harness.openBus();
      const schema = z.object({ price: z.number().positive() }).strict();
      const prices = record<{ price: number }>(bus, `state.${scope}`, { schema });
      await harness.settle();
      await bus.publish(`state.${scope}`, { price: 10 });
      await bus.publish(`state.${scope}`, { price: 'ten' });
      await bus.publish(`state.${scope}`, { price: 11 });
      await eventually(harness.settle, () => prices.received.length >= 2, 'two valid messages');
      await settleRounds(harness.settle);
      expect(prices.received.map((entry) => entry.message.price)).toEqual([10, 11]);
      expect(prices.completed()).toBe(false);
    }));

    it('refuses subjects with wildcards or empty tokens and malformed patterns', withHarness(async (harness) => {
      const bus = await harness.openBus();
      for (const subject of ['md.*.x', 'md..x', '', 'md.x.>', 'has space']) {
        const error = await bus.publish(subject, {}).then(() => undefined, (caught: unknown) => caught);
        expect(error, subject).toBeInstanceOf(TrancheError);
        expect((error as TrancheError).kind).toBe('validation');
        expect((error as TrancheError).message).toContain(`"${subject}"`);
      }
      for (const pattern of ['md.>.x', 'md..x', '']) {
        expect(() => bus.subscribe(pattern), pattern).toThrow(TrancheError);
      }
    }));

    it('completes subscriptions on close and refuses publishes after it', withHarness(async (harness, scope) => {
      const bus = await harness.openBus();
      const subscription = record(bus, `state.${scope}`);
      await harness.settle();
      await bus.close();
      await eventually(harness.settle, subscription.completed, 'completion');
      const error = await bus.publish(`state.${scope}`, {}).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      await bus.close();
    }));
  });
}
