import { BehaviorSubject, Observable, Subscription, timer, type Subscriber } from 'rxjs';
import {
  MarketFeature,
  ParticipationTracker,
  SeededRandom,
  blendTargetCurves,
  buildSliceGrid,
  formatAlgoNumber as fmt,
  formatUtcTime,
  linearTargetCurve,
  observedVolumeCurve,
  pacedTargetCurve,
  resolveAlgoWindow,
  scheduledExecution,
  seedFromText,
  type AlgoWindow,
  type ExecutionContext,
  type MarketStateUpdate,
  type ScheduledTactic,
  type SliceGrid,
  type StrategyAction,
  type TargetCurve,
} from '@tranche/core';
import { DEFERRING_TACTICS, type AdaptiveParams, type AdaptiveTacticName } from './adaptive-params.schema.js';
import { adaptiveTacticMap, resolveAdaptiveTactic, type AdaptiveTactic } from './adaptive-tactics.js';
import { selectTactic, type TacticChoice, type TrendDirection } from './select-tactic.js';

/** Weight of the session's traded volume in the `vwap` tactic's curve (as VWAP's default `volumeTracking`). */
const VWAP_VOLUME_WEIGHT = 0.5;
/** The catch-up threshold is never below this many average slices. */
const CATCH_UP_MIN_SLICES = 1.5;
/** Share of the window a single pause may last when `maxPauseMs` is not given. */
const DEFAULT_MAX_PAUSE_SHARE = 0.1;

/**
 * Runs an adaptive execution: core's `scheduledExecution` driven through its `tactics$`
 * by the tactic `selectTactic` picks from the market state (`ctx.state$`), the schedule
 * drift and the pause bounds. Every choice is a `note`; timing is on `ctx.clock.scheduler`.
 */
export function adaptiveExecution(ctx: ExecutionContext<AdaptiveParams>): Observable<StrategyAction> {
  return new Observable<StrategyAction>((subscriber) => new AdaptiveRun(ctx, subscriber).start());
}

class AdaptiveRun {
  private readonly params: AdaptiveParams;
  private readonly window: AlgoWindow;
  private readonly quantity: number;
  private readonly seed: number;
  private readonly tracker: ParticipationTracker;
  private readonly shapes: Readonly<Record<AdaptiveTactic['shape'], TargetCurve>>;
  private readonly maxPauseMs: number;
  private readonly deferralBudgetMs: number;
  private readonly catchUpThresholdShare: number;
  private readonly checkIntervalMs: number;
  private readonly grid: SliceGrid;
  private readonly subscriptions = new Subscription();
  private tactics$!: BehaviorSubject<ScheduledTactic>;
  private boundTimer: Subscription | undefined;
  private tactic!: AdaptiveTactic;
  private curve!: TargetCurve;
  private state: MarketStateUpdate | undefined;
  private started = false;
  private summarized = false;
  private catchingUp = false;
  private deferredMs = 0;
  private accountedTo: number;
  private tacticSince: number;
  private pauseStartedAt = Number.NaN;
  private pauseSpentIn: string | undefined;
  private readonly timeInTactic = new Map<AdaptiveTacticName, number>();
  private readonly switches: string[] = [];
  private readonly statesSeen = new Set<string>();

  constructor(
    private readonly ctx: ExecutionContext<AdaptiveParams>,
    private readonly subscriber: Subscriber<StrategyAction>,
  ) {
    const { params } = ctx;
    this.params = params;
    this.quantity = ctx.request.quantity;
    this.window = resolveAlgoWindow(params, ctx.clock.now());
    this.seed = params.seed ?? seedFromText(ctx.executionId);
    this.tracker = new ParticipationTracker(this.window.startTime);
    const linear = linearTargetCurve(this.window);
    const volume = blendTargetCurves(linear, observedVolumeCurve(this.tracker, this.window, () => ctx.clock.now()), VWAP_VOLUME_WEIGHT);
    this.shapes = { linear, volume };
    this.maxPauseMs = params.maxPauseMs ?? Math.max(1, Math.round(this.window.durationMs * DEFAULT_MAX_PAUSE_SHARE));
    this.deferralBudgetMs = params.maxDeferralShare * this.window.durationMs;
    this.accountedTo = this.window.startTime;
    this.tacticSince = this.window.startTime;
    this.grid = buildSliceGrid({
      startTime: this.window.startTime,
      endTime: this.window.endTime,
      ...(params.slices === undefined ? {} : { slices: params.slices }),
      ...(params.intervalMs === undefined ? {} : { intervalMs: params.intervalMs }),
      randomization: params.randomization,
      random: new SeededRandom(this.seed).fork('grid'),
    });
    const slices = Math.max(1, this.grid.slices.length);
    this.checkIntervalMs = params.checkIntervalMs ?? Math.round(Math.min(30_000, Math.max(1_000, this.window.durationMs / slices / 3)));
    // Never below 1.5 average slices (with their size jitter): a slice's own jitter and the driver's own
    // catch-up (one slice behind at medium urgency) come first; the adaptive steps in when that is not enough.
    this.catchUpThresholdShare = Math.max(params.catchUpLagShare, (CATCH_UP_MIN_SLICES * (1 + params.randomization / 2)) / slices);
  }

