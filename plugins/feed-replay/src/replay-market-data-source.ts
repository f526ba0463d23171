import { inject, injectable } from 'inversify';
import { BehaviorSubject, Subject, filter, firstValueFrom, merge, type Observable } from 'rxjs';
import {
  Clock,
  Logger,
  RunLoop,
  TrancheError,
  WallClockPacer,
  VirtualClock,
  yieldToEventLoop,
  type MarketDataSource,
  type MarketEvent,
} from '@tranche/core';
import { findCaptures } from './capture-catalog.js';
import { selectCaptures } from './select-captures.js';
import { FeedReplayConfig } from './feed-replay-config.schema.js';
import { loadRecording } from './load-recording.js';
import { Recording } from './recording.js';
import type { ReplayCursor, ReplayStream } from './replay-stream.js';
import { wallClockMs } from './wall-clock.js';

/** At speed `max`, yield to the event loop after this many events… */
const YIELD_EVERY_EVENTS = 4096;
/** …or after this much wall time, whichever comes first. */
const YIELD_EVERY_MS = 10;
/** At a numeric speed, wait in slices of this much wall time so `close()` is prompt. */
const PACING_SLICE_MS = 100;
/** How far virtual time may run past the end of the data to let pending timers fire. */
const DRAIN_HORIZON_MS = 10 * 60_000;

/** A clock the replay can move: `VirtualClock` (or anything shaped like it). */
interface AdvanceableClock extends Clock {
  advanceTo(targetMs: number): void;
}

/** Where a replay stands. */
export interface ReplayProgress {
  /** Events emitted so far. */
  readonly emittedEvents: number;
  /** Events in the recording. */
  readonly totalEvents: number;
  /** Time of the first event, epoch ms. */
  readonly startTs: number;
  /** Time of the last event, epoch ms. */
  readonly endTs: number;
  /** Time of the last event emitted, epoch ms (`NaN` before the first). */
  readonly currentTs: number;
  /**
   * `idle` (not started), `loading`, `running`, `paused` (every book known, waiting for
   * an execution), `ended` (data exhausted) or `closed`.
   */
  readonly state: 'idle' | 'loading' | 'running' | 'paused' | 'ended' | 'closed';
}

/**
 * Replays recorded Binance trades and L2 depth as a `MarketDataSource` (id `replay`).
 * `initialize()` loads the captures (from the columnar cache when it can);
 * `start()` emits until every symbol's book snapshot is out; after that a driver
 * emits only while executions are running (`RunLoop.active > 0`): for each event it
 * advances the virtual clock to the event's time (firing due timers in order), emits,
 * and settles the run loop so venue acknowledgements are handled before time moves
 * on. At `speed: 'max'` it runs as fast as the CPU allows (yielding now and then so a
 * progress bar can render); at a numeric speed it keeps pace with the wall clock.
 */
@injectable()
export class ReplayMarketDataSource implements MarketDataSource {
  readonly id = 'replay';
  private readonly subject = new Subject<MarketEvent>();
  readonly events$: Observable<MarketEvent> = this.subject.asObservable();
  private readonly closed$ = new BehaviorSubject<boolean>(false);
  private recording?: ReplayStream;
  private preloaded?: ReplayStream;
  private cursor?: ReplayCursor;
  private loading?: Promise<void>;
  private starting?: Promise<void>;
  private driver?: Promise<void>;
  private readonly pacer?: WallClockPacer;
  private pacedTs?: number;
  private lastTs = Number.NaN;
  private state: ReplayProgress['state'] = 'idle';
  private symbolList?: readonly string[];

  private readonly logger: Logger;

