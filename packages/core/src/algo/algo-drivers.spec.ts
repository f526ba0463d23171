import { BehaviorSubject, NEVER, Subject, asyncScheduler, filter, map, tap, type Observable, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../book/l2-book.js';
import type { Clock } from '../contracts/clock.js';
import type { ExecutionContext } from '../contracts/execution-context.js';
import type { PlaceAction, StrategyAction } from '../contracts/execution-strategy.js';
import type { ExecutionCompletion } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { MarketEvent, MarketInfo } from '../model/market.schema.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type OrderRequest } from '../model/order.schema.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { NoopLogger } from '../util/noop-logger.js';
import { ceilToIncrement, floorToIncrement } from '../util/rounding.js';
import { AlgoParamsSchema, type AlgoParams } from './algo-params.schema.js';
import { resolveAlgoWindow } from './algo-window.js';
import { displayExecution } from './display-execution.js';
import { ParticipationTracker } from './participation-tracker.js';
import { pacedTargetCurve } from './paced-target-curve.js';
import { scheduledExecution, type ScheduledTactic } from './scheduled-execution.js';
import { SeededRandom } from './seeded-random.js';
import { buildSliceGrid } from './slice-grid.js';
import { linearTargetCurve } from './target-curve.js';

const MARKET: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQuantity: 0.001, minNotional: 1, makerFeeBps: 0, takerFeeBps: 0 };

/**
 * A minimal stand-in for the engine: children are working as soon as they are placed
 * (as the engine's are), venue answers come when `flush()` runs. Crossing children (IOC,
 * market) fill completely at the far touch (or, with `fillCrossing: false`, end
 * cancelled); resting children fill only when the test says so. A full fill is announced
 * on `fills$` alone, as the engine does.
 */
class FakeEngine {
  readonly market$ = new Subject<MarketEvent>();
  readonly fills$ = new Subject<Fill>();
  readonly childOrders$ = new Subject<ChildOrder>();
  readonly book = new L2Book('BTC/USDT');
  readonly children = new Map<string, ChildOrder>();
  readonly actions: StrategyAction[] = [];
  readonly queue: Array<() => void> = [];
  completion: ExecutionCompletion | undefined;
  filled = 0;
  fillCrossing = true;
  /** Crossing children fill inside `apply`, as a venue answering synchronously does (re-entering the driver). */
  fillCrossingAtOnce = false;
  finished = false;
  private sequence = 0;
  private fillSequence = 0;
  readonly ctx: ExecutionContext<AlgoParams>;

  constructor(
    readonly clock: Clock,
    readonly request: OrderRequest,
    params: AlgoParams,
  ) {
    this.book.applySnapshot({ bids: [[100, 50], [99.99, 50]], asks: [[100.01, 50], [100.02, 50]], ts: 0, sequence: 1 });
    const side = request.side;
    this.ctx = {
      executionId: 'x',
      request,
      params,
      limitPrice: request.price ?? params.limitPrice,
      market: MARKET,
      arrivalPrice: 100.005,
      clock,
      logger: new NoopLogger(),
      market$: this.market$,
      state$: NEVER,
      fills$: this.fills$,
      childOrders$: this.childOrders$,
      book: () => this.book,
      marketDataFreshness: () => ({ updatedAt: clock.now(), ageMs: 0, stale: false, via: 'stream' }),
      progress: () => {
        const workingOrders = [...this.children.values()].filter((child) => !TERMINAL_CHILD_STATUSES.has(child.status));
        const workingQuantity = workingOrders.reduce((sum, child) => sum + child.quantity - child.filledQuantity, 0);
        return {
          requestedQuantity: request.quantity,
          filledQuantity: this.filled,
          workingQuantity,
          unallocatedQuantity: Math.max(0, request.quantity - this.filled - workingQuantity),
          workingOrders,
        };
      },
      nextClientOrderId: () => `x-${++this.sequence}`,
      roundQuantity: (quantity) => floorToIncrement(quantity, MARKET.stepSize),
      roundPrice: (price) => (side === 'buy' ? floorToIncrement(price, MARKET.tickSize) : ceilToIncrement(price, MARKET.tickSize)),
      reportCompletion: (completion) => (this.completion = completion),
    };
  }

