import { ContainerModule } from 'inversify';
import { Subject, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Venue } from '../contracts/venue.js';
import type { ExecutionEvent, ExecutionReport } from '../model/execution.schema.js';
import type { ChildOrder } from '../model/order.schema.js';
import { createTranche } from '../plugin/create-tranche.js';
import { definePlugin } from '../plugin/define-plugin.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { MemoryLogger, NoopLogger } from '../util/noop-logger.js';
import { ExecutionLogger } from './execution-logger.js';

const T0 = 1_723_161_240_000;
const market = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5, makerFeeBps: 10, takerFeeBps: 10 };

function child(n: number, status: ChildOrder['status'], ts: number, extra: Partial<ChildOrder> = {}): ChildOrder {
  return { clientOrderId: `e1-${n}`, parentId: 'e1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', price: 61_000, quantity: 0.5, filledQuantity: 0, averagePrice: 0, status, createdAt: ts, updatedAt: ts, ...extra };
}

function report(overrides: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    id: 'e1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', strategy: 'twap', status: 'filled', endReason: 'filled',
    requestedQuantity: 1, filledQuantity: 1, averagePrice: 61_001, arrivalPrice: 61_000, slippageBps: 0.16, fees: 61, feeCurrency: 'USDT', notional: 61_001,
    startedAt: T0, endedAt: T0 + 60_000, childOrders: [], fills: [], errors: [], ...overrides,
  };
}

/** One execution's events, at the virtual times they would happen. */
function script(end: ExecutionReport): Array<[number, ExecutionEvent]> {
  return [
    [0, { type: 'execution-started', executionId: 'e1', ts: T0, request: { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 }, strategy: 'twap', arrivalPrice: 61_000, market }],
    [1_000, { type: 'child-order-intent', executionId: 'e1', ts: T0 + 1_000, order: child(1, 'pending', T0 + 1_000) }],
    [1_050, { type: 'child-order-updated', executionId: 'e1', ts: T0 + 1_050, order: child(1, 'open', T0 + 1_050, { venueOrderId: 'v1' }) }],
    [2_000, { type: 'fill', executionId: 'e1', ts: T0 + 2_000, fill: { fillId: 'f1', clientOrderId: 'e1-1', symbol: 'BTC/USDT', side: 'buy', ts: T0 + 2_000, price: 61_000, quantity: 0.5, fee: 30.5, feeCurrency: 'USDT', liquidity: 'maker' } }],
    [3_000, { type: 'child-order-error', executionId: 'e1', ts: T0 + 3_000, clientOrderId: 'e1-2', error: { kind: 'rate-limited', message: '429 Too Many Requests', retryable: true }, willRetry: true }],
    [4_000, { type: 'alert', executionId: 'e1', ts: T0 + 4_000, kind: 'stalled', severity: 'warning', source: 'monitor-execution', message: 'no fill for 60 s' }],
    [5_000, { type: 'child-order-updated', executionId: 'e1', ts: T0 + 5_000, order: child(3, 'rejected', T0 + 5_000, { reason: 'price band' }) }],
    [60_000, { type: 'execution-ended', executionId: 'e1', ts: T0 + 60_000, status: end.status, report: end }],
  ];
}

/** Plays the script on a subject in virtual time (each event on a clock timer). */
function play(logger: ExecutionLogger, end = report()): void {
  const clock = new VirtualClock(T0);
  const events$ = new Subject<ExecutionEvent>();
  logger.follow(events$);
  const steps = script(end);
  steps.forEach(([at, event], index) =>
    timer(at, clock.scheduler).subscribe(() => {
      events$.next(event);
      if (index === steps.length - 1) events$.complete();
    }),
  );
  clock.advanceTo(T0 + 60_000);
}

describe('ExecutionLogger', () => {
  it('logs each event through one child per execution with its ids, at the documented levels', () => {
    const memory = new MemoryLogger();
    play(new ExecutionLogger(memory));
    const lines = memory.records.map((record) => [record.level, record.message]);
    expect(lines).toEqual([
      ['info', 'execution started'],
      ['debug', 'child order intent'],
      ['debug', 'child order updated'],
      ['debug', 'fill'],
      ['warn', 'child order error'],
      ['warn', 'no fill for 60 s'],
      ['warn', 'child order rejected'],
      ['info', 'execution ended'],
    ]);
    for (const record of memory.records) {
      expect(record.fields).toMatchObject({ component: 'execution', executionId: 'e1', symbol: 'BTC/USDT', side: 'buy', strategy: 'twap' });
    }
    const childLines = memory.records.filter((record) => /^(child order|fill$)/.test(record.message));
    expect(childLines.map((record) => record.fields['clientOrderId'])).toEqual(['e1-1', 'e1-1', 'e1-1', 'e1-2', 'e1-3']);
    const ended = memory.records.at(-1)!;
    expect(ended.fields).toMatchObject({ status: 'filled', filledQuantity: 1, averagePrice: 61_001, slippageBps: 0.16, fees: 61, durationMs: 60_000, ts: T0 + 60_000 });
    expect(memory.records[1]!.fields['ts']).toBe(T0 + 1_000);
  });

  it('logs a rejected or error-only execution as a failure, and a critical alert as an error', () => {
    const memory = new MemoryLogger();
    play(new ExecutionLogger(memory), report({ status: 'rejected', filledQuantity: 0, averagePrice: 0, errors: [{ kind: 'risk', message: 'notional above limit', retryable: false }] }));
    expect(memory.records.at(-1)).toMatchObject({ level: 'error', message: 'execution failed', fields: { status: 'rejected', errors: 1 } });

    const critical = new MemoryLogger();
    new ExecutionLogger(critical).log({ type: 'alert', executionId: 'e9', ts: T0, kind: 'deadline-at-risk', severity: 'critical', source: 'monitor-execution', message: 'will miss the end time' });
    // An execution it has not seen start still gets a child with its id.
    expect(critical.records).toEqual([{ level: 'error', message: 'will miss the end time', fields: expect.objectContaining({ component: 'execution', executionId: 'e9', alert: 'deadline-at-risk' }) }]);
  });

  it('subscribes to nothing with a NoopLogger', () => {
    const events$ = new Subject<ExecutionEvent>();
    expect(new ExecutionLogger(new NoopLogger()).follow(events$)).toBeUndefined();
    expect(events$.observed).toBe(false);
  });

  it('is wired by createTranche: the manager’s events are logged from its creation', () => {
    const venue = { id: 'fake' } as unknown as Venue;
    const plugin = definePlugin({ name: 'fake-venue', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(Venue).toConstantValue(venue)) });
    const memory = new MemoryLogger();
    const tranche = createTranche({ plugins: [plugin], logger: memory, clock: new VirtualClock(T0) });
    const manager = tranche.manager;
    // The manager publishes its events on a private subject; reach it to play one event through the real wiring.
    (manager as unknown as { eventsSubject: Subject<ExecutionEvent> }).eventsSubject.next(script(report())[0]![1]);
    expect(memory.records).toEqual([{ level: 'info', message: 'execution started', fields: expect.objectContaining({ component: 'execution', executionId: 'e1' }) }]);

    const silent = createTranche({ plugins: [plugin], clock: new VirtualClock(T0) }).manager;
    expect((silent as unknown as { eventsSubject: Subject<ExecutionEvent> }).eventsSubject.observed).toBe(false);
  });
});
