import { Observable, Subscription, type Subscriber } from 'rxjs';
import type { ExecutionContext } from '../contracts/execution-context.js';
import type { StrategyAction } from '../contracts/execution-strategy.js';
import type { ChildOrder, ChildOrderStatus } from '../model/order.schema.js';
import { floorToIncrement } from '../util/rounding.js';
import type { AlgoParams, ChildOrderStyle, Urgency } from './algo-params.schema.js';
import type { AlgoWindow } from './algo-window.js';
import { ChildOrderTracker, type ChildRole } from './child-order-tracker.js';
import { EndTimeCompletion } from './end-time-completion.js';
import { formatAlgoNumber as fmt, formatUtcTime } from './format-algo.js';
import { lagTolerance } from './lag-tolerance.js';
import { minimumChildQuantity } from './minimum-child-quantity.js';
import type { ParticipationTracker } from './participation-tracker.js';
import { planSliceTarget } from './plan-slice-target.js';
import { priceChildOrder, type ChildPrice } from './price-child-order.js';
import { scheduleClock, type ScheduleTick } from './schedule-clock.js';
import type { GridSlice, SliceGrid } from './slice-grid.js';
import type { TargetCurve } from './target-curve.js';
import { ticksBehindTouch } from './ticks-behind-touch.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/** Consecutive rejected children after which the algorithm pauses until the next slice. */
const MAX_CONSECUTIVE_REJECTIONS = 3;

/**
 * How `scheduledExecution` works from now on, sent on its `tactics$` (e.g. by a strategy
 * that switches tactics as the market changes). Fields left out keep their value.
 */
export interface ScheduledTactic {
  /** Name of the tactic, for child order reasons (`passive`). */
  readonly name: string;
  /** Replaces `label` in notes and child order reasons from now on. */
  readonly label?: string;
  /** The schedule from now on; the current slice's target is re-planned from it at once. */
  readonly curve?: TargetCurve;
  /** Replaces `params.childOrderStyle`. */
  readonly childOrderStyle?: ChildOrderStyle;
  /** Replaces `params.urgency` (the lag tolerated before crossing). */
  readonly urgency?: Urgency;
  /**
   * True: send nothing new and cancel resting children until a tactic says otherwise
   * (crossing children in flight finish; the end-time completion always runs).
   */
  readonly paused?: boolean;
}

/** Options of `scheduledExecution`. */
export interface ScheduledExecutionOptions {
  /** The common params (parsed). */
  readonly params: AlgoParams;
  readonly window: AlgoWindow;
  /** The time slices (and their size jitter). */
  readonly grid: SliceGrid;
  /** What fraction of the quantity the schedule wants filled by a time. */
  readonly curve: TargetCurve;
  /** Market volume since the start; the driver feeds it from `ctx.market$`. */
  readonly tracker: ParticipationTracker;
  /** Name of the algorithm in notes (`TWAP`, `VWAP`). */
  readonly label: string;
  /** Time between checks inside a slice (catch-up, repricing, participation top-ups); default a third of a slice within [1 s, 30 s]. */
  readonly checkIntervalMs?: number;
  /** Reprice a resting child when the near touch moved away from it by more than this many ticks (default 0: any move away). */
  readonly repriceTicks?: number;
  /** Extra words for a slice's note (e.g. the share of the day's volume the profile expects in it). */
  readonly explainSlice?: (slice: GridSlice, curveTarget: number) => string;
  /**
   * Tactic changes mid-run: each one replaces the curve, child order style, urgency or
   * label it names, or pauses, and the driver re-plans at once (a value emitted on
   * subscription applies from the start). The caller explains the change in its own note.
   */
  readonly tactics$?: Observable<ScheduledTactic>;
}

