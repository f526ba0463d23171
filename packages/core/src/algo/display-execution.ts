import { Observable, Subscription, timer, type Subscriber } from 'rxjs';
import type { ExecutionContext } from '../contracts/execution-context.js';
import type { StrategyAction } from '../contracts/execution-strategy.js';
import type { ChildOrderStatus } from '../model/order.schema.js';
import type { AlgoParams } from './algo-params.schema.js';
import type { AlgoWindow } from './algo-window.js';
import { ChildOrderTracker } from './child-order-tracker.js';
import { EndTimeCompletion } from './end-time-completion.js';
import { formatAlgoNumber as fmt, formatUtcTime } from './format-algo.js';
import { nextDisplayQuantity } from './iceberg-display.js';
import { lagTolerance } from './lag-tolerance.js';
import { minimumChildQuantity } from './minimum-child-quantity.js';
import type { ParticipationTracker } from './participation-tracker.js';
import { priceChildOrder, type ChildPrice } from './price-child-order.js';
import { scheduleClock, type ScheduleTick } from './schedule-clock.js';
import type { SeededRandom } from './seeded-random.js';
import { linearTargetCurve, type TargetCurve } from './target-curve.js';
import { ticksBehindTouch } from './ticks-behind-touch.js';

/** Consecutive rejected display orders after which the algorithm pauses until the next check. */
const MAX_CONSECUTIVE_REJECTIONS = 3;

/** Options of `displayExecution`. */
export interface DisplayExecutionOptions {
  /** The common params (parsed); `childOrderStyle` `market` is treated as `marketable`. */
  readonly params: AlgoParams;
  readonly window: AlgoWindow;
  /** Market volume since the start; the driver feeds it from `ctx.market$`. */
  readonly tracker: ParticipationTracker;
  /** Source of the display-size and refill-delay jitter. */
  readonly random: SeededRandom;
  /** The most shown at a time. */
  readonly displayQuantity: number;
  /** Reprice when the near touch moved away from the shown order by more than this many ticks. */
  readonly repriceTicks: number;
  /** Pause between a display order filling and the next one (jittered by `randomization`). */
  readonly refillDelayMs?: number;
  /** The reference schedule (default: linear over the window) that urgency measures lag against. */
  readonly curve?: TargetCurve;
  /** Time between schedule checks; default a twentieth of the window within [1 s, 30 s]. */
  readonly checkIntervalMs?: number;
  /** Name of the algorithm in notes (`Iceberg`). */
  readonly label: string;
}

/**
 * The iceberg driver: one visible child order at a time, never larger than
 * `displayQuantity` (smaller by up to `randomization / 2` of it), resting at the near
 * touch within the limit price. When it fills, the next one is shown (after
 * `refillDelayMs`, jittered); when the touch moves away by more than `repriceTicks` it
 * is cancelled and shown again at the new touch. When the execution lags the reference
 * schedule by more than the urgency tolerates (in display sizes), or with the
 * `marketable` style, the shown order is priced at the far side instead: it takes up to
 * its size and rests the rest. Participation cap, minimum sizes and the end-time
 * completion work as in `scheduledExecution`.
 */
export function displayExecution(ctx: ExecutionContext<unknown>, options: DisplayExecutionOptions): Observable<StrategyAction> {
  return new Observable<StrategyAction>((subscriber) => new DisplayRun(ctx, options, subscriber).start());
}

class DisplayRun {
  private readonly children = new ChildOrderTracker();
  private readonly completion: EndTimeCompletion;
  private readonly quantity: number;
  private readonly halfStep: number;
  private readonly curve: TargetCurve;
  private readonly tolerance: number;
  private readonly subscriptions = new Subscription();
  private refill: Subscription | undefined;
  private phase: 'waiting' | 'active' | 'ending' = 'waiting';
  private consecutiveRejections = 0;
  private paused = false;
  private notedCap = false;
  private shown = 0;
  /** Why the next order is shown, when a cancel of ours made room for it. */
  private replacing: string | undefined;

  constructor(
    private readonly ctx: ExecutionContext<unknown>,
    private readonly options: DisplayExecutionOptions,
    private readonly subscriber: Subscriber<StrategyAction>,
  ) {
    this.quantity = ctx.request.quantity;
    this.halfStep = ctx.market.stepSize / 2;
    this.curve = options.curve ?? linearTargetCurve(options.window);
    this.tolerance = lagTolerance(options.params.urgency, options.displayQuantity);
    this.completion = new EndTimeCompletion({
      ctx,
      policy: options.params.completion,
      children: this.children,
      emit: (action) => this.emit(action),
      complete: () => subscriber.complete(),
      label: options.label,
    });
  }

