import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { Clock, ExecutionManager, MarketDataSource, type ExecutionReport, type Logger, type MarketEvent } from '@tranche/core';
import { ReplayMarketDataSource, type Recording } from '@tranche/feed-replay';
import { composeRunner } from '../compose.js';
import { collectGarbage, nowMs } from './bench-section.js';

/** What the orders of a pipeline run may depend on, known once every book is loaded. */
export interface OrderContext {
  /** Virtual time when the orders start, epoch ms. */
  readonly now: number;
  /** Symbols of the recording. */
  readonly symbols: readonly string[];
  /** Time of the last event of a symbol's capture, epoch ms. */
  endTs(symbol: string): number;
}

/** Options of `runPipeline`. */
export interface PipelineRunOptions {
  /** The recording to replay (already decoded: the run times the replay only). */
  readonly recording: Recording;
  /** The parent orders to execute together, built once the books are known. */
  readonly orders: (context: OrderContext) => readonly unknown[];
  readonly logger: Logger;
  /** Measure decision latency (market event → child-order intent) and per-event dispatch time. */
  readonly latency?: boolean;
  /** Collect garbage and sample the heap at these fractions of the replay (0..1]. */
  readonly heapCheckpoints?: readonly number[];
}

/** What a pipeline run measured. */
export interface PipelineRun {
  /** Market events (messages) emitted during the replay phase. */
  readonly messages: number;
  /** Capture rows those messages carried (one per trade, one per book level). */
  readonly rows: number;
  /** Wall time of the replay phase, ms. */
  readonly replayMs: number;
  readonly reports: readonly ExecutionReport[];
  /**
   * Wall time from the replay taking up a market event (advancing the clock to its time, which fires due timers,
   * then publishing it) to each child-order intent decided before its dispatch ended, µs (when `latency`).
   */
  readonly decisionUs?: Float64Array;
  /**
   * The same decisions timed from what set each off within that event's dispatch: the strategy timer that fired
   * (slice boundary, schedule check) or the event's publication to subscribers, µs (when `latency`).
   */
  readonly decisionFromTriggerUs?: Float64Array;
  /** Wall time of each market event's whole synchronous dispatch (clock advance + every subscriber), µs (when `latency`). */
  readonly dispatchUs?: Float64Array;
  /** Heap used after a full collection at each checkpoint (`heapCheckpoints`), bytes. */
  readonly heapSamples?: readonly { readonly fraction: number; readonly messages: number; readonly heapUsedBytes: number }[];
}

/** A growable array of doubles (no boxing, no per-sample allocation). */
class Samples {
  private values = new Float64Array(1 << 14);
  private size = 0;
  push(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.size).sort();
  }
}

/**
 * Composes the real runner (default plugins: replay feed, paper venue, strategies,
 * market-state monitor and classifier, quality monitor, execution monitor, metrics
 * collector, SQLite history in memory), makes it replay `recording`, executes the
 * orders together and times the replay phase (from the orders' start to their
 * reports), counting the events and rows that went through.
 */