/**
 * The generic sliced-schedule driver behind TWAP and VWAP (and any curve): at each
 * slice start it sets the slice's cumulative target from the curve (jittered by the
 * grid), then works the difference to what is filled — resting passively at the touch,
 * crossing the spread only when the execution lags its schedule by more than the
 * urgency tolerates (or at once for the `marketable`/`market` styles) — within the
 * limit price and the participation cap. Checks inside a slice reprice resting children
 * the market moved away from and top up what the cap newly allows; resting children are
 * replaced by cancel-then-place, so every re-plan starts from what really filled. Slices
 * smaller than the venue minimum are merged into the next one, never sent, and no child
 * leaves an unsendable remainder behind it. At the end time the remainder is swept or
 * left (`completion`). Every decision is a `note` or a child order's `reason`; the
 * schedule is reported with `schedule` actions. All timing is on `ctx.clock.scheduler`.
 * `tactics$` changes the curve, style or urgency, or pauses, mid-run: one driver, one set
 * of children and one end-time completion across every change.
 */
export function scheduledExecution(ctx: ExecutionContext<unknown>, options: ScheduledExecutionOptions): Observable<StrategyAction> {
  return new Observable<StrategyAction>((subscriber) => new ScheduledRun(ctx, options, subscriber).start());
}

class ScheduledRun {
  private readonly children = new ChildOrderTracker();
  private readonly completion: EndTimeCompletion;
  private readonly quantity: number;
  private readonly halfStep: number;
  private readonly averageSlice: number;
  private readonly lagUnit: number;
  private readonly repriceTicks: number;
  private readonly sliceCount: number;
  /** The passive working children of the decision being made (reused: a decision allocates no list). */
  private readonly passives: ChildOrder[] = [];
  /** Texts of the current slice repeated in its note and its children's reasons, formatted once per slice (or re-plan). */
  private sliceEndText = '';
  private sliceTargetText = '';
  private sliceTargetTextFor = Number.NaN;
  // What a tactic may change (initially from the options and params).
  private tolerance: number;
  private curve: TargetCurve;
  private style: ChildOrderStyle;
  private urgency: Urgency;
  private label: string;
  private tacticName: string | undefined;
  private paused = false;
  // A decision can re-enter itself (a venue that fills a crossing child synchronously while it is being placed).
  private evaluating = false;
  private evaluateAgain = false;
  private slice: GridSlice | undefined;
  private sliceStartTarget = 0;
  private sliceTarget = 0;
  private tick = 0;
  private lastCrossTick = -1;
  private consecutiveRejections = 0;
  private pausedSlice = -1;
  private notedMerge = -1;
  private notedCap = -1;
  private phase: 'waiting' | 'active' | 'ending' = 'waiting';

  constructor(
    private readonly ctx: ExecutionContext<unknown>,
    private readonly options: ScheduledExecutionOptions,
    private readonly subscriber: Subscriber<StrategyAction>,
  ) {
    this.quantity = ctx.request.quantity;
    this.halfStep = ctx.market.stepSize / 2;
    this.sliceCount = options.grid.slices.length;
    this.averageSlice = this.quantity / Math.max(1, this.sliceCount);
    // A slice below the venue minimum is merged with the next, so the lag unit is never smaller than the smallest child.
    const smallestChild = minimumChildQuantity(ctx.market, ctx.arrivalPrice ?? ctx.limitPrice ?? Number.NaN);
    this.lagUnit = Math.max(this.averageSlice, smallestChild);
    this.curve = options.curve;
    this.style = options.params.childOrderStyle;
    this.urgency = options.params.urgency;
    this.label = options.label;
    this.tolerance = lagTolerance(this.urgency, this.lagUnit);
    this.repriceTicks = options.repriceTicks ?? 0;
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
    const subscriptions = new Subscription();
    subscriptions.add(
      ctx.market$.subscribe((event) => {
        if (event.type === 'trade') options.tracker.observe(event);
      }),
    );
    subscriptions.add(this.children.watch(ctx, (clientOrderId, status, reason) => this.onChildEnded(clientOrderId, status, reason)));
    if (options.tactics$) subscriptions.add(options.tactics$.subscribe((tactic) => this.applyTactic(tactic)));
    this.noteStart();
    const sliceMs = options.window.durationMs / Math.max(1, options.grid.slices.length);
    const checkIntervalMs = options.checkIntervalMs ?? Math.round(Math.min(30_000, Math.max(1_000, sliceMs / 3)));
    subscriptions.add(scheduleClock(options.grid, ctx.clock.scheduler, checkIntervalMs).subscribe((tick) => this.onTick(tick)));
    return () => {
      this.completion.settle();
      subscriptions.unsubscribe();
    };
  }