  start(): () => void {
    const { ctx, options } = this;
    this.subscriptions.add(
      ctx.market$.subscribe((event) => {
        if (event.type === 'trade') {
          options.tracker.observe(event);
          if (this.notedCap) this.evaluate('volume');
        } else if (event.type === 'book-snapshot' || event.type === 'book-delta' || event.type === 'ticker') {
          this.evaluate('book');
        }
      }),
    );
    this.subscriptions.add(this.children.watch(ctx, (clientOrderId, status, reason) => this.onChildEnded(clientOrderId, status, reason)));
    const { params, window } = options;
    this.emit({
      kind: 'note',
      message:
        `${options.label}: ${fmt(this.quantity)} shown ${fmt(options.displayQuantity)} at a time${params.randomization > 0 ? ` (randomized down to ${fmt(options.displayQuantity * (1 - params.randomization / 2))})` : ''} ` +
        `from ${formatUtcTime(window.startTime)} to ${formatUtcTime(window.endTime)} UTC, repriced when the touch moves away by more than ${options.repriceTicks} ticks; ` +
        `${params.childOrderStyle === 'passive' ? 'resting at the touch' : 'priced at the far side'}, crossing when more than ${fmt(this.tolerance)} behind the ${this.curve.description} schedule (${params.urgency} urgency)` +
        `${params.maxParticipation === undefined ? '' : `, at most ${fmt(params.maxParticipation * 100, 4)}% of the market volume`}` +
        `${ctx.limitPrice === undefined ? '' : `, never ${ctx.request.side === 'buy' ? 'above' : 'below'} ${ctx.limitPrice}`}, completion ${params.completion}` +
        `${window.startTime > ctx.clock.now() ? `; waiting for the start at ${formatUtcTime(window.startTime)}` : ''}`,
      data: { displayQuantity: options.displayQuantity, repriceTicks: options.repriceTicks, startTime: window.startTime, endTime: window.endTime },
    });
    const checkIntervalMs = options.checkIntervalMs ?? Math.round(Math.min(30_000, Math.max(1_000, window.durationMs / 20)));
    const grid = { startTime: window.startTime, endTime: window.endTime, slices: [{ index: 0, startTime: window.startTime, endTime: window.endTime, sizeJitter: 1 }] };
    this.subscriptions.add(scheduleClock(grid, ctx.clock.scheduler, checkIntervalMs).subscribe((tick) => this.onTick(tick)));
    return () => {
      this.completion.settle();
      this.refill?.unsubscribe();
      this.subscriptions.unsubscribe();
    };
  }

  private emit(action: StrategyAction): void {
    if (!this.subscriber.closed) this.subscriber.next(action);
  }

  private onTick(tick: ScheduleTick): void {
    if (tick.kind === 'end') {
      this.phase = 'ending';
      this.refill?.unsubscribe();
      this.emit({ kind: 'schedule', scheduledQuantity: this.quantity });
      this.completion.begin();
      return;
    }
    this.phase = 'active';
    this.paused = false;
    this.emit({ kind: 'schedule', scheduledQuantity: this.scheduled(tick.time) });
    this.evaluate('check');
  }

  private scheduled(time: number): number {
    return this.ctx.roundQuantity(this.quantity * this.curve.fractionAt(time));
  }

  private onChildEnded(clientOrderId: string, status: ChildOrderStatus, reason?: string): void {
    if (status === 'rejected') {
      if (++this.consecutiveRejections >= MAX_CONSECUTIVE_REJECTIONS && !this.paused) {
        this.paused = true;
        this.emit({ kind: 'note', message: `${this.options.label}: ${this.consecutiveRejections} display orders in a row were rejected (last: ${reason ?? 'no reason given'}); pausing until the next check` });
      }
    } else {
      this.consecutiveRejections = 0;
    }
    if (this.completion.active) {
      this.completion.onChildUpdate();
      return;
    }
    if (status === 'filled' && this.children.role(clientOrderId) === 'display') {
      this.scheduleRefill(clientOrderId);
      return;
    }
    this.evaluate('child-ended');
  }

  private scheduleRefill(clientOrderId: string): void {
    const { options, ctx } = this;
    const base = options.refillDelayMs ?? 0;
    const delayMs = base > 0 ? Math.round(options.random.jitter(base, options.params.randomization)) : 0;
    if (delayMs <= 0) {
      this.evaluate('refill', `${clientOrderId} filled: refill`);
      return;
    }
    this.refill?.unsubscribe();
    this.refill = timer(delayMs, ctx.clock.scheduler).subscribe(() => {
      this.refill = undefined;
      this.evaluate('refill', `${clientOrderId} filled ${delayMs} ms ago: refill`);
    });
  }

