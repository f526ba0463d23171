import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Notification, Notifier, NotifyOptions } from '../contracts/notifier.js';
import { isTrancheError } from '../errors/tranche-error.js';
import { CoreConfigSchema } from '../model/config.schema.js';
import { normalizeConfigKeys } from '../plugin/config-keys.js';
import type { ExecutionEvent, ExecutionReport } from '../model/execution.schema.js';
import { VirtualClock, yieldToEventLoop } from '../time/virtual-clock.js';
import { MemoryLogger } from '../util/noop-logger.js';
import { ExecutionNotifier } from './execution-notifier.js';
import { ExecutionNotificationBuilder, ended, slippageBps } from './execution-notifier-events.js';

const T0 = 1_723_111_200_000;

class RecordingNotifier implements Notifier {
  readonly received: Notification[] = [];
  readonly signals: AbortSignal[] = [];
  constructor(
    readonly id: string,
    private readonly behaviour: 'ok' | 'throw' | 'reject' | 'hang' = 'ok',
  ) {}
  notify(notification: Notification, options?: NotifyOptions): Promise<void> {
    this.received.push(notification);
    if (options?.signal) this.signals.push(options.signal);
    if (this.behaviour === 'throw') throw new Error('boom');
    if (this.behaviour === 'reject') return Promise.reject(new Error('endpoint down'));
    if (this.behaviour === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }
}

function make(notifications: unknown, notifiers: Notifier[], clock = new VirtualClock(T0)) {
  const config = CoreConfigSchema.parse(normalizeConfigKeys({ notifications }));
  const logger = new MemoryLogger();
  return { notifier: new ExecutionNotifier(config, clock, logger, notifiers), clock, logger };
}

const note = (event: string, severity: Notification['severity'], executionId = 'e1', ts = T0): Notification => ({ event, severity, title: event, message: `${event} happened`, ts, executionId });

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await yieldToEventLoop();
}

function started(executionId: string, side: 'buy' | 'sell', arrivalPrice: number | null): ExecutionEvent {
  return {
    type: 'execution-started',
    executionId,
    ts: T0,
    request: { symbol: 'BTC/USDT', side, type: 'twap', quantity: 2 },
    strategy: 'twap',
    arrivalPrice,
    market: { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5 },
  } as ExecutionEvent;
}

function fill(executionId: string, price: number, quantity: number, ts = T0 + 1_000): ExecutionEvent {
  return { type: 'fill', executionId, ts, fill: { ts, clientOrderId: `${executionId}-1`, price, quantity, fee: 0, feeCurrency: 'USDT', liquidity: 'taker' } } as unknown as ExecutionEvent;
}