  /** Carries out one action as the engine would (never more than the unallocated quantity). */
  apply(action: StrategyAction): void {
    this.actions.push(action);
    if (action.kind === 'place') {
      const quantity = floorToIncrement(Math.min(action.quantity, this.ctx.progress().unallocatedQuantity), MARKET.stepSize);
      if (quantity <= 0) return;
      const now = this.clock.now();
      const order: ChildOrder = {
        clientOrderId: action.clientOrderId,
        parentId: 'x',
        symbol: 'BTC/USDT',
        side: this.request.side,
        type: action.type,
        timeInForce: action.timeInForce ?? (action.type === 'market' ? 'IOC' : 'GTC'),
        quantity,
        filledQuantity: 0,
        averagePrice: 0,
        status: 'open',
        createdAt: now,
        updatedAt: now,
        ...(action.price === undefined ? {} : { price: action.price }),
      };
      this.children.set(order.clientOrderId, order);
      if ((order.timeInForce === 'IOC' || order.type === 'market') && this.fillCrossingAtOnce) {
        this.fill(order.clientOrderId, quantity);
      } else if (order.timeInForce === 'IOC' || order.type === 'market') {
        this.queue.push(() => (this.fillCrossing ? this.fill(order.clientOrderId, quantity) : this.end(order.clientOrderId, 'cancelled')));
      }
    } else if (action.kind === 'cancel') {
      this.queue.push(() => this.end(action.clientOrderId, 'cancelled'));
    } else if (action.kind === 'finish') {
      this.finished = true;
      for (const child of this.ctx.progress().workingOrders) this.queue.push(() => this.end(child.clientOrderId, 'cancelled'));
    }
  }

  /** Fills (part of) a working child. */
  fill(clientOrderId: string, quantity: number): void {
    const child = this.children.get(clientOrderId);
    if (!child || TERMINAL_CHILD_STATUSES.has(child.status)) return;
    const price = child.price ?? (this.request.side === 'buy' ? this.book.bestAsk() : this.book.bestBid());
    const filledQuantity = child.filledQuantity + quantity;
    const done = filledQuantity >= child.quantity - MARKET.stepSize / 2;
    this.children.set(clientOrderId, { ...child, filledQuantity, averagePrice: price, status: done ? 'filled' : 'partially_filled' });
    this.filled += quantity;
    this.fills$.next({
      fillId: `f${++this.fillSequence}`,
      clientOrderId,
      symbol: 'BTC/USDT',
      side: this.request.side,
      ts: this.clock.now(),
      price,
      quantity,
      fee: 0,
      feeCurrency: 'USDT',
      liquidity: child.timeInForce === 'IOC' ? 'taker' : 'maker',
    });
    if (!done && child.timeInForce === 'IOC') this.end(clientOrderId, 'cancelled');
  }

  end(clientOrderId: string, status: 'cancelled' | 'rejected'): void {
    const child = this.children.get(clientOrderId);
    if (!child || TERMINAL_CHILD_STATUSES.has(child.status)) return;
    const ended = { ...child, status };
    this.children.set(clientOrderId, ended);
    this.childOrders$.next(ended);
  }

  /** Runs queued venue answers until none is left. */
  flush(): void {
    while (this.queue.length > 0) this.queue.shift()!();
  }

  run(actions$: Observable<StrategyAction>): Subscription {
    return actions$.subscribe((action) => this.apply(action));
  }

  places(): PlaceAction[] {
    return this.actions.filter((action): action is PlaceAction => action.kind === 'place');
  }
}

function params(input: Record<string, unknown>): AlgoParams {
  return AlgoParamsSchema.parse(input);
}

function setUp(input: Record<string, unknown>, quantity = 3, side: 'buy' | 'sell' = 'buy', slices = 3, tactics$?: Observable<ScheduledTactic>) {
  const clock = new VirtualClock(0);
  const parsed = params(input);
  const engine = new FakeEngine(clock, { symbol: 'BTC/USDT', side, type: 'twap', quantity }, parsed);
  const window = resolveAlgoWindow(parsed, 0);
  const grid = buildSliceGrid({ startTime: window.startTime, endTime: window.endTime, slices, randomization: parsed.randomization, random: new SeededRandom(1) });
  const tracker = new ParticipationTracker(window.startTime);
  const actions$ = scheduledExecution(engine.ctx as ExecutionContext<unknown>, {
    params: parsed,
    window,
    grid,
    curve: linearTargetCurve(window),
    tracker,
    label: 'TWAP',
    ...(tactics$ === undefined ? {} : { tactics$ }),
  });
  const step = (toMs: number): void => {
    clock.advanceTo(toMs);
    engine.flush();
  };
  return { clock, engine, actions$, step, tracker, window };
}