  private emit(action: StrategyAction): void {
    if (!this.subscriber.closed) this.subscriber.next(action);
  }

  private noteStart(): void {
    const { ctx, options, label } = this;
    const { params, window, grid } = options;
    const cap = params.maxParticipation === undefined ? 'no participation cap' : `at most ${fmt(params.maxParticipation * 100, 4)}% of the market volume`;
    const limit = ctx.limitPrice === undefined ? 'no limit price' : `never ${ctx.request.side === 'buy' ? 'above' : 'below'} ${ctx.limitPrice}`;
    const waiting = window.startTime > ctx.clock.now() ? `; waiting for the start at ${formatUtcTime(window.startTime)}` : '';
    this.emit({
      kind: 'note',
      message:
        `${label}: ${fmt(this.quantity)} in ${grid.slices.length} slices from ${formatUtcTime(window.startTime)} to ${formatUtcTime(window.endTime)} UTC ` +
        `(≈${fmt(this.averageSlice)} each), following ${this.curve.description}; ${this.style} child orders, ${this.urgency} urgency ` +
        `(crosses the spread when more than ${fmt(this.tolerance)} behind schedule), ${cap}, ${limit}, completion ${params.completion}` +
        `${params.randomization > 0 ? `, randomization ${params.randomization}` : ''}${waiting}`,
      data: {
        slices: grid.slices.length,
        startTime: window.startTime,
        endTime: window.endTime,
        lagTolerance: this.tolerance,
        childOrderStyle: this.style,
        urgency: this.urgency,
        completion: params.completion,
        ...(params.maxParticipation === undefined ? {} : { maxParticipation: params.maxParticipation }),
      },
    });
  }

  private onTick(tick: ScheduleTick): void {
    if (tick.kind === 'end') {
      this.phase = 'ending';
      this.emit({ kind: 'schedule', scheduledQuantity: this.sliceTarget });
      this.completion.begin();
      return;
    }
    this.tick++;
    if (tick.kind === 'slice') {
      this.phase = 'active';
      this.startSlice(tick.slice);
    } else {
      this.emit({ kind: 'schedule', scheduledQuantity: this.scheduledAt(tick.time) });
    }
    this.evaluate(tick.kind);
  }

  private startSlice(slice: GridSlice): void {
    const { ctx, options } = this;
    this.slice = slice;
    this.sliceStartTarget = this.sliceTarget;
    const curveTarget = this.planSlice(slice);
    this.emit({ kind: 'schedule', scheduledQuantity: this.sliceStartTarget });
    const filled = ctx.progress().filledQuantity;
    const lag = this.sliceStartTarget - filled;
    const extra = options.explainSlice?.(slice, curveTarget);
    this.sliceEndText = formatUtcTime(slice.endTime);
    this.emit({
      kind: 'note',
      message:
        `${this.label} slice ${slice.index + 1}/${this.sliceCount} (${formatUtcTime(slice.startTime)}–${this.sliceEndText}): ` +
        `target ${this.targetText()} filled by its end (${fmt((this.sliceTarget / this.quantity) * 100, 2)}% of the order` +
        `${slice.sizeJitter !== 1 ? `, slice size ×${fmt(slice.sizeJitter, 3)} by randomization` : ''}); filled ${fmt(filled)}, ` +
        `${lag > this.halfStep ? `${fmt(lag)} behind` : lag < -this.halfStep ? `${fmt(-lag)} ahead of` : 'on'} schedule` +
        `${options.params.maxParticipation === undefined ? '' : `; market traded ${fmt(options.tracker.volume)} since the start`}${extra ? `; ${extra}` : ''}`,
      data: {
        slice: slice.index + 1,
        sliceStart: slice.startTime,
        sliceEnd: slice.endTime,
        target: this.sliceTarget,
        curveTarget: toFixedNumber(curveTarget, 12),
        filled,
        lag: toFixedNumber(lag, 12),
        marketVolume: toFixedNumber(options.tracker.volume, 12),
      },
    });
  }

