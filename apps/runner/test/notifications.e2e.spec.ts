import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import {
  ExecutionNotifier,
  KillSwitch,
  MemoryLogger,
  Notifier,
  TrancheError,
  createTranche,
  definePlugin,
  type ExecutionReport,
  type Notification,
  type Tranche,
} from '@tranche/core';
import { ConsoleNotifierStream } from '@tranche/notifier-console';
import { InMemoryVenue, TestBench, testStrategies } from '@tranche/testkit';
import { DEFAULT_PLUGINS } from '../src/compose.js';

/**
 * Notifications from real execution paths on the paper venue and the bundled recorded
 * data in virtual time: every event kind, and notifiers that throw or hang change
 * nothing about an execution.
 */

class RecordingNotifier implements Notifier {
  readonly received: Notification[] = [];
  constructor(
    readonly id: string,
    private readonly behaviour: 'ok' | 'throw' | 'hang' = 'ok',
  ) {}
  notify(notification: Notification): Promise<void> {
    this.received.push(notification);
    if (this.behaviour === 'throw') throw new Error('notifier bug');
    if (this.behaviour === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }
}

interface Harness {
  readonly tranche: Tranche;
  readonly recorder: RecordingNotifier;
  readonly terminal: string[];
}

function compose(config: Record<string, unknown>, extra: Notifier[] = []): Harness {
  const recorder = new RecordingNotifier('recorder');
  const terminal: string[] = [];
  const testNotifiers = definePlugin({
    name: 'test-notifiers',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(ConsoleNotifierStream).toConstantValue({ write: (text: string) => terminal.push(text) });
      for (const notifier of [recorder, ...extra]) bind(Notifier).toConstantValue(notifier);
    }),
  });
  const tranche = createTranche({
    config: { 'journal-sqlite': { path: ':memory:' }, 'feed-replay': { speed: 'max' }, ...config },
    plugins: [...DEFAULT_PLUGINS, testNotifiers],
    logger: new MemoryLogger(),
  });
  return { tranche, recorder, terminal };
}

const twap = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 2, params: { durationMs: 300_000, slices: 5 } };
// A limit far below the market: every child rests, nothing fills.
const passiveTwap = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 120_000, slices: 4, urgency: 'low', limitPrice: 60_000, completion: 'best-effort' } };

async function run(harness: Harness, order: unknown): Promise<ExecutionReport> {
  try {
    await harness.tranche.manager.initialize();
    return await harness.tranche.manager.executeOrder(order);
  } finally {
    await harness.tranche.close();
  }
}

const events = (notifier: RecordingNotifier): string[] => notifier.received.map((notification) => notification.event);

describe('notifications from real executions (paper venue, recorded data, virtual time)', () => {
  it('a throwing and a hanging notifier leave a TWAP\'s report exactly as without notifications', async () => {
    const baseline = await run(compose({ notifications: { enabled: false } }), twap);
    const thrower = new RecordingNotifier('thrower', 'throw');
    const hanger = new RecordingNotifier('hanger', 'hang');
    const harness = compose({ notifications: { slippage_threshold_bps: 0.5, slippage_critical_bps: null, delivery_timeout_ms: 1_000 } }, [thrower, hanger]);
    const report = await run(harness, twap);
    expect(report).toEqual(baseline);
    expect(report.status).toBe('filled');
    // The other notifiers were served in full while one threw on every call and one never answered.
    expect(events(harness.recorder)).toEqual(events(thrower));
    expect(events(harness.recorder)[0]).toBe('execution-started');
    expect(events(harness.recorder).at(-1)).toBe('execution-completed');
    expect(hanger.received.length).toBeGreaterThanOrEqual(1);
    const completed = harness.recorder.received.at(-1)!;
    expect(completed.severity).toBe('info');
    expect(completed.title).toBe(`Completed buy 2 BTC/USDT (twap): filled`);
    expect(completed.message).toContain(`filled 2 of 2 @ ${Number(report.averagePrice.toPrecision(8))}`);
    expect(completed.data).toMatchObject({ slippageBps: report.slippageBps, status: 'filled', averagePrice: report.averagePrice });
    // The console notifier (installed by default) shows warnings and critical only: a filled TWAP prints no start or end line.
    expect(harness.terminal.some((line) => / INFO /.test(line))).toBe(false);
  }, 120_000);

  it('a cancelled TWAP gives execution-cancelled; a deadline it cannot meet gives deadline-at-risk first', async () => {
    const harness = compose({});
    const { tranche } = harness;
    await tranche.manager.initialize();
    let cancelled: Promise<ExecutionReport> | undefined;
    tranche.manager.events$.subscribe((event) => {
      if (!cancelled && event.type === 'alert' && event.kind === 'deadline-at-risk') cancelled = tranche.manager.cancel(event.executionId, 'operator gave up');
    });
    try {
      const report = await tranche.manager.executeOrder(passiveTwap);
      expect(report.status).toBe('cancelled');
    } finally {
      await tranche.close();
    }
    expect(events(harness.recorder)).toEqual(['execution-started', 'deadline-at-risk', 'execution-cancelled']);
    const [, risk, ended] = harness.recorder.received;
    expect(risk!.title).toBe('Deadline at risk on buy 1 BTC/USDT (twap)');
    expect(ended).toMatchObject({ severity: 'warning', title: 'Cancelled buy 1 BTC/USDT (twap): cancelled' });
    expect(ended!.message).toMatch(/filled 0 of 1; operator gave up$/);
  }, 120_000);

  it('the kill switch notifies each of its steps (critical) and the cancelled execution', async () => {
    const harness = compose({});
    const { tranche } = harness;
    await tranche.manager.initialize();
    const killSwitch = tranche.get(KillSwitch);
    let engaged: Promise<unknown> | undefined;
    tranche.manager.events$.subscribe((event) => {
      if (!engaged && event.type === 'child-order-updated' && event.order.status === 'open') engaged = killSwitch.engage('test: operator pressed the button');
    });
    try {
      await tranche.manager.executeOrder(passiveTwap);
      await engaged;
      await tranche.get(ExecutionNotifier).whenIdle();
    } finally {
      await tranche.close();
    }
    const kill = harness.recorder.received.filter((notification) => notification.event === 'kill-switch');
    expect(kill.map((notification) => notification.data?.['step'])).toEqual(['engaged', 'stopping', 'stopped', 'completed']);
    expect(kill.map((notification) => notification.severity)).toEqual(['critical', 'critical', 'warning', 'critical']);
    expect(kill[0]!.title).toBe('Kill switch engaged: test: operator pressed the button');
    expect(events(harness.recorder)).toContain('execution-cancelled');
    expect(harness.terminal.filter((line) => line.includes('CRIT Kill switch'))).toHaveLength(3);
  }, 120_000);

  it('a TWAP whose every child breaches a risk limit gives order-rejected and execution-failed', async () => {
    const harness = compose({ 'risk-limits': { max_order_notional: 100 }, notifications: { throttle_window_ms: 0 } });
    const report = await run(harness, { ...passiveTwap, params: { durationMs: 60_000, slices: 3 } });
    expect(report.filledQuantity).toBe(0);
    const names = events(harness.recorder);
    expect(names.filter((name) => name === 'order-rejected')).toHaveLength(report.childOrders.length);
    expect(names.at(-1)).toBe('execution-failed');
    expect(harness.recorder.received.at(-1)!.severity).toBe(report.status === 'rejected' ? 'critical' : 'warning');
  }, 120_000);
});

