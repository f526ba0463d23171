import { inject, injectable, multiInject, optional, postConstruct } from 'inversify';
import { Subject, defer, startWith, type Observable, type SchedulerAction, type Subscription } from 'rxjs';
import {
  Clock,
  Logger,
  MarketDataSource,
  MarketFeatureWindow,
  MarketStateClassifier,
  MarketStateHysteresis,
  SharedBooks,
  type MarketEvent,
  type MarketFeatures,
  type MarketStateProvider,
  type MarketStateUpdate,
} from '@tranche/core';
import { ClassifierPriority, type PrioritizedVerdict } from './classifier-priority.js';
import { MarketStateMonitorConfig } from './monitor-config.schema.js';

/** A published market state, with where it came from. */
export interface MonitoredMarketState extends MarketStateUpdate {
  /** Id of the classifier whose verdict holds. */
  classifier: string;
  /** This evaluation's combined verdict before hysteresis (differs from `state` while a change awaits confirmation). */
  rawState: string;
}

/** One entry of a symbol's state history: a change of state, with the features behind it. */
export interface MarketStateChange extends MonitoredMarketState {
  /** The state before the change (`null` for the first). */
  previous: string | null;
}

interface SymbolTrack {
  readonly symbol: string;
  readonly window: MarketFeatureWindow;
  readonly hysteresis: MarketStateHysteresis<PrioritizedVerdict>;
  readonly subject: Subject<MonitoredMarketState>;
  readonly history: MarketStateChange[];
  current?: MonitoredMarketState;
  lastEvaluationMs: number;
  failures: number;
}

/**
 * The market-state monitor, bound as the `MarketStateProvider`: per symbol it feeds a
 * rolling `MarketFeatureWindow` from the data source's events (trades and book, or
 * candles), asks the installed classifiers for a verdict on every closed bar (or at
 * `evaluateEverySeconds`), combines them by priority, keeps the state from flickering
 * with `MarketStateHysteresis`, and publishes it on `state$(symbol)`, with a bounded
 * history of changes. `observe(events)` feeds events directly (a CLI classifying a
 * candle file). Time comes from the data (bar ends), never from a wall clock.
 */
@injectable()
export class MarketStateMonitor implements MarketStateProvider {
  private readonly tracks = new Map<string, SymbolTrack>();
  private readonly priority: ClassifierPriority;
  private readonly follow?: ReadonlySet<string>;
  private readonly logger: Logger;
  private sourceSubscription?: Subscription;
  private barTimer?: Subscription;
  private initializing?: Promise<void>;
  private closed = false;

  constructor(
    @inject(MarketStateMonitorConfig) private readonly config: MarketStateMonitorConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @multiInject(MarketStateClassifier) @optional() classifiers: MarketStateClassifier[] | undefined,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
    @inject(SharedBooks) @optional() private readonly books?: SharedBooks,
  ) {
    this.logger = logger.child({ component: 'market-state-monitor' });
    this.priority = new ClassifierPriority(classifiers ?? [], {
      order: config.classifiers,
      minConfidence: config.minConfidence,
      classifierMinConfidence: config.classifierMinConfidence,
    });
    if (config.symbols.length > 0) this.follow = new Set(config.symbols);
  }

  /**
   * Subscribes to the data source, if one is bound. Runs as soon as the container
   * creates the monitor (the engine resolves it before starting the source), so no
   * event is missed; no I/O happens here. Idempotent.
   */
  @postConstruct()
  attach(): void {
    if (this.closed || this.sourceSubscription || !this.source) return;
    if (this.priority.ordered.length === 0) this.logger.warn('no market-state classifier is installed: no state will be published (add @tranche/market-state-regime)');
    this.sourceSubscription = this.source.events$.subscribe({ next: (event) => void this.push(event) });
    // Live data: close trade bars on time so a silent market still yields (zero-volume) bars.
    // Virtual time moves with the data, which closes bars itself.
    if (!this.clock.virtual) this.startBarTimer();
  }

  /** Attaches to the source and initializes the classifiers that have an `initialize()` (loading their profiles). */
  initialize(): Promise<void> {
    this.initializing ??= (async () => {
      this.attach();
      for (const classifier of this.priority.ordered) {
        const withHook = classifier as MarketStateClassifier & { initialize?: () => Promise<void> };
        if (typeof withHook.initialize === 'function') await withHook.initialize();
      }
    })();
    return this.initializing;
  }

  /** Ids of the classifiers in priority order (the last is the fallback). */
  classifierIds(): string[] {
    return this.priority.ordered.map((classifier) => classifier.id);
  }

  /** Every state the installed classifiers can emit. */
  states(): string[] {
    return this.priority.states();
  }