describe('ExecutionNotifier routing', () => {
  it('sends each notification to the notifiers whose route accepts its event and severity', async () => {
    const all = new RecordingNotifier('all');
    const loud = new RecordingNotifier('loud');
    const venue = new RecordingNotifier('venue');
    const { notifier } = make(
      { notifiers: { loud: { min_severity: 'warning', min_severity_by_event: { 'deadline-at-risk': 'critical' } }, venue: { events: ['venue-error'] } } },
      [all, loud, venue],
    );
    notifier.publish(note('execution-started', 'info'));
    notifier.publish(note('venue-error', 'warning', 'e2'));
    notifier.publish(note('deadline-at-risk', 'warning', 'e4'));
    notifier.publish(note('deadline-at-risk', 'critical', 'e5'));
    notifier.publish(note('kill-switch', 'critical', 'e3'));
    await settle();
    expect(all.received.map((n) => n.event)).toEqual(['execution-started', 'venue-error', 'deadline-at-risk', 'deadline-at-risk', 'kill-switch']);
    expect(loud.received.map((n) => `${n.event}:${n.severity}`)).toEqual(['venue-error:warning', 'deadline-at-risk:critical', 'kill-switch:critical']);
    expect(venue.received.map((n) => n.event)).toEqual(['venue-error']);
  });

  it('refuses a route for a notifier that is not installed, naming the key', () => {
    let caught: unknown;
    try {
      make({ notifiers: { slack: {} } }, [new RecordingNotifier('console')]);
    } catch (error) {
      caught = error;
    }
    expect(isTrancheError(caught, 'validation')).toBe(true);
    expect((caught as Error).message).toMatch(/notifications\.notifiers\.slack: no notifier "slack" is installed \(installed: console\)/);
  });

  it('refuses a critical slippage level at or below the warning level', () => {
    const result = CoreConfigSchema.safeParse({ notifications: { slippageThresholdBps: 50, slippageCriticalBps: 40 } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['notifications', 'slippageCriticalBps']);
  });

  it('sends nothing when disabled or when a route is muted', async () => {
    const muted = new RecordingNotifier('muted');
    const { notifier } = make({ notifiers: { muted: { enabled: false } } }, [muted]);
    notifier.publish(note('kill-switch', 'critical'));
    const off = new RecordingNotifier('off');
    make({ enabled: false }, [off]).notifier.publish(note('kill-switch', 'critical'));
    await settle();
    expect(muted.received).toEqual([]);
    expect(off.received).toEqual([]);
  });
});

describe('ExecutionNotifier throttling (virtual time)', () => {
  it('coalesces repeats of one event for one execution: the first at once, the latest at the end of the window with its count', async () => {
    const sink = new RecordingNotifier('sink');
    const { notifier, clock } = make({ throttle_window_ms: 10_000 }, [sink]);
    for (let index = 0; index < 5; index++) {
      clock.advanceTo(T0 + index * 1_000);
      notifier.publish({ ...note('venue-error', 'warning'), message: `error ${index}` });
    }
    notifier.publish(note('venue-error', 'warning', 'other-execution'));
    await settle();
    expect(sink.received.map((n) => n.message)).toEqual(['error 0', 'venue-error happened']);
    clock.advanceTo(T0 + 9_999);
    await settle();
    expect(sink.received).toHaveLength(2);
    clock.advanceTo(T0 + 10_000);
    await settle();
    expect(sink.received[2]!.message).toBe('error 4 (latest of 4 in 10 s)');
    expect(sink.received[2]!.data).toEqual({ coalesced: 4 });
    expect(notifier.snapshot()['notifications_coalesced_total']).toMatchObject({ value: 4 });
  });

  it('never holds back a more severe notification of the same kind behind a window of milder ones', async () => {
    const sink = new RecordingNotifier('sink');
    const { notifier } = make({ throttle_window_ms: 60_000 }, [sink]);
    notifier.publish(note('venue-error', 'info'));
    notifier.publish(note('venue-error', 'info'));
    notifier.publish(note('venue-error', 'warning'));
    await settle();
    expect(sink.received.map((n) => n.severity)).toEqual(['info', 'warning']);
  });

  it('never coalesces lifecycle and kill-switch notifications', async () => {
    const sink = new RecordingNotifier('sink');
    const { notifier } = make({}, [sink]);
    for (let index = 0; index < 3; index++) notifier.publish(note('kill-switch', 'critical'));
    await settle();
    expect(sink.received).toHaveLength(3);
  });

  it('caps each notifier at max_per_minute after the burst, measured on the clock', async () => {
    const sink = new RecordingNotifier('sink');
    const { notifier, clock } = make({ max_per_minute: 6, burst: 2, throttle_window_ms: 0 }, [sink]);
    for (let index = 0; index < 4; index++) notifier.publish(note('kill-switch', 'critical', `e${index}`));
    await settle();
    expect(sink.received).toHaveLength(2);
    clock.advanceTo(T0 + 9_999);
    await settle();
    expect(sink.received).toHaveLength(2);
    clock.advanceTo(T0 + 10_000);
    await settle();
    expect(sink.received).toHaveLength(3);
    clock.advanceTo(T0 + 20_000);
    await settle();
    expect(sink.received).toHaveLength(4);
  });

  it('drops the oldest of the least severity when the queue is full, and says so in the next one', async () => {
    const sink = new RecordingNotifier('sink');
    const { notifier, clock } = make({ max_per_minute: 1, burst: 1, max_queue: 2, throttle_window_ms: 0 }, [sink]);
    notifier.publish(note('kill-switch', 'critical', 'first'));
    notifier.publish(note('execution-started', 'info', 'info-1'));
    notifier.publish(note('execution-failed', 'critical', 'crit-1'));
    notifier.publish(note('execution-completed', 'warning', 'warn-1'));
    await settle();
    clock.advanceTo(T0 + 60_000);
    await settle();
    clock.advanceTo(T0 + 120_000);
    await settle();
    expect(sink.received.map((n) => n.executionId)).toEqual(['first', 'crit-1', 'warn-1']);
    expect(sink.received[1]!.message).toMatch(/\(1 earlier notification\(s\) dropped: queue full\)$/);
    expect(notifier.snapshot()['notifications_dropped_total{notifier="sink"}']).toMatchObject({ value: 1 });
  });
});

describe('ExecutionNotifier isolation', () => {
  it('a throwing, a rejecting and a hanging notifier do not stop the others; failures are logged and counted', async () => {
    const good = new RecordingNotifier('good');
    const thrower = new RecordingNotifier('thrower', 'throw');
    const rejecter = new RecordingNotifier('rejecter', 'reject');
    const hanger = new RecordingNotifier('hanger', 'hang');
    const { notifier, clock, logger } = make({ delivery_timeout_ms: 5_000, throttle_window_ms: 0 }, [thrower, rejecter, hanger, good]);
    for (let index = 0; index < 3; index++) expect(() => notifier.publish(note('kill-switch', 'critical', `e${index}`))).not.toThrow();
    await settle();
    expect(good.received).toHaveLength(3);
    expect(thrower.received).toHaveLength(3);
    expect(rejecter.received).toHaveLength(3);
    expect(hanger.received).toHaveLength(1);
    clock.advanceTo(T0 + 5_000);
    await settle();
    expect(hanger.signals[0]!.aborted).toBe(true);
    expect(hanger.received).toHaveLength(2);
    const snapshot = notifier.snapshot();
    expect(snapshot['notifications_failed_total{notifier="thrower"}']).toMatchObject({ value: 3 });
    expect(snapshot['notifications_failed_total{notifier="rejecter"}']).toMatchObject({ value: 3 });
    expect(snapshot['notifications_timed_out_total{notifier="hanger"}']).toMatchObject({ value: 1 });
    expect(snapshot['notifications_delivered_total{notifier="good"}']).toMatchObject({ value: 3 });
    expect(logger.records.filter((record) => record.message === 'notification delivery failed' && record.fields['notifier'] === 'rejecter')).toHaveLength(3);
    expect(logger.records.some((record) => record.message === 'notification delivery timed out' && record.fields['notifier'] === 'hanger')).toBe(true);
  });

  it('close() on a live clock sends what the windows hold and waits for the drain', async () => {
    const sink = new RecordingNotifier('sink');
    const live = { now: () => T0, virtual: false, scheduler: new VirtualClock(T0) } as unknown as VirtualClock;
    const { notifier } = make({ throttle_window_ms: 60_000 }, [sink], live);
    notifier.publish({ ...note('venue-error', 'warning'), message: 'first' });
    notifier.publish({ ...note('venue-error', 'warning'), message: 'second' });
    await notifier.close();
    expect(sink.received.map((n) => n.message)).toEqual(['first', 'second']);
    notifier.publish(note('kill-switch', 'critical'));
    await settle();
    expect(sink.received).toHaveLength(2);
  });
});

describe('ExecutionNotificationBuilder', () => {
  it('raises one slippage alert per upward crossing of each level, re-armed when it falls back', () => {
    const builder = new ExecutionNotificationBuilder({ warningBps: 10, criticalBps: 50 });
    builder.build(started('e1', 'buy', 100));
    expect(builder.build(fill('e1', 100.05, 1))).toEqual([]); // +5 bps
    const warning = builder.build(fill('e1', 100.25, 1)); // avg 100.15: +15 bps
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatchObject({ event: 'slippage-alert', severity: 'warning' });
    expect(warning[0]!.data!['slippageBps']).toBeCloseTo(15, 6);
    expect(builder.build(fill('e1', 100.15, 1))).toEqual([]); // still +15: no repeat
    expect(builder.build(fill('e1', 99.5, 3))).toEqual([]); // avg back below arrival: re-armed
    expect(builder.build(fill('e1', 102, 4))[0]).toMatchObject({ severity: 'critical' }); // avg ≈ 100.73: +73 bps, straight to critical
  });

  it('signs slippage so that positive is worse for the trader on both sides', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), (arrival, move) => {
        const price = arrival * (1 + move);
        const buy = slippageBps('buy', price, arrival);
        expect(slippageBps('sell', price, arrival)).toBeCloseTo(-buy, 6);
        expect(Math.sign(buy)).toBe(Math.sign(price - arrival) || 0);
      }),
    );
  });

  it('maps monitor alerts to their kind and child-order errors to venue-error with a severity from the error', () => {
    const builder = new ExecutionNotificationBuilder({ warningBps: 10, criticalBps: null });
    builder.build(started('e1', 'sell', 100));
    const [risk] = builder.build({ type: 'alert', executionId: 'e1', ts: T0, kind: 'deadline-at-risk', severity: 'critical', source: 'monitor-execution', message: '1 left', data: { remainingQuantity: 1 } });
    expect(risk).toMatchObject({ event: 'deadline-at-risk', severity: 'critical', title: 'Deadline at risk on sell 2 BTC/USDT (twap)' });
    const error = (kind: string, willRetry: boolean) =>
      builder.build({ type: 'child-order-error', executionId: 'e1', ts: T0, clientOrderId: 'e1-3', error: { kind, message: 'nope', retryable: willRetry } as never, willRetry })[0]!;
    expect(error('venue-unavailable', true).severity).toBe('info');
    expect(error('venue-rejected', false).severity).toBe('warning');
    expect(error('insufficient-funds', false)).toMatchObject({ event: 'venue-error', severity: 'critical', message: 'e1-3: nope (given up)' });
    expect(error('risk', false)).toMatchObject({ event: 'order-rejected', severity: 'warning', title: 'Child order refused on sell BTC/USDT: risk' });
  });

  it('maps each end status to completed, cancelled or failed with a readable summary', () => {
    const report = (status: ExecutionReport['status'], endReason: string, filledQuantity: number): ExecutionReport =>
      ({ id: 'e1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', strategy: 'twap', status, endReason, requestedQuantity: 2, filledQuantity, averagePrice: filledQuantity > 0 ? 43_012.5 : 0, arrivalPrice: 43_000, slippageBps: filledQuantity > 0 ? 2.906 : null, fees: 0, feeCurrency: 'USDT', notional: 0, startedAt: T0, endedAt: T0, childOrders: [], fills: [], errors: [] }) as ExecutionReport;
    expect(ended(report('filled', 'filled the requested quantity', 2), T0)).toMatchObject({
      event: 'execution-completed',
      severity: 'info',
      title: 'Completed buy 2 BTC/USDT (twap): filled',
      message: 'e1: filled 2 of 2 @ 43012.5, slippage +2.9 bps vs arrival; filled the requested quantity',
    });
    expect(ended(report('partially_filled', 'end time', 1), T0)).toMatchObject({ event: 'execution-completed', severity: 'warning' });
    expect(ended(report('cancelled', 'cancelled by request', 1), T0)).toMatchObject({ event: 'execution-cancelled', severity: 'warning' });
    expect(ended(report('cancelled', 'strategy twap failed: bad', 0), T0)).toMatchObject({ event: 'execution-failed', severity: 'critical' });
    expect(ended(report('rejected', 'strategy twap completed', 0), T0)).toMatchObject({ event: 'execution-failed', severity: 'critical' });
    expect(ended(report('expired', 'market data ended', 0), T0)).toMatchObject({ event: 'execution-failed', severity: 'warning' });
  });
});