describe('venue errors (in-memory venue that fails)', () => {
  it('a venue error the router retries and one it gives up on are notified as venue-error at once', async () => {
    const recorder = new RecordingNotifier('recorder');
    const plugin = definePlugin({ name: 'recorder', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(Notifier).toConstantValue(recorder)) });
    const bench = await TestBench.create({ plugins: [testStrategies([{ type: 'market', quantity: 0.5 }]), plugin], config: { max_retries: 1 } });
    try {
      const venue = bench.venue as InMemoryVenue;
      venue.failNext(new TrancheError('venue-unavailable', 'exchange maintenance'));
      venue.failNext(new TrancheError('venue-unavailable', 'exchange maintenance'));
      venue.failNext(new TrancheError('venue-unavailable', 'exchange maintenance'));
      const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity: 0.5 });
      expect(report.errors.length).toBeGreaterThan(0);
    } finally {
      await bench.close();
    }
    const venueErrors = recorder.received.filter((notification) => notification.event === 'venue-error');
    expect(venueErrors.length).toBeGreaterThanOrEqual(1);
    expect(venueErrors[0]).toMatchObject({ title: 'Venue error on buy BTC/USDT: venue-unavailable' });
    expect(venueErrors[0]!.message).toMatch(/exchange maintenance \((will retry|given up)\)$/);
    // The retry (info) and the give-up (warning) both go out at once, before the end of the execution.
    expect(venueErrors.map((notification) => notification.severity)).toEqual(['info', 'warning']);
    expect(venueErrors[1]!.message).toMatch(/exchange maintenance \(given up\)$/);
    expect(events(recorder).at(-1)).toBe('execution-failed');
  }, 60_000);

  it('a market order that walks the book raises one slippage-alert with the figures', async () => {
    const recorder = new RecordingNotifier('recorder');
    const plugin = definePlugin({ name: 'recorder', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(Notifier).toConstantValue(recorder)) });
    const bench = await TestBench.create({ plugins: [testStrategies([{ type: 'market', quantity: 8 }]), plugin], config: { notifications: { slippage_threshold_bps: 1, slippage_critical_bps: null } } });
    let report: ExecutionReport;
    try {
      report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity: 8 });
    } finally {
      await bench.close();
    }
    expect(report!.slippageBps).toBeGreaterThan(1);
    const alerts = recorder.received.filter((notification) => notification.event === 'slippage-alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warning', title: 'Slippage +1.1 bps on buy BTC/USDT (fixed)' });
    expect(alerts[0]!.message).toMatch(/: average fill 60006\.543 vs arrival 60000 after 5\.61 of 8 filled \(threshold 1 bps\)$/);
    expect(alerts[0]!.data!['slippageBps']).toBeGreaterThan(1);
    expect(events(recorder)).toEqual(['execution-started', 'slippage-alert', 'execution-completed']);
  }, 60_000);
});