  /**
   * States of one symbol: the current one first (the last evaluation, when there was
   * one), then each change (or each evaluation, per `publish`). Completes on `close()`.
   */
  state$(symbol: string): Observable<MarketStateUpdate> {
    const track = this.track(symbol);
    return defer(() => (track.current ? track.subject.pipe(startWith(track.current)) : track.subject.asObservable()));
  }

  /** The state after the last evaluation of a symbol, if any. */
  current(symbol: string): MonitoredMarketState | undefined {
    return this.tracks.get(symbol)?.current;
  }

  /** State changes of a symbol, oldest first (at most `historyLimit`). */
  history(symbol: string): readonly MarketStateChange[] {
    return this.tracks.get(symbol)?.history ?? [];
  }

  /** The features of a symbol's window now, if it has data. */
  features(symbol: string): MarketFeatures | undefined {
    const track = this.tracks.get(symbol);
    return track && track.window.barCount > 0 ? track.window.features() : undefined;
  }

  /**
   * Feeds one event (as if it came from the source) and returns the state after the
   * evaluation it triggered, if it closed a bar and an evaluation was due.
   */
  push(event: MarketEvent): MonitoredMarketState | undefined {
    if (this.closed || (this.follow && !this.follow.has(event.symbol))) return undefined;
    const track = this.track(event.symbol);
    if (track.window.push(event) === 0) return undefined;
    return this.evaluate(track);
  }

  /**
   * Feeds events in time order (candles of a file, a recorded session) and returns the
   * state after every evaluation, in order: one per closed bar with the default cadence.
   */
  observe(events: Iterable<MarketEvent>): MonitoredMarketState[] {
    const states: MonitoredMarketState[] = [];
    for (const event of events) {
      const state = this.push(event);
      if (state) states.push(state);
    }
    return states;
  }

  /** Stops following the source and completes every `state$`; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sourceSubscription?.unsubscribe();
    this.barTimer?.unsubscribe();
    for (const track of this.tracks.values()) track.subject.complete();
  }

  private track(symbol: string): SymbolTrack {
    let track = this.tracks.get(symbol);
    if (!track) {
      track = {
        symbol,
        window: new MarketFeatureWindow({
          symbol,
          windowMs: this.config.windowMinutes * 60_000,
          barMs: this.config.barSeconds * 1000,
          baselineDays: this.config.baselineDays,
          depthBandBps: this.config.depthBandBps,
          // Fed by the data source the asset cache follows too: read its book rather than rebuild a second one.
          ...(this.source && this.books ? { books: this.books } : {}),
        }),
        hysteresis: new MarketStateHysteresis<PrioritizedVerdict>(this.config.hysteresis),
        subject: new Subject<MonitoredMarketState>(),
        history: [],
        lastEvaluationMs: Number.NEGATIVE_INFINITY,
        failures: 0,
      };
      if (this.closed) track.subject.complete();
      this.tracks.set(symbol, track);
    }
    return track;
  }

  private evaluate(track: SymbolTrack): MonitoredMarketState | undefined {
    const ts = track.window.lastBarEndMs;
    if (ts - track.lastEvaluationMs < this.config.evaluateEverySeconds * 1000) return undefined;
    let verdict: PrioritizedVerdict | undefined;
    try {
      verdict = this.priority.classify(track.window.features(), { symbol: track.symbol });
    } catch (error) {
      // A failing classifier must not stop the data stream; say so once per symbol, then count.
      if (track.failures++ === 0) this.logger.error('market-state classification failed', { symbol: track.symbol, error: (error as Error).message });
      return undefined;
    }
    if (!verdict) return undefined;
    track.lastEvaluationMs = ts;
    const held = track.hysteresis.update(verdict);
    const previous = track.current?.state ?? null;
    const update: MonitoredMarketState = {
      symbol: track.symbol,
      ts,
      state: held.state,
      confidence: held.confidence,
      features: held.features,
      classifier: held.classifier,
      rawState: verdict.state,
    };
    track.current = update;
    if (held.changed) {
      track.history.push({ ...update, previous });
      if (track.history.length > this.config.historyLimit) track.history.shift();
      this.logger.debug('market state changed', { symbol: track.symbol, ts, from: previous, to: update.state, confidence: update.confidence, classifier: update.classifier });
    }
    if (held.changed || this.config.publish === 'evaluations') track.subject.next(update);
    return update;
  }

  private startBarTimer(): void {
    const scheduler = this.clock.scheduler;
    const barMs = this.config.barSeconds * 1000;
    const untilBoundary = (now: number): number => barMs - (((now % barMs) + barMs) % barMs);
    const tick = (): void => {
      const now = this.clock.now();
      for (const track of this.tracks.values()) if (track.window.advanceTo(now) > 0) this.evaluate(track);
    };
    this.barTimer = scheduler.schedule(function repeat(this: SchedulerAction<unknown>) {
      tick();
      this.schedule(undefined, untilBoundary(scheduler.now()));
    }, untilBoundary(scheduler.now()));
  }
}
