import { describe, expect, it } from 'vitest';
import { NOTIFICATION_EVENTS, NOTIFICATION_SEVERITIES, type Notification, type Notifier } from '@tranche/core';

/** What `notifierContract` needs to exercise one notifier. */
export interface NotifierHarness {
  /** The notifier under test, set up to deliver every notification somewhere the harness can see. */
  notifier: Notifier;
  /** What was delivered so far, as text (a terminal's output, the bodies a server received, …). */
  delivered(): Promise<string[]>;
  /** Releases what the harness holds (servers, streams). */
  close(): Promise<void>;
}

/** One notification of each event kind and severity, with the fields a real one carries. */
export function sampleNotifications(ts = 1_723_111_200_000): Notification[] {
  return NOTIFICATION_EVENTS.map((event, index) => ({
    event,
    severity: NOTIFICATION_SEVERITIES[index % NOTIFICATION_SEVERITIES.length]!,
    title: `${event} on buy 2 BTC/USDT (twap)`,
    message: `t${index}: filled 1.5 of 2 @ 43012.5, slippage +3.1 bps vs arrival`,
    ts: ts + index * 1_000,
    executionId: `t${index}`,
    data: { symbol: 'BTC/USDT', side: 'buy', filledQuantity: 1.5 },
  }));
}

/**
 * The contract every `Notifier` must honour, run against a harness that builds a fresh
 * notifier per test: `notify` resolves for every event kind and severity and delivers
 * each, never throws synchronously (even for odd input), carries unicode and very long
 * messages without breaking, takes concurrent calls, and, when it has `close()`, sends
 * nothing after it and resolves later calls.
 */
export function notifierContract(name: string, makeHarness: () => Promise<NotifierHarness>): void {
  const withHarness = (body: (harness: NotifierHarness) => Promise<void>) => async () => {
    const harness = await makeHarness();
    try {
      await body(harness);
    } finally {
      await harness.close();
    }
  };

  describe(`notifier contract: ${name}`, () => {
    it('has a kebab-case id', withHarness(async ({ notifier }) => {
      expect(notifier.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    }));

    it('resolves and delivers every event kind, each with its title', withHarness(async ({ notifier, delivered }) => {
      const samples = sampleNotifications();
      for (const sample of samples) await expect(notifier.notify(sample)).resolves.toBeUndefined();
      const texts = await delivered();
      expect(texts).toHaveLength(samples.length);
      for (const sample of samples) expect(texts.some((text) => text.includes(sample.event) || text.includes(sample.title))).toBe(true);
    }));

    it('never throws synchronously, even for a notification without data or execution id', withHarness(async ({ notifier, delivered }) => {
      const bare: Notification = { event: 'kill-switch', severity: 'critical', title: 'Kill switch engaged', message: 'SIGINT received', ts: 0 };
      let result: Promise<void> | undefined;
      expect(() => (result = notifier.notify(bare))).not.toThrow();
      await expect(result).resolves.toBeUndefined();
      expect(await delivered()).toHaveLength(1);
    }));

    it('carries unicode and a very long message', withHarness(async ({ notifier, delivered }) => {
      const unicode = 'Ошибка биржи 🚨 — 注文 <b>&amp;</b> "quoted"';
      const long: Notification = { event: 'venue-error', severity: 'critical', title: unicode, message: `${'x'.repeat(20_000)} end`, ts: 1 };
      await expect(notifier.notify(long)).resolves.toBeUndefined();
      const [text] = await delivered();
      expect(text).toBeDefined();
      // The title survives (escaped or not, whole or cut at a character boundary: no broken surrogate).
      expect(text!).toMatch(/Ошибка биржи/);
      expect(text!).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }));

    it('takes concurrent calls and delivers each once', withHarness(async ({ notifier, delivered }) => {
      const samples = sampleNotifications().map((sample, index) => ({ ...sample, title: `concurrent ${index}` }));
      await Promise.all(samples.map((sample) => notifier.notify(sample)));
      const texts = await delivered();
      expect(texts).toHaveLength(samples.length);
      for (let index = 0; index < samples.length; index++) expect(texts.filter((text) => text.includes(`concurrent ${index}`))).toHaveLength(1);
    }));

    it('sends nothing after close() and resolves later calls', withHarness(async ({ notifier, delivered }) => {
      if (!notifier.close) return;
      await notifier.notify(sampleNotifications()[0]!);
      await notifier.close();
      await expect(notifier.notify(sampleNotifications()[1]!)).resolves.toBeUndefined();
      expect(await delivered()).toHaveLength(1);
    }));
  });
}