describe('scheduledExecution (marbles)', () => {
  it('reports its schedule at each slice start and check, and the whole quantity at the end', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ expectObservable }) => {
      const clock: Clock = { now: () => asyncScheduler.now(), scheduler: asyncScheduler, virtual: true };
      const parsed = params({ durationMs: 40 });
      const engine = new FakeEngine(clock, { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 4 }, parsed);
      engine.fillCrossing = false;
      const window = resolveAlgoWindow(parsed, 0);
      const grid = buildSliceGrid({ startTime: 0, endTime: 40, slices: 4, randomization: 0, random: new SeededRandom(1) });
      const actions$ = scheduledExecution(engine.ctx as ExecutionContext<unknown>, {
        params: parsed,
        window,
        grid,
        curve: linearTargetCurve(window),
        tracker: new ParticipationTracker(0),
        label: 'TWAP',
        checkIntervalMs: 5,
      }).pipe(
        tap((action) => {
          engine.apply(action);
          engine.flush();
        }),
      );
      const scheduled = actions$.pipe(
        filter((action) => action.kind === 'schedule'),
        map((action) => (action.kind === 'schedule' ? action.scheduledQuantity : -1)),
      );
      const values = { a: 0, b: 0.5, c: 1, d: 1.5, e: 2, f: 2.5, g: 3, h: 3.5, i: 4 };
      expectObservable(scheduled).toBe('a 4ms b 4ms c 4ms d 4ms e 4ms f 4ms g 4ms h 4ms (i|)', values);
    });
  });
});