  /** The current slice's target as notes write it (formatted again only when a re-plan changed it). */
  private targetText(): string {
    if (this.sliceTarget !== this.sliceTargetTextFor) {
      this.sliceTargetTextFor = this.sliceTarget;
      this.sliceTargetText = fmt(this.sliceTarget);
    }
    return this.sliceTargetText;
  }

  /** Sets the current slice's target from the curve; returns the curve's own target at the slice end. */
  private planSlice(slice: GridSlice): number {
    const curveTarget = this.quantity * this.curve.fractionAt(slice.endTime);
    this.sliceTarget = planSliceTarget({
      previousTarget: this.sliceStartTarget,
      curveTarget,
      quantity: this.quantity,
      sizeJitter: slice.sizeJitter,
      isLast: slice.index === this.sliceCount - 1,
      stepSize: this.ctx.market.stepSize,
    });
    return curveTarget;
  }

  /** A new tactic: takes what it names, re-plans the current slice from its curve and decides at once. */
  private applyTactic(tactic: ScheduledTactic): void {
    this.tacticName = tactic.name;
    if (tactic.label !== undefined) this.label = tactic.label;
    if (tactic.childOrderStyle !== undefined) this.style = tactic.childOrderStyle;
    if (tactic.urgency !== undefined) {
      this.urgency = tactic.urgency;
      this.tolerance = lagTolerance(this.urgency, this.lagUnit);
    }
    this.paused = tactic.paused === true;
    if (tactic.curve !== undefined) {
      this.curve = tactic.curve;
      if (this.phase === 'active' && this.slice) {
        this.planSlice(this.slice);
        this.emit({ kind: 'schedule', scheduledQuantity: this.scheduledAt(this.ctx.clock.now()) });
      }
    }
    this.evaluate('tactic');
  }

  /** What the schedule wants filled by `time`: linear inside the current slice. */
  private scheduledAt(time: number): number {
    const slice = this.slice;
    if (!slice) return 0;
    const span = slice.endTime - slice.startTime;
    const fraction = span > 0 ? Math.min(1, Math.max(0, (time - slice.startTime) / span)) : 1;
    return floorToIncrement(this.sliceStartTarget + (this.sliceTarget - this.sliceStartTarget) * fraction, this.ctx.market.stepSize);
  }

  private onChildEnded(_clientOrderId: string, status: ChildOrderStatus, reason?: string): void {
    if (status === 'rejected') {
      this.consecutiveRejections++;
      if (this.consecutiveRejections >= MAX_CONSECUTIVE_REJECTIONS && this.slice && this.pausedSlice < this.slice.index) {
        this.pausedSlice = this.slice.index;
        this.emit({
          kind: 'note',
          message: `${this.label}: ${this.consecutiveRejections} child orders in a row were rejected (last: ${reason ?? 'no reason given'}); pausing until the next slice`,
        });
      }
    } else {
      this.consecutiveRejections = 0;
    }
    if (this.completion.active) {
      this.completion.onChildUpdate();
      return;
    }
    this.evaluate('child-ended');
  }

  /**
   * One decision, never nested: an update arriving while a decision is being carried out
   * (a fill of the child just placed) is decided on once that decision is complete, from
   * the state it left, so no decision acts on a stale view of the working children.
   */
  private evaluate(trigger: 'slice' | 'check' | 'child-ended' | 'tactic'): void {
    if (this.evaluating) {
      this.evaluateAgain = true;
      return;
    }
    this.evaluating = true;
    try {
      this.decide(trigger);
      while (this.evaluateAgain) {
        this.evaluateAgain = false;
        this.decide('child-ended');
      }
    } finally {
      this.evaluating = false;
      this.evaluateAgain = false;
    }
  }