export async function runPipeline(options: PipelineRunOptions): Promise<PipelineRun> {
  const tranche = await composeRunner({
    config: { 'journal-sqlite': { path: ':memory:' }, 'feed-replay': { cacheDir: false } },
    logger: options.logger,
  });
  const source = tranche.get(ReplayMarketDataSource);
  source.useRecording(options.recording);
  const decisions = options.latency ? new Samples() : undefined;
  const dispatches = options.latency ? new Samples() : undefined;
  let dispatchStart = -1;
  let triggerStart = -1;
  const triggered = options.latency ? new Samples() : undefined;
  if (options.latency) {
    // The replay takes up each event by advancing the virtual clock to its time (firing the timers due by then:
    // a slice boundary is reached because this event arrived), then publishes it. Mark the start there.
    const clock = tranche.get<Clock>(Clock) as Clock & { advanceTo?: (targetMs: number) => void };
    const advance = clock.advanceTo?.bind(clock);
    let depth = 0;
    if (advance) {
      clock.advanceTo = (targetMs: number) => {
        if (depth++ === 0) dispatchStart = nowMs();
        try {
          advance(targetMs);
        } finally {
          depth--;
        }
      };
    }
    // What set the decision off: a timer (each timer's work is wrapped to mark when it starts) or the event's publication.
    const scheduler = clock.scheduler as SchedulerLike;
    const schedule = scheduler.schedule.bind(scheduler) as (work: (this: SchedulerAction<unknown>, state?: unknown) => void, delay?: number, state?: unknown) => Subscription;
    (scheduler as { schedule: typeof schedule }).schedule = (work, delay, state) =>
      schedule(
        function (this: SchedulerAction<unknown>, timerState?: unknown) {
          triggerStart = nowMs();
          work.call(this, timerState);
        },
        delay,
        state,
      );
    tranche.get<MarketDataSource>(MarketDataSource).events$.subscribe(() => (triggerStart = nowMs()));
  }
  const manager = tranche.get(ExecutionManager);
  try {
    await manager.initialize();
    let messages = 0;
    let rows = 0;
    const total = options.recording.eventCount;
    const checkpoints = [...(options.heapCheckpoints ?? [])].sort((a, b) => a - b).map((fraction) => ({ fraction, at: Math.max(1, Math.floor(fraction * total)) }));
    const heapSamples: { fraction: number; messages: number; heapUsedBytes: number }[] = [];
    let nextCheckpoint = 0;
    // Subscribed after the engine's own subscriber: runs last for every event.
    source.events$.subscribe((event: MarketEvent) => {
      if (dispatchStart >= 0) {
        dispatches!.push((nowMs() - dispatchStart) * 1_000);
        dispatchStart = -1;
      }
      messages++;
      rows += event.type === 'book-snapshot' || event.type === 'book-delta' ? event.bids.length + event.asks.length : 1;
      if (nextCheckpoint < checkpoints.length && source.progress().emittedEvents >= checkpoints[nextCheckpoint]!.at) {
        collectGarbage();
        heapSamples.push({ fraction: checkpoints[nextCheckpoint]!.fraction, messages, heapUsedBytes: process.memoryUsage().heapUsed });
        nextCheckpoint++;
      }
    });
    if (decisions) {
      manager.events$.subscribe((event) => {
        if (event.type !== 'child-order-intent' || dispatchStart < 0) return;
        const now = nowMs();
        decisions.push((now - dispatchStart) * 1_000);
        triggered!.push((now - Math.max(triggerStart, dispatchStart)) * 1_000);
      });
    }
    const orders = options.orders({
      now: tranche.get<Clock>(Clock).now(),
      symbols: options.recording.symbols(),
      endTs: (symbol) => {
        const capture = options.recording.captures.find((candidate) => candidate.symbol === symbol);
        return capture && capture.eventCount > 0 ? capture.ts(capture.eventCount - 1) : Number.NaN;
      },
    });
    // The start-up events went by before the timing subscriber above existed: nothing is being dispatched now.
    dispatchStart = -1;
    triggerStart = -1;
    const started = nowMs();
    const reports = await Promise.all(orders.map((order) => manager.executeOrder(order)));
    const replayMs = nowMs() - started;
    if (nextCheckpoint < checkpoints.length && collectGarbage()) {
      heapSamples.push({ fraction: 1, messages, heapUsedBytes: process.memoryUsage().heapUsed });
    }
    return {
      messages,
      rows,
      replayMs,
      reports,
      ...(decisions ? { decisionUs: decisions.sorted(), decisionFromTriggerUs: triggered!.sorted(), dispatchUs: dispatches!.sorted() } : {}),
      ...(options.heapCheckpoints ? { heapSamples } : {}),
    };
  } finally {
    await tranche.close();
  }
}

/** Shape of the TWAPs `concurrentTwaps` builds. */
export interface TwapShape {
  /** Slices per TWAP (default 20). */
  readonly slices?: number;
  /** Randomization of slice times and sizes, 0..1 (default 0). */
  readonly randomization?: number;
}

/**
 * `count` TWAPs started together, alternating over the recording's symbols, each
 * running until its symbol's data ends: one order buys 2 BTC (20 of anything else),
 * several are small (0.05 BTC, 0.5 of anything else) so the book absorbs them all.
 */
export function concurrentTwaps(count: number, shape: TwapShape = {}): (context: OrderContext) => unknown[] {
  return (context) =>
    Array.from({ length: count }, (_, index) => {
      const symbol = context.symbols[index % context.symbols.length]!;
      const durationMs = Math.max(60_000, Math.floor(context.endTs(symbol) - context.now - 1_000));
      return {
        symbol,
        side: index % 2 === 0 ? 'buy' : 'sell',
        type: 'twap',
        quantity: count === 1 ? (symbol.startsWith('BTC') ? 2 : 20) : symbol.startsWith('BTC') ? 0.05 : 0.5,
        params: { durationMs, slices: shape.slices ?? 20, seed: index + 1, ...(shape.randomization ? { randomization: shape.randomization } : {}) },
      };
    });
}

/** One TWAP buying 2 BTC (or 20 of the first symbol) over the whole of the first symbol's capture. */
export function wholeCaptureTwap(context: OrderContext): unknown[] {
  return concurrentTwaps(1)(context);
}