  constructor(
    @inject(FeedReplayConfig) private readonly config: FeedReplayConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(RunLoop) private readonly runLoop: RunLoop,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'feed' });
    if (config.speed !== 'max') this.pacer = new WallClockPacer(config.speed);
  }

  /**
   * Replays `recording` instead of loading the configured captures (benchmarks and
   * tools that build or reuse a recording in memory; `CandleReplayMarketDataSource`
   * hands over its `CandleRecording` here). Call before `initialize()`.
   */
  useRecording(recording: ReplayStream): void {
    if (this.loading) throw new TrancheError('internal', 'useRecording() must be called before initialize()', { retryable: false });
    this.preloaded = recording;
  }

  /** Unified symbols of the chosen captures (read from the directory listing before `initialize()`). */
  symbols(): readonly string[] {
    if (this.recording) return this.recording.symbols();
    if (this.preloaded) return this.preloaded.symbols();
    this.symbolList ??= selectCaptures(findCaptures(this.config.data), this.config).map((capture) => capture.symbol);
    return this.symbolList;
  }

  /** The loaded recording (after `initialize()`). */
  get loaded(): Recording | undefined {
    return this.recording instanceof Recording ? this.recording : undefined;
  }

  /**
   * Loads (or reads from the cache) the captures and moves a virtual clock that is
   * behind the data to its first timestamp; emits nothing. Idempotent.
   */
  initialize(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /**
   * Emits every event up to the point where each symbol's book snapshot has been
   * applied, then returns; the rest is emitted while executions are active.
   */
  start(): Promise<void> {
    this.starting ??= this.fastForwardToReady();
    return this.starting;
  }

  /** Stops the driver and completes `events$`. Idempotent. */
  async close(): Promise<void> {
    if (this.closed$.value) return;
    this.closed$.next(true);
    await this.driver;
    this.state = 'closed';
    this.subject.complete();
  }

  /** Where the replay stands (for progress bars and tests). */
  progress(): ReplayProgress {
    return {
      emittedEvents: this.cursor?.position ?? 0,
      totalEvents: this.recording?.eventCount ?? 0,
      startTs: this.recording?.startTs ?? Number.NaN,
      endTs: this.recording?.endTs ?? Number.NaN,
      currentTs: this.lastTs,
      state: this.state,
    };
  }

  private async load(): Promise<void> {
    this.state = 'loading';
    if (typeof (this.clock as Partial<AdvanceableClock>).advanceTo !== 'function') {
      this.logger.warn('replay clock is not a VirtualClock: events keep their recorded times but timers run on the bound clock', {
        clock: this.clock.constructor.name,
      });
    }
    const recording = this.preloaded ?? await loadRecording(this.config.data, {
      ...(this.config.datasets ? { datasets: this.config.datasets } : {}),
      ...(this.config.symbols ? { symbols: this.config.symbols } : {}),
      cacheDir: this.config.cacheDir,
      logger: this.logger,
    });
    this.recording = recording;
    this.cursor = recording.cursor();
    this.state = 'idle';
    // Move a virtual clock to the data now, so that timers other components set up in
    // their own initialize() count from the recording's start, not from epoch 0.
    const clock = this.clock as Partial<AdvanceableClock>;
    if (typeof clock.advanceTo === 'function' && this.clock.now() < recording.startTs) clock.advanceTo(recording.startTs);
    this.logger.info('replay loaded', {
      captures: recording.loads.map((load) => `${load.name} (${load.origin}, ${Math.round(load.durationMs)} ms)`),
      symbols: recording.symbols(),
      events: recording.eventCount,
      from: new Date(recording.startTs).toISOString(),
      to: new Date(recording.endTs).toISOString(),
      speed: this.config.speed,
    });
  }

  private async fastForwardToReady(): Promise<void> {
    await this.initialize();
    const cursor = this.cursor!;
    const waiting = new Set(this.recording!.symbols());
    while (waiting.size > 0 && !cursor.done && !this.closed$.value) {
      const event = cursor.next()!;
      if (this.timerDueBy(event.ts)) await this.runTimersUntil(event.ts);
      this.emit(event);
      if (event.type === 'book-snapshot') waiting.delete(event.symbol);
      if (this.runLoop.needsSettle) await this.runLoop.settle();
    }
    if (this.closed$.value) return;
    if (waiting.size > 0) {
      throw new TrancheError('internal', `replay data ended before a book snapshot of ${[...waiting].join(', ')}`, { retryable: false });
    }
    this.logger.info('replay ready: every book is known', { at: new Date(this.lastTs).toISOString(), emittedEvents: cursor.position });
    this.driver = this.drive().catch((error: unknown) => {
      const failure = TrancheError.from(error);
      this.logger.error('replay stopped by an error', { error: failure.message });
      this.state = 'closed';
      this.subject.error(failure);
    });
  }

  /** Emits while executions are active; pauses at zero demand; completes at the end of the data. */
  private async drive(): Promise<void> {
    const cursor = this.cursor!;
    let sinceYield = 0;
    let sliceStart = wallClockMs();
    while (!this.closed$.value && !cursor.done) {
      if (this.runLoop.active <= 0) {
        this.state = 'paused';
        await this.waitForDemand();
        this.pacer?.reset();
        this.pacedTs = undefined;
        sliceStart = wallClockMs();
        continue;
      }
      this.state = 'running';
      if (this.pacer) {
        await this.pace(cursor.peekTs());
        if (this.closed$.value || this.runLoop.active <= 0) continue;
      } else if (++sinceYield >= YIELD_EVERY_EVENTS || ((sinceYield & 255) === 0 && wallClockMs() - sliceStart >= YIELD_EVERY_MS)) {
        sinceYield = 0;
        await yieldToEventLoop();
        sliceStart = wallClockMs();
        continue;
      }
      if (this.timerDueBy(cursor.peekTs())) {
        await this.runTimersUntil(cursor.peekTs());
        continue;
      }
      this.emit(cursor.next()!);
      if (this.runLoop.needsSettle) await this.runLoop.settle();
    }
    if (this.closed$.value) return;
    this.state = 'ended';
    this.logger.info('replay ended: no more data', { emittedEvents: cursor.position, at: new Date(this.lastTs).toISOString() });
    this.subject.complete();
    await this.drainTimers();
  }

  /**
   * After the data, time still passes for what is left: executions being wound down may
   * wait on timers (a retry delay, venue latency). Run those, up to a horizon, so no
   * execution waits forever on a clock that no event moves any more.
   */
  private async drainTimers(): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof VirtualClock)) return;
    await this.runLoop.settle();
    const horizon = clock.now() + DRAIN_HORIZON_MS;
    while (!this.closed$.value && this.runLoop.active > 0 && clock.pending > 0 && clock.nextDue() <= horizon) {
      clock.advanceTo(clock.nextDue());
      await this.runLoop.settle();
    }
  }

  /** True when a virtual-clock timer is due at or before `ts`. */
  private timerDueBy(ts: number): boolean {
    const clock = this.clock;
    return clock instanceof VirtualClock && clock.pending > 0 && clock.nextDue() <= ts;
  }

  /**
   * Runs the timers due at or before `ts` one due time at a time, settling after each, so
   * what a timer starts (a slice placed through an awaited journal write, a venue call)
   * happens at the timer's time and not after the clock has moved on to the next event.
   */
  private async runTimersUntil(ts: number): Promise<void> {
    const clock = this.clock as VirtualClock;
    while (!this.closed$.value && clock.pending > 0 && clock.nextDue() <= ts) {
      clock.advanceTo(clock.nextDue());
      if (this.runLoop.needsSettle) await this.runLoop.settle();
    }
  }

  /** Advances the clock to the event's time (running due timers first), then publishes it. */
  private emit(event: MarketEvent): void {
    const clock = this.clock as Partial<AdvanceableClock>;
    if (typeof clock.advanceTo === 'function') clock.advanceTo(event.ts);
    this.lastTs = event.ts;
    this.subject.next(event);
  }

  private async waitForDemand(): Promise<void> {
    await firstValueFrom(merge(this.runLoop.demand$.pipe(filter((demand) => demand > 0)), this.closed$.pipe(filter(Boolean))));
  }

  /** Waits until `ts` is due in wall time, in slices so that `close()` and pauses are prompt. */
  private async pace(ts: number): Promise<void> {
    const pacer = this.pacer!;
    const sliceData = PACING_SLICE_MS * (this.config.speed as number);
    while (!this.closed$.value && this.runLoop.active > 0) {
      const target = this.pacedTs === undefined ? ts : Math.min(ts, this.pacedTs + sliceData);
      await pacer.waitUntil(target);
      this.pacedTs = Math.max(this.pacedTs ?? target, target);
      if (target >= ts) return;
    }
  }
}