  start(): () => void {
    const { ctx, params, window, grid } = this;

    // The state known now (a monitor replays its current state on subscription) picks the first tactic.
    this.subscriptions.add(
      ctx.state$.subscribe({
        next: (update) => this.onState(update),
        error: (error: unknown) => this.note(`Adaptive: the market state stream failed (${(error as Error)?.message ?? String(error)}); keeping the tactic ${this.tactic?.name ?? 'chosen so far'}`),
      }),
    );
    this.notePlan();
    const first = this.choose();
    this.tactic = resolveAdaptiveTactic(first.tactic, params, { catchUp: first.catchingUp });
    this.curve = this.curveFor(this.tactic, window.startTime, 0);
    if (this.tactic.paused) this.pauseStartedAt = window.startTime;
    this.noteChoice(first, undefined, 'start', true);
    this.tactics$ = new BehaviorSubject<ScheduledTactic>(this.scheduledTactic());

    this.subscriptions.add(
      scheduledExecution(ctx, { params, window, grid, curve: this.curve, tracker: this.tracker, label: 'Adaptive', checkIntervalMs: this.checkIntervalMs, tactics$: this.tactics$ }).subscribe({
        next: (action) => this.emit(action),
        error: (error: unknown) => this.subscriber.error(error),
        complete: () => {
          this.noteSummary();
          this.subscriber.complete();
        },
      }),
    );
    // Filled before the end time: the engine ends the execution at the last fill, so sum up then.
    this.subscriptions.add(
      ctx.fills$.subscribe(() => {
        if (ctx.progress().filledQuantity >= this.quantity - ctx.market.stepSize / 2) this.noteSummary();
      }),
    );
    const firstCheck = Math.max(0, window.startTime - ctx.clock.now()) + this.checkIntervalMs;
    this.subscriptions.add(timer(firstCheck, this.checkIntervalMs, ctx.clock.scheduler).subscribe(() => this.decide('check')));
    this.started = true;
    this.armBound();
    return () => {
      this.boundTimer?.unsubscribe();
      this.subscriptions.unsubscribe();
    };
  }

  private emit(action: StrategyAction): void {
    if (!this.subscriber.closed) this.subscriber.next(action);
  }

  private note(message: string, data?: Record<string, unknown>): void {
    this.emit({ kind: 'note', message, ...(data === undefined ? {} : { data }) });
  }

  private onState(update: MarketStateUpdate): void {
    this.state = update;
    this.statesSeen.add(update.state);
    if (this.pauseSpentIn !== undefined && this.pauseSpentIn !== update.state) this.pauseSpentIn = undefined;
    if (this.started) this.decide('state');
  }

  /** One decision: re-chooses the tactic and switches when it changed. */
  private decide(trigger: 'state' | 'check' | 'bound'): void {
    const now = this.ctx.clock.now();
    if (this.subscriber.closed || now >= this.window.endTime) return;
    this.account(now);
    if (this.tactic.paused && now - this.pauseStartedAt >= this.maxPauseMs) this.pauseSpentIn = this.state?.state ?? 'normal';
    const choice = this.choose();
    const next = resolveAdaptiveTactic(choice.tactic, this.params, { catchUp: choice.catchingUp });
    // A change of pace alone (aggressive on a trend, or catching up) is a switch too.
    if (next.name !== this.tactic.name || next.pace !== this.tactic.pace) this.switchTo(choice, next, trigger);
    else if (trigger === 'state') this.noteChoice(choice, this.tactic.name, trigger, false);
  }

  private choose(): TacticChoice {
    const now = this.ctx.clock.now();
    const filled = this.ctx.progress().filledQuantity;
    const choice = selectTactic(
      {
        state: this.state?.state,
        trend: this.state?.state === 'trending' ? this.trend(this.state) : undefined,
        lagShare: (this.scheduledNow() - filled) / this.quantity,
        catchUpThresholdShare: this.catchUpThresholdShare,
        catchingUp: this.catchingUp,
        timeLeftShare: Math.max(0, this.window.endTime - Math.max(now, this.window.startTime)) / this.window.durationMs,
        deferralLeftMs: this.deferralBudgetMs - this.deferredMs,
        pauseSpent: this.pauseSpentIn !== undefined && this.pauseSpentIn === (this.state?.state ?? 'normal'),
      },
      this.params,
    );
    this.catchingUp = choice.catchingUp;
    return choice;
  }