  /** What to cancel, cross or rest now. Idempotent when nothing changed. */
  private decide(trigger: 'slice' | 'check' | 'child-ended' | 'tactic'): void {
    const { ctx, options, label } = this;
    const { params, tracker } = options;
    const slice = this.slice;
    if (this.phase !== 'active' || !slice || this.subscriber.closed) return;
    const progress = ctx.progress();
    const filled = progress.filledQuantity;
    const remaining = this.quantity - filled;
    if (remaining <= this.halfStep) return;
    const workingOrders = progress.workingOrders;
    const passives = this.passives;
    passives.length = 0;
    let resting = 0;
    for (const order of workingOrders) {
      const role = this.children.role(order.clientOrderId) ?? 'passive';
      // Let in-flight IOCs and cancels finish: the next decision starts from what filled.
      if (role === 'crossing' || role === 'sweep' || this.children.isCancelling(order.clientOrderId)) return;
      if (role === 'passive') {
        passives.push(order);
        resting += Math.max(0, order.quantity - order.filledQuantity);
      }
    }
    if (this.paused) {
      for (const order of workingOrders) {
        const cancel = this.children.cancel(order.clientOrderId, `${label}: paused by the tactic${this.tacticName === undefined ? '' : ` ${this.tacticName}`}; nothing rests until it resumes`);
        if (cancel) this.emit(cancel);
      }
      return;
    }
    if (this.pausedSlice >= slice.index) return;

    const now = ctx.clock.now();
    const side = ctx.request.side;
    const book = ctx.book();
    const mid = book.mid();
    const reference = Number.isFinite(mid) ? mid : (ctx.limitPrice ?? (side === 'buy' ? book.bestAsk() : book.bestBid()));
    const minimum = minimumChildQuantity(ctx.market, reference);
    const scheduled = this.scheduledAt(now);
    const lag = scheduled - filled;
    const uncapped = Math.max(0, Math.min(this.sliceTarget - filled, remaining));
    const allowance = tracker.allowance(params.maxParticipation, filled);
    const wanted = Math.min(uncapped, allowance);
    if (wanted + this.halfStep < uncapped && this.notedCap < slice.index && uncapped - resting >= minimum) {
      this.notedCap = slice.index;
      this.emit({
        kind: 'note',
        message:
          `${label} participation cap: the market traded ${fmt(tracker.volume)} since the start, so at most ${fmt(params.maxParticipation! * tracker.volume)} ` +
          `(${fmt(params.maxParticipation! * 100, 4)}%) may be filled or working; the schedule wants ${fmt(uncapped + filled)} by ${formatUtcTime(slice.endTime)}`,
        data: { marketVolume: tracker.volume, allowance, wanted: uncapped },
      });
    }
    const canCross = this.tick > this.lastCrossTick;
    const passiveStyle = this.style === 'passive';
    const behind = lag > this.tolerance;
    // When the far touch is beyond the limit price nothing can cross: everything rests (at the limit), without churn.
    const farTouch = side === 'buy' ? book.bestAsk() : book.bestBid();
    const crossable = Number.isFinite(farTouch) && (ctx.limitPrice === undefined || (side === 'buy' ? farTouch <= ctx.limitPrice : farTouch >= ctx.limitPrice));
    let cross = 0;
    if (canCross && crossable && passiveStyle && behind) cross = Math.min(lag, wanted);
    if (canCross && crossable && !passiveStyle) cross = Math.max(0, wanted - resting);
    const passiveWanted = passiveStyle || !crossable ? Math.max(0, wanted - cross) : resting;
    const desired = priceChildOrder({ side, style: 'passive', quantity: wanted, book, tickSize: ctx.market.tickSize, limitPrice: ctx.limitPrice });

    // Re-plan resting children that are mispriced, too large, or in the way of a crossing child.
    let stale = 0;
    if (desired !== undefined) for (const order of passives) if (this.movedAway(order, desired)) stale++;
    const canNowCross = !passiveStyle && crossable;
    const unallocated = progress.unallocatedQuantity;
    const needRoom = cross >= minimum && unallocated + this.halfStep < cross;
    const tooLarge = passiveStyle && resting > passiveWanted + minimum;
    if (stale > 0 || needRoom || tooLarge || (canNowCross && passives.length > 0 && canCross)) {
      const why =
        stale > 0
          ? `the ${side === 'buy' ? 'bid' : 'ask'} moved away to ${desired!.price}`
          : needRoom || (canNowCross && passives.length > 0)
            ? `${fmt(lag)} behind schedule: replace resting quantity by a crossing order`
            : `resting ${fmt(resting)} is more than the ${fmt(passiveWanted)} the schedule wants resting`;
      const onlyStale = stale > 0 && !needRoom && !tooLarge;
      const targets = onlyStale ? passives.filter((order) => this.movedAway(order, desired!)) : [...passives];
      for (const order of targets) {
        const cancel = this.children.cancel(order.clientOrderId, `${label}: ${why}`);
        if (cancel) this.emit(cancel);
      }
      return;
    }

    let crossQuantity = cross >= minimum ? floorToIncrement(Math.min(cross, unallocated), ctx.market.stepSize) : 0;
    let restQuantity = floorToIncrement(Math.max(0, Math.min(passiveWanted - resting, unallocated - crossQuantity)), ctx.market.stepSize);
    if (restQuantity < minimum) restQuantity = 0;
    // Never leave a remainder too small to send: the last child takes it.
    const leftover = floorToIncrement(unallocated - crossQuantity - restQuantity, ctx.market.stepSize);
    if (leftover > 0 && leftover < minimum) {
      if (restQuantity > 0) restQuantity += leftover;
      else if (crossQuantity > 0) crossQuantity += leftover;
    }
    if (crossQuantity === 0 && restQuantity === 0) {
      const due = Math.max(0, passiveWanted - resting) + cross;
      if (trigger === 'slice' && due > this.halfStep && due < minimum && wanted === uncapped && this.notedMerge < slice.index && slice.index < this.sliceCount - 1) {
        this.notedMerge = slice.index;
        this.emit({
          kind: 'note',
          message: `${label} slice ${slice.index + 1}: ${fmt(due)} due is below the smallest child worth sending (${fmt(minimum)}: venue minimum ${ctx.market.minQuantity} ${ctx.market.base} / ${ctx.market.minNotional} ${ctx.market.quote}); merged into the next slice`,
          data: { due, minimum },
        });
      }
      return;
    }
    if (crossQuantity > 0) {
      const price = priceChildOrder({ side, style: this.style === 'passive' ? 'marketable' : this.style, quantity: crossQuantity, book, tickSize: ctx.market.tickSize, limitPrice: ctx.limitPrice });
      if (price) {
        this.lastCrossTick = this.tick;
        const why = passiveStyle
          ? `catch up: ${fmt(lag)} behind schedule (${fmt(scheduled)} scheduled by now, ${fmt(filled)} filled), more than the ${this.urgency}-urgency tolerance ${fmt(this.tolerance)}`
          : `slice ${slice.index + 1}/${this.sliceCount}: take ${fmt(crossQuantity)} toward the slice target ${this.targetText()} (childOrderStyle ${this.style})`;
        this.place(price, crossQuantity, price.crossesSpread ? 'crossing' : 'passive', `${label} ${why}: ${price.explanation}`);
      }
    }
    if (restQuantity > 0 && desired) {
      const capNote = allowance < uncapped ? `, limited by the participation cap` : '';
      this.place(
        desired,
        restQuantity,
        'passive',
        `${label} slice ${slice.index + 1}/${this.sliceCount}: rest ${fmt(restQuantity)} toward the slice target ${this.targetText()} by ${this.sliceEndText}${capNote}: ${desired.explanation}`,
      );
    }
  }

  /** True when the near touch moved away from a resting child by more than `repriceTicks`. */
  private movedAway(order: ChildOrder, desired: ChildPrice): boolean {
    if (order.price === undefined || desired.price === undefined) return false;
    return ticksBehindTouch(this.ctx.request.side, order.price, desired.price, this.ctx.market.tickSize) > this.repriceTicks;
  }

  private place(price: ChildPrice, quantity: number, role: ChildRole, reason: string): void {
    const clientOrderId = this.ctx.nextClientOrderId();
    this.children.register(clientOrderId, role);
    const priced = price.price === undefined ? {} : { price: price.price };
    this.emit({ kind: 'place', clientOrderId, type: price.type, quantity, timeInForce: price.timeInForce, ...priced, reason });
  }
}