  private evaluate(trigger: 'check' | 'book' | 'volume' | 'child-ended' | 'refill', why?: string): void {
    const { ctx, options } = this;
    const { params, tracker, label } = options;
    if (this.phase !== 'active' || this.subscriber.closed || this.paused) return;
    if (this.refill && trigger !== 'refill') return;
    const progress = ctx.progress();
    const filled = progress.filledQuantity;
    const remaining = this.quantity - filled;
    if (remaining <= this.halfStep) return;
    const side = ctx.request.side;
    const book = ctx.book();
    const now = ctx.clock.now();
    const lag = this.scheduled(now) - filled;
    const behind = lag > this.tolerance;
    const crossing = params.childOrderStyle !== 'passive' || behind;
    const working = this.children.working(progress);
    if (working.length > 0) {
      // One order shown at a time: reprice it if the market moved away, or replace a resting one to catch up.
      const child = working[0]!;
      if (child.cancelling || working.length > 1 || child.order.price === undefined) return;
      const touch = priceChildOrder({ side, style: 'passive', quantity: child.remaining, book, tickSize: ctx.market.tickSize, limitPrice: ctx.limitPrice });
      if (!touch?.price) return;
      const away = ticksBehindTouch(side, child.order.price, touch.price, ctx.market.tickSize);
      const farTouch = side === 'buy' ? book.bestAsk() : book.bestBid();
      const restingBehindFar = Number.isFinite(farTouch) && ticksBehindTouch(side, child.order.price, farTouch, ctx.market.tickSize) > 0;
      const catchUp = trigger === 'check' && crossing && restingBehindFar && this.farWithinLimit(farTouch);
      if (away > options.repriceTicks || catchUp) {
        const reason = catchUp
          ? `${label}: ${fmt(lag)} behind schedule, more than the ${params.urgency}-urgency tolerance ${fmt(this.tolerance)}: show it at the far side instead`
          : `${label}: the ${side === 'buy' ? 'bid' : 'ask'} moved ${fmt(away, 2)} ticks away (to ${touch.price}), more than repriceTicks ${options.repriceTicks}: reprice`;
        const cancel = this.children.cancel(child.order.clientOrderId, reason);
        if (cancel) {
          this.replacing = catchUp ? `catch up, replacing ${child.order.clientOrderId}` : `reprice ${child.order.clientOrderId} at the new touch`;
          this.emit(cancel);
        }
      }
      return;
    }
    const mid = book.mid();
    const minimum = minimumChildQuantity(ctx.market, Number.isFinite(mid) ? mid : (ctx.limitPrice ?? Number.NaN));
    const allowance = tracker.allowance(params.maxParticipation, filled);
    const size = nextDisplayQuantity({
      displayQuantity: options.displayQuantity,
      randomization: params.randomization,
      draw: options.random.next(),
      remaining,
      allowance,
      minimum,
      stepSize: ctx.market.stepSize,
    });
    if (size <= 0) {
      if (allowance < Math.min(remaining, options.displayQuantity) && !this.notedCap) {
        this.notedCap = true;
        this.emit({
          kind: 'note',
          message: `${label} participation cap: the market traded ${fmt(tracker.volume)} since the start, which allows ${fmt(allowance)} more; waiting for volume before showing the next order`,
          data: { marketVolume: tracker.volume, allowance },
        });
      }
      return;
    }
    this.notedCap = false;
    let price: ChildPrice | undefined = priceChildOrder({ side, style: crossing ? 'marketable' : 'passive', quantity: size, book, tickSize: ctx.market.tickSize, limitPrice: ctx.limitPrice });
    if (!price) return;
    // A shown order rests: a crossing one takes what it reaches and leaves the rest visible at its price.
    if (price.type === 'limit') price = { ...price, timeInForce: 'GTC' };
    else return;
    const clientOrderId = ctx.nextClientOrderId();
    this.children.register(clientOrderId, 'display');
    this.shown++;
    const whyNow = why ?? this.replacing ?? `show order ${this.shown}`;
    this.replacing = undefined;
    const whyPrice = behind && params.childOrderStyle === 'passive' ? `${fmt(lag)} behind schedule, more than the ${params.urgency}-urgency tolerance ${fmt(this.tolerance)}: ${price.explanation}` : price.explanation;
    this.emit({
      kind: 'place',
      clientOrderId,
      type: 'limit',
      quantity: size,
      price: price.price!,
      timeInForce: 'GTC',
      reason: `${label} ${whyNow}: ${fmt(size)} of ${fmt(remaining)} left (display ${fmt(options.displayQuantity)}); ${whyPrice}`,
    });
  }

  private farWithinLimit(farTouch: number): boolean {
    const limit = this.ctx.limitPrice;
    return limit === undefined || (this.ctx.request.side === 'buy' ? farTouch <= limit : farTouch >= limit);
  }
}