  /** What the adaptive schedule wants filled by now. */
  private scheduledNow(): number {
    const now = this.ctx.clock.now();
    return now <= this.window.startTime ? 0 : this.ctx.roundQuantity(this.quantity * this.curve.fractionAt(now));
  }

  private switchTo(choice: TacticChoice, next: AdaptiveTactic, trigger: 'state' | 'check' | 'bound'): void {
    const now = this.ctx.clock.now();
    const from = Math.max(now, this.window.startTime);
    const previous = this.tactic.name;
    this.timeInTactic.set(previous, (this.timeInTactic.get(previous) ?? 0) + Math.max(0, from - this.tacticSince));
    this.tacticSince = from;
    this.tactic = next;
    this.curve = this.curveFor(this.tactic, from, this.curve.fractionAt(from));
    if (this.tactic.paused) this.pauseStartedAt = from;
    this.switches.push(`${formatUtcTime(from)} ${previous} → ${choice.tactic}`);
    this.noteChoice(choice, previous, trigger, true);
    this.tactics$.next(this.scheduledTactic());
    this.armBound();
  }

  /** The schedule from `from` on: the tactic's shape at its pace, from where the current schedule is. */
  private curveFor(tactic: AdaptiveTactic, from: number, fraction: number): TargetCurve {
    return pacedTargetCurve(this.shapes[tactic.shape], this.window, { from, fraction, pace: tactic.pace });
  }

  private scheduledTactic(): ScheduledTactic {
    const { tactic } = this;
    return { name: tactic.name, label: `Adaptive (${tactic.name})`, curve: this.curve, childOrderStyle: tactic.childOrderStyle, urgency: tactic.urgency, paused: tactic.paused };
  }

  /** Adds the schedule time the current tactic deferred since the last call. */
  private account(now: number): void {
    const to = Math.min(Math.max(now, this.window.startTime), this.window.endTime);
    if (to > this.accountedTo) this.deferredMs += (to - this.accountedTo) * this.tactic.deferralRate;
    this.accountedTo = Math.max(this.accountedTo, to);
  }

  /** While a tactic defers, a timer at its first bound (longest pause, budget used, final stretch) so the bound holds to the millisecond. */
  private armBound(): void {
    this.boundTimer?.unsubscribe();
    this.boundTimer = undefined;
    if (!DEFERRING_TACTICS.has(this.tactic.name)) return;
    const now = this.ctx.clock.now();
    const from = Math.max(now, this.window.startTime);
    const finalStretch = this.window.endTime - this.params.finalStretchShare * this.window.durationMs;
    const budgetEnd = from + Math.max(0, this.deferralBudgetMs - this.deferredMs) / this.tactic.deferralRate;
    const pauseEnd = this.tactic.paused ? this.pauseStartedAt + this.maxPauseMs : Number.POSITIVE_INFINITY;
    const at = Math.ceil(Math.min(finalStretch, budgetEnd, pauseEnd));
    if (!Number.isFinite(at) || at >= this.window.endTime) return;
    this.boundTimer = timer(Math.max(0, at - now), this.ctx.clock.scheduler).subscribe(() => {
      this.boundTimer = undefined;
      this.decide('bound');
    });
  }

  /** Direction of a trend relative to the order: from the state's features (the window's return), else the mid against the arrival price. */
  private trend(update: MarketStateUpdate): TrendDirection | undefined {
    const features = update.features ?? {};
    let move = [features[MarketFeature.logReturn], features[MarketFeature.returnPct], features['moveSigmas']].find((value) => value !== undefined && Number.isFinite(value) && value !== 0);
    if (move === undefined) {
      const mid = this.ctx.book().mid();
      const arrival = this.ctx.arrivalPrice;
      if (arrival !== null && Number.isFinite(mid) && mid !== arrival) move = mid - arrival;
    }
    if (move === undefined) return undefined;
    const up = move > 0;
    return (this.ctx.request.side === 'buy') === up ? 'against' : 'with';
  }

