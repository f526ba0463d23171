import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Notification, Notifier } from '../contracts/notifier.js';
import { VirtualClock, yieldToEventLoop } from '../time/virtual-clock.js';
import { MemoryLogger } from '../util/noop-logger.js';
import { NotifierChannel } from './execution-notifier-channel.js';
import { NOTIFICATION_SEVERITIES } from './execution-notifier-config.schema.js';

const T0 = 1_723_111_200_000;

type Outcome = 'ok' | 'reject' | 'hang';

class ScriptedNotifier implements Notifier {
  readonly id = 'scripted';
  readonly deliveredAt: number[] = [];
  private index = 0;
  constructor(
    private readonly outcomes: readonly Outcome[],
    private readonly clock: VirtualClock,
  ) {}
  notify(): Promise<void> {
    const outcome = this.outcomes[this.index++ % this.outcomes.length]!;
    this.deliveredAt.push(this.clock.now());
    if (outcome === 'reject') return Promise.reject(new Error('down'));
    if (outcome === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }
}

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await yieldToEventLoop();
}

describe('NotifierChannel invariants (property)', () => {
  it('every notification is accounted for once; the rate cap holds on the clock; the queue never exceeds its bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          maxQueue: fc.integer({ min: 1, max: 8 }),
          maxPerMinute: fc.integer({ min: 1, max: 120 }),
          burst: fc.integer({ min: 1, max: 5 }),
          deliveryTimeoutMs: fc.integer({ min: 100, max: 20_000 }),
          outcomes: fc.array(fc.constantFrom<Outcome>('ok', 'ok', 'reject', 'hang'), { minLength: 1, maxLength: 6 }),
          // Arrivals: (gap before it in ms, severity index).
          arrivals: fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 40 }),
        }),
        async ({ maxQueue, maxPerMinute, burst, deliveryTimeoutMs, outcomes, arrivals }) => {
          const clock = new VirtualClock(T0);
          const notifier = new ScriptedNotifier(outcomes, clock);
          const channel = new NotifierChannel(notifier, { maxQueue, maxPerMinute, burst, deliveryTimeoutMs }, clock, new MemoryLogger());
          let now = T0;
          for (const [index, [gap, severity]] of arrivals.entries()) {
            now += gap;
            clock.advanceTo(now);
            await settle();
            const notification: Notification = { event: 'venue-error', severity: NOTIFICATION_SEVERITIES[severity]!, title: `n${index}`, message: 'm', ts: now };
            channel.enqueue(notification);
            expect(channel.queued).toBeLessThanOrEqual(maxQueue);
          }
          // Let everything play out: time moves until nothing waits.
          for (let round = 0; round < 10_000 && !channel.idle; round++) {
            await settle();
            if (clock.pending > 0) clock.advanceTo(clock.nextDue());
          }
          expect(channel.idle).toBe(true);
          const { delivered, failed, timedOut, dropped } = channel.stats;
          expect(delivered + failed + timedOut + dropped).toBe(arrivals.length);
          expect(notifier.deliveredAt).toHaveLength(delivered + failed + timedOut);
          // Token bucket: in any span [a, b] at most burst + (b - a) × rate attempts started.
          const rate = maxPerMinute / 60_000;
          const times = notifier.deliveredAt;
          for (let first = 0; first < times.length; first++) {
            for (let last = first; last < times.length; last++) {
              expect(last - first + 1).toBeLessThanOrEqual(burst + (times[last]! - times[first]!) * rate + 1e-9);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