describe('scheduledExecution', () => {
  it('rests each slice passively at the touch while on schedule', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000 });
    engine.run(actions$);
    step(0);
    const [first] = engine.places();
    expect(first).toMatchObject({ type: 'limit', price: 100, timeInForce: 'GTC', quantity: 1 });
    engine.fill(first!.clientOrderId, 1);
    step(10_000);
    expect(engine.places()[1]).toMatchObject({ type: 'limit', price: 100, quantity: 1 });
    expect(engine.places().every((place) => place.timeInForce === 'GTC')).toBe(true);
  });

  it('crosses the spread only once behind schedule by more than the urgency allows', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, urgency: 'medium' });
    engine.run(actions$);
    for (let time = 0; time <= 10_000; time += 500) step(time);
    // At 10 s exactly one slice (1) is due and nothing filled: at the tolerance, not beyond it.
    expect(engine.places().some((place) => place.timeInForce === 'IOC')).toBe(false);
    for (let time = 10_500; time <= 15_000; time += 500) step(time);
    const cross = engine.places().find((place) => place.timeInForce === 'IOC');
    expect(cross).toBeDefined();
    expect(cross!.reason).toMatch(/catch up: .* behind schedule .* more than the medium-urgency tolerance 1/);
    expect(cross!.price).toBe(100.01);
    // The catch-up brought the execution back to its schedule (1.333 at the check, a little more when the cancel came back).
    expect(engine.filled).toBeGreaterThanOrEqual(1.333);
    expect(engine.filled).toBeLessThanOrEqual(1.4);
  });

  it('with high urgency crosses much sooner; with the marketable style every slice crosses at once', () => {
    const high = setUp({ durationMs: 30_000, urgency: 'high' });
    high.engine.run(high.actions$);
    for (let time = 0; time <= 5_000; time += 500) high.step(time);
    expect(high.engine.places().some((place) => place.timeInForce === 'IOC')).toBe(true);

    const marketable = setUp({ durationMs: 30_000, childOrderStyle: 'marketable' });
    marketable.engine.run(marketable.actions$);
    marketable.step(0);
    expect(marketable.engine.places()[0]).toMatchObject({ type: 'limit', timeInForce: 'IOC', price: 100.01, quantity: 1 });
    expect(marketable.engine.filled).toBe(1);
  });

  it('decides once on a crossing child filled while it is being placed: nothing beyond the slice target, no stale cancels', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, urgency: 'medium' });
    engine.fillCrossingAtOnce = true;
    engine.run(actions$);
    for (let time = 0; time < 30_000; time += 500) {
      step(time);
      // Slice targets 1, 2, 3: what is filled or working never goes beyond the current one.
      const committed = engine.filled + engine.ctx.progress().workingQuantity;
      expect(committed).toBeLessThanOrEqual(Math.floor(time / 10_000) + 1 + 1e-9);
    }
    expect(engine.places().some((place) => place.timeInForce === 'IOC')).toBe(true);
    const cancelled = engine.actions.flatMap((action) => (action.kind === 'cancel' ? [action.clientOrderId] : []));
    expect(new Set(cancelled).size).toBe(cancelled.length);
  });

  it('rests at the limit price without churning while the limit blocks crossing', () => {
    for (const childOrderStyle of ['passive', 'marketable'] as const) {
      const { engine, actions$, step } = setUp({ durationMs: 30_000, limitPrice: 99.5, urgency: 'high', childOrderStyle, completion: 'best-effort' });
      engine.run(actions$);
      for (let time = 0; time <= 29_000; time += 500) step(time);
      const places = engine.places();
      expect(places.every((place) => place.price === 99.5 && place.timeInForce === 'GTC')).toBe(true);
      // One resting child per slice, none cancelled and re-sent.
      expect(places).toHaveLength(3);
      expect(engine.actions.some((action) => action.kind === 'cancel')).toBe(false);
    }
  });

  it('never places beyond the participation cap (give or take the minimum)', () => {
    const { engine, actions$, step, tracker } = setUp({ durationMs: 30_000, maxParticipation: 0.1, childOrderStyle: 'marketable' });
    engine.run(actions$);
    for (let time = 0; time <= 30_000; time += 250) {
      engine.market$.next({ type: 'trade', symbol: 'BTC/USDT', ts: time, price: 100, quantity: 0.5, takerSide: 'buy', tradeId: String(time) });
      step(time);
      const committed = engine.filled + engine.ctx.progress().workingQuantity;
      if (time < 30_000) expect(committed).toBeLessThanOrEqual(0.1 * tracker.volume + MARKET.minQuantity + 1e-9);
    }
    expect(engine.actions.some((action) => action.kind === 'note' && /participation cap/.test(action.message))).toBe(true);
  });

  it('merges slices below the minimum child into later ones, never sending them', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, childOrderStyle: 'marketable' }, 0.025, 'buy', 30);
    // A minimum notional of 1 USDT at 100 is 0.0105 (with its 5% margin): each 0.000833 slice is far below it.
    engine.run(actions$);
    for (let time = 0; time <= 31_000; time += 500) step(time);
    const sent = engine.places().map((place) => place.quantity);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(5);
    for (const quantity of sent) expect(quantity).toBeGreaterThanOrEqual(0.0105);
    expect(engine.filled).toBeCloseTo(0.025, 9);
    expect(engine.actions.some((action) => action.kind === 'note' && /merged into the next slice/.test(action.message))).toBe(true);
  });

  it('sweeps the remainder at the end time with one IOC at the limit price, and says so', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, limitPrice: 100.5, urgency: 'low' });
    engine.fillCrossing = false;
    let completed = false;
    actions$.subscribe({ next: (action) => engine.apply(action), complete: () => (completed = true) });
    for (let time = 0; time <= 30_000; time += 1_000) step(time);
    const sweep = engine.places().at(-1)!;
    expect(sweep).toMatchObject({ type: 'limit', price: 100.5, timeInForce: 'IOC' });
    expect(sweep.reason).toMatch(/sweep the remaining/);
    expect(engine.ctx.progress().workingOrders.filter((order) => order.timeInForce === 'GTC')).toHaveLength(0);
    expect(engine.completion).toMatchObject({ policy: 'sweep', outcome: 'swept' });
    expect(completed).toBe(true);
  });

  it('leaves the remainder at the end time with best-effort completion', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, completion: 'best-effort', urgency: 'low' });
    engine.fillCrossing = false;
    engine.run(actions$);
    for (let time = 0; time <= 30_000; time += 1_000) step(time);
    expect(engine.actions.at(-1)).toMatchObject({ kind: 'finish', status: 'expired' });
    expect(engine.completion).toMatchObject({ policy: 'best-effort', outcome: 'left-unfilled', remainingQuantity: 3 });
    expect(engine.places().some((place) => /sweep/.test(place.reason))).toBe(false);
    expect(engine.ctx.progress().workingOrders).toHaveLength(0);
  });

  it('reports an interruption when torn down before the end time, and never sends a client id twice', () => {
    const { engine, actions$, step } = setUp({ durationMs: 30_000, randomization: 1, urgency: 'high' });
    const subscription = engine.run(actions$);
    for (let time = 0; time <= 12_000; time += 250) step(time);
    subscription.unsubscribe();
    expect(engine.completion).toMatchObject({ outcome: 'interrupted' });
    const ids = engine.places().map((place) => place.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('scheduledExecution tactics$ (switching mid-run)', () => {
  const notes = (engine: FakeEngine) => engine.actions.flatMap((action) => (action.kind === 'note' ? [action.message] : []));

  it('applies a tactic given on subscription from the start', () => {
    const tactics$ = new BehaviorSubject<ScheduledTactic>({ name: 'aggressive', label: 'Adaptive (aggressive)', childOrderStyle: 'marketable', urgency: 'high' });
    const { engine, actions$, step } = setUp({ durationMs: 30_000 }, 3, 'buy', 3, tactics$);
    engine.run(actions$);
    step(0);
    expect(notes(engine)[0]).toMatch(/^Adaptive \(aggressive\): 3 in 3 slices .* marketable child orders, high urgency/);
    expect(engine.places()[0]).toMatchObject({ timeInForce: 'IOC', price: 100.01, quantity: 1 });
    expect(engine.places()[0]!.reason).toMatch(/^Adaptive \(aggressive\) slice 1\/3: take 1 toward the slice target 1 \(childOrderStyle marketable\)/);
  });

  it('switching from passive to marketable mid-slice replaces the resting child by a crossing one', () => {
    const tactics$ = new Subject<ScheduledTactic>();
    const { engine, actions$, step } = setUp({ durationMs: 30_000 }, 3, 'buy', 3, tactics$);
    engine.run(actions$);
    step(0);
    const [resting] = engine.places();
    expect(resting).toMatchObject({ timeInForce: 'GTC', quantity: 1 });
    step(2_000);
    tactics$.next({ name: 'aggressive', childOrderStyle: 'marketable' });
    expect(engine.actions.at(-1)).toMatchObject({ kind: 'cancel', clientOrderId: resting!.clientOrderId });
    engine.flush();
    const cross = engine.places().at(-1)!;
    expect(cross).toMatchObject({ timeInForce: 'IOC', quantity: 1 });
    expect(engine.filled).toBe(1);
  });

  it('pauses: cancels what rests, sends nothing while paused, resumes on a re-planned curve, and still completes at the end time', () => {
    const tactics$ = new Subject<ScheduledTactic>();
    const { engine, actions$, step, window } = setUp({ durationMs: 30_000, urgency: 'high' }, 3, 'buy', 3, tactics$);
    engine.fillCrossing = false;
    let completed = false;
    actions$.subscribe({ next: (action) => engine.apply(action), complete: () => (completed = true) });
    step(0);
    const resting = engine.places()[0]!;
    engine.fill(resting.clientOrderId, 0.5);
    step(1_000);
    const base = linearTargetCurve(window);
    tactics$.next({ name: 'pause', paused: true, curve: pacedTargetCurve(base, window, { from: 1_000, fraction: base.fractionAt(1_000), pace: 0 }) });
    expect(engine.actions.at(-1)).toMatchObject({ kind: 'cancel', clientOrderId: resting.clientOrderId });
    expect(engine.actions.at(-1)).toMatchObject({ reason: expect.stringMatching(/paused by the tactic pause/) });
    engine.flush();
    const placedBefore = engine.places().length;
    for (let time = 1_500; time <= 15_000; time += 500) step(time);
    expect(engine.places()).toHaveLength(placedBefore);
    expect(engine.ctx.progress().workingOrders).toHaveLength(0);
    // Resume at 15 s: the rest (2.5 of 3) over the second half, not all at once.
    tactics$.next({ name: 'twap', paused: false, curve: pacedTargetCurve(base, window, { from: 15_000, fraction: 0.5 / 3 }) });
    const resumed = engine.places().at(-1)!;
    expect(engine.places()).toHaveLength(placedBefore + 1);
    expect(resumed.timeInForce).toBe('GTC');
    expect(resumed.quantity).toBeLessThan(1);
    for (let time = 15_500; time <= 30_000; time += 500) step(time);
    expect(completed).toBe(true);
    expect(engine.completion).toMatchObject({ outcome: 'swept' });
  });

  it('a pause tactic cannot block the end-time completion', () => {
    const tactics$ = new BehaviorSubject<ScheduledTactic>({ name: 'pause', paused: true });
    const { engine, actions$, step } = setUp({ durationMs: 30_000 }, 3, 'buy', 3, tactics$);
    engine.run(actions$);
    for (let time = 0; time < 30_000; time += 1_000) step(time);
    expect(engine.places()).toHaveLength(0);
    step(30_000);
    expect(engine.places()).toHaveLength(1);
    expect(engine.places()[0]!.reason).toMatch(/sweep the remaining 3/);
    expect(engine.filled).toBe(3);
  });

  it('a faster curve re-plans the current slice at once and reports the new schedule', () => {
    const tactics$ = new Subject<ScheduledTactic>();
    const { engine, actions$, step, window } = setUp({ durationMs: 30_000, childOrderStyle: 'marketable' }, 3, 'buy', 3, tactics$);
    engine.run(actions$);
    step(0);
    expect(engine.filled).toBe(1);
    step(5_000);
    const base = linearTargetCurve(window);
    tactics$.next({ name: 'aggressive', curve: pacedTargetCurve(base, window, { from: 5_000, fraction: base.fractionAt(5_000), pace: 2 }) });
    engine.flush();
    // Twice the on-time pace from 1/6 at 5 s: 1/6 + 2 × (1/3 − 1/6) = 1/2 of 3 by the slice end at 10 s
    // (the schedule reported now is half-way from the slice's start target 0 to it).
    const schedules = engine.actions.filter((action) => action.kind === 'schedule');
    expect(schedules.at(-1)).toMatchObject({ scheduledQuantity: 0.75 });
    expect(engine.filled).toBeCloseTo(1.5, 9);
    expect(engine.places().at(-1)).toMatchObject({ timeInForce: 'IOC', quantity: 0.5 });
  });
});

describe('displayExecution', () => {
  function iceberg(input: Record<string, unknown>, quantity = 1) {
    const clock = new VirtualClock(0);
    const parsed = params({ durationMs: 60_000, ...input });
    const engine = new FakeEngine(clock, { symbol: 'BTC/USDT', side: 'buy', type: 'iceberg', quantity }, parsed);
    const window = resolveAlgoWindow(parsed, 0);
    const actions$ = displayExecution(engine.ctx as ExecutionContext<unknown>, {
      params: parsed,
      window,
      tracker: new ParticipationTracker(0),
      random: new SeededRandom(3),
      displayQuantity: 0.2,
      repriceTicks: 2,
      label: 'Iceberg',
    });
    engine.run(actions$);
    const step = (toMs: number): void => {
      clock.advanceTo(toMs);
      engine.flush();
    };
    return { engine, step };
  }
  const shown = (engine: FakeEngine) => engine.ctx.progress().workingOrders;

  it('shows one order of the display size at the touch and refills it when it fills', () => {
    const { engine, step } = iceberg({});
    step(0);
    expect(shown(engine)).toHaveLength(1);
    expect(shown(engine)[0]).toMatchObject({ quantity: 0.2, price: 100, timeInForce: 'GTC' });
    engine.fill(shown(engine)[0]!.clientOrderId, 0.2);
    step(1);
    expect(shown(engine)).toHaveLength(1);
    expect(engine.places()[1]!.reason).toMatch(/filled: refill/);
  });

  it('reprices when the touch moves away by more than repriceTicks, within the limit price', () => {
    const { engine, step } = iceberg({ limitPrice: 100.05 });
    step(0);
    engine.book.applyDelta({ bids: [[100.02, 5]], asks: [], ts: 1, sequence: 2 });
    engine.market$.next({ type: 'book-delta', symbol: 'BTC/USDT', ts: 1, sequence: 2, bids: [[100.02, 5]], asks: [] });
    step(1);
    expect(shown(engine)[0]!.price).toBe(100);
    engine.book.applyDelta({ bids: [[100.1, 5]], asks: [[100.01, 0], [100.11, 5]], ts: 2, sequence: 3 });
    engine.market$.next({ type: 'book-delta', symbol: 'BTC/USDT', ts: 2, sequence: 3, bids: [], asks: [] });
    step(2);
    expect(shown(engine)).toHaveLength(1);
    expect(shown(engine)[0]!.price).toBe(100.05);
    expect(engine.places().at(-1)!.reason).toMatch(/reprice/);
  });

  it('never shows more than the display size, even randomized, and never two orders at once', () => {
    const { engine, step } = iceberg({ randomization: 1 });
    for (let time = 0; time <= 60_000; time += 500) {
      step(time);
      const working = shown(engine);
      expect(working.length).toBeLessThanOrEqual(1);
      for (const order of working) expect(order.quantity).toBeLessThanOrEqual(0.2);
      if (working[0] && time % 2_000 === 0) engine.fill(working[0].clientOrderId, working[0].quantity - working[0].filledQuantity);
    }
    expect(engine.filled).toBeCloseTo(1, 9);
    expect(new Set(engine.places().map((place) => place.quantity)).size).toBeGreaterThan(1);
  });
});