  private notePlan(): void {
    const { params, window } = this;
    const map = adaptiveTacticMap(params);
    this.note(
      `Adaptive plan (seed ${this.seed}): ${fmt(this.quantity)} in ${this.grid.slices.length} slices from ${formatUtcTime(window.startTime)} to ${formatUtcTime(window.endTime)} UTC; ` +
        `tactics by market state: ${Object.entries(map).map(([state, tactic]) => `${state} → ${tactic}`).join(', ')} (any other state → the normal tactic); ` +
        `catch up with ${params.catchUpTactic} when more than ${fmt(this.catchUpThresholdShare * 100, 2)}% of the order behind schedule; ` +
        `pauses at most ${fmt(this.maxPauseMs / 1_000, 3)} s each, pauses and slow-downs defer at most ${fmt(params.maxDeferralShare * 100, 2)}% of the window ` +
        `(${fmt(this.deferralBudgetMs / 1_000, 3)} s) and none in its last ${fmt(params.finalStretchShare * 100, 2)}%; drift checked every ${fmt(this.checkIntervalMs / 1_000, 3)} s`,
      { seed: this.seed, slices: this.grid.slices.length, tactics: map, catchUpThresholdShare: this.catchUpThresholdShare, maxPauseMs: this.maxPauseMs, deferralBudgetMs: this.deferralBudgetMs },
    );
  }

  private noteChoice(choice: TacticChoice, previous: AdaptiveTacticName | undefined, trigger: 'start' | 'state' | 'check' | 'bound', switched: boolean): void {
    const now = this.ctx.clock.now();
    const filled = this.ctx.progress().filledQuantity;
    const scheduled = this.scheduledNow();
    const lag = scheduled - filled;
    const state = this.state;
    const head =
      previous === undefined
        ? `Adaptive starts with ${choice.tactic}`
        : !switched
          ? `Adaptive keeps ${choice.tactic}`
          : previous === choice.tactic
            ? `Adaptive switches ${previous} → ${choice.tactic} at a new pace`
            : `Adaptive switches ${previous} → ${choice.tactic}`;
    const seen = state ? ` (${state.state}, confidence ${fmt(state.confidence, 3)}, classified at ${formatUtcTime(state.ts)} UTC)` : '';
    const drift =
      trigger === 'start'
        ? ''
        : `; schedule ${fmt(scheduled)} by now, filled ${fmt(filled)}: ${Math.abs(lag) <= this.ctx.market.stepSize / 2 ? 'on schedule' : `${fmt(Math.abs(lag))} ${lag > 0 ? 'behind' : 'ahead'} (${fmt((Math.abs(lag) / this.quantity) * 100, 2)}% of the order)`}`;
    const deferral = this.deferredMs > 0 || DEFERRING_TACTICS.has(choice.tactic) ? `; deferred ${fmt(this.deferredMs / 1_000, 3)} s of the ${fmt(this.deferralBudgetMs / 1_000, 3)} s budget` : '';
    this.note(`${head}${seen}: ${choice.reasons.join('; ')}. ${this.tactic.description}${drift}${deferral}`, {
      tactic: choice.tactic,
      ...(previous === undefined ? {} : { previousTactic: previous }),
      tacticKey: choice.key,
      mappedTactic: choice.mapped,
      trigger,
      state: state?.state ?? null,
      ...(state === undefined ? {} : { stateConfidence: state.confidence, stateTs: state.ts }),
      catchingUp: choice.catchingUp,
      scheduledQuantity: scheduled,
      filledQuantity: filled,
      lagShare: Number((lag / this.quantity).toFixed(12)),
      deferredMs: Math.round(this.deferredMs),
      ts: now,
    });
  }

  private noteSummary(): void {
    if (this.summarized) return;
    this.summarized = true;
    const end = Math.min(Math.max(this.ctx.clock.now(), this.window.startTime), this.window.endTime);
    this.account(end);
    const times = new Map(this.timeInTactic);
    times.set(this.tactic.name, (times.get(this.tactic.name) ?? 0) + Math.max(0, end - this.tacticSince));
    const total = [...times.values()].reduce((sum, ms) => sum + ms, 0);
    const shares = [...times.entries()].filter(([, ms]) => ms > 0).map(([tactic, ms]) => `${tactic} ${fmt((ms / Math.max(1, total)) * 100, 1)}%`);
    const states = [...this.statesSeen];
    this.note(
      `Adaptive summary: ${this.switches.length} tactic switch${this.switches.length === 1 ? '' : 'es'}${this.switches.length > 0 ? ` (${this.switches.join(', ')})` : ''}; ` +
        `time by tactic: ${shares.length > 0 ? shares.join(', ') : `${this.tactic.name} 100%`}; ` +
        `${states.length > 0 ? `market states seen: ${states.join(', ')}` : 'no market state was received (no state monitor installed?): the normal tactic ran throughout'}; ` +
        `deferred ${fmt(this.deferredMs / 1_000, 3)} s of the schedule`,
      { switches: this.switches.length, timeByTacticMs: Object.fromEntries(times), statesSeen: states, deferredMs: Math.round(this.deferredMs) },
    );
  }
}
