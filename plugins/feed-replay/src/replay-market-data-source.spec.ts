import { createHash } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { interval, take, timer } from 'rxjs';
import { MemoryLogger, RunLoop, VirtualClock, WallClockPacer, yieldToEventLoop, type MarketEvent } from '@tranche/core';
import { BTC_SPOT, sliceBundledCapture, temporaryDir } from '../test/helpers.js';
import { FeedReplayConfigSchema } from './feed-replay-config.schema.js';
import { loadRecording } from './load-recording.js';
import { ReplayMarketDataSource } from './replay-market-data-source.js';
import { wallClockMs } from './wall-clock.js';

const cache = temporaryDir('feed-replay-source-cache-');
afterAll(() => cache.cleanup());

/** A source on a fresh virtual clock and run loop, recording what it emits. */
function makeSource(config: Record<string, unknown> = {}) {
  const clock = new VirtualClock();
  const runLoop = new RunLoop();
  const logger = new MemoryLogger();
  const source = new ReplayMarketDataSource(FeedReplayConfigSchema.parse({ cacheDir: cache.dir, ...config }), clock, runLoop, logger);
  const events: MarketEvent[] = [];
  let completed = false;
  const done = new Promise<void>((resolve, reject) => {
    source.events$.subscribe({ next: (event) => events.push(event), complete: () => ((completed = true), resolve()), error: reject });
  });
  return { source, clock, runLoop, logger, events, done, isCompleted: () => completed };
}

async function turns(count: number): Promise<void> {
  for (let index = 0; index < count; index++) await yieldToEventLoop();
}

async function until(predicate: () => boolean, maxTurns = 10_000): Promise<void> {
  for (let index = 0; index < maxTurns && !predicate(); index++) await yieldToEventLoop();
  expect(predicate()).toBe(true);
}

function digest(events: readonly MarketEvent[]): string {
  const hash = createHash('sha1');
  for (const event of events) hash.update(JSON.stringify(event));
  return hash.digest('hex');
}

describe('ReplayMarketDataSource', () => {
  const opened: ReplayMarketDataSource[] = [];
  afterEach(async () => {
    for (const source of opened.splice(0)) await source.close();
    vi.restoreAllMocks();
  });
  const open = (config: Record<string, unknown> = {}) => {
    const made = makeSource(config);
    opened.push(made.source);
    return made;
  };

  it('replays a recording given with useRecording() instead of loading the configured captures', async () => {
    const recording = await loadRecording(undefined, { symbols: ['ETH/USDT'], cacheDir: cache.dir });
    const { source, clock } = open({ data: '/nonexistent' });
    source.useRecording(recording);
    expect(source.symbols()).toEqual(['ETH/USDT']);
    await source.initialize();
    expect(source.loaded).toBe(recording);
    expect(clock.now()).toBe(recording.startTs);
    expect(() => source.useRecording(recording)).toThrow(/before initialize/);
  });

  it('lists its symbols before and after initialize(), honouring the symbols filter', async () => {
    const { source } = open();
    expect(source.id).toBe('replay');
    expect(source.symbols()).toEqual(['BTC/USDT', 'ETH/USDT']);
    await source.initialize();
    expect(source.symbols()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(open({ symbols: ['ETHUSDT'] }).source.symbols()).toEqual(['ETH/USDT']);
  });

  it('rejects a data directory without captures at initialize()', async () => {
    const empty = temporaryDir();
    try {
      await expect(open({ data: empty.dir }).source.initialize()).rejects.toThrow(/no recorded captures/);
    } finally {
      empty.cleanup();
    }
  });

  it('initialize() emits nothing; start() emits up to the last snapshot and stops until runLoop.begin()', async () => {
    const { source, clock, runLoop, events } = open();
    await source.initialize();
    expect(events).toHaveLength(0);
    // The clock moved to the data (timers set now count from the recording's start).
    expect(clock.now()).toBe(source.progress().startTs);
    const fired: number[] = [];
    timer(1_000, clock.scheduler).subscribe(() => fired.push(clock.now()));
    await source.start();
    expect(fired).toEqual([source.progress().startTs + 1_000]);
    const ready = events.length;
    expect(ready).toBeGreaterThan(2);
    expect(events[ready - 1]!.type).toBe('book-snapshot');
    expect(new Set(events.filter((event) => event.type === 'book-snapshot').map((event) => event.symbol))).toEqual(new Set(['BTC/USDT', 'ETH/USDT']));
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      expect(events.find((event) => event.symbol === symbol && event.type !== 'trade')!.type).toBe('book-snapshot');
    }
    expect(clock.now()).toBe(events[ready - 1]!.ts);
    expect(source.progress()).toMatchObject({ state: 'paused', emittedEvents: ready, totalEvents: 47055 });

    await turns(50);
    expect(events).toHaveLength(ready);

    runLoop.begin();
    await until(() => events.length > ready + 100);
  });

  it('pauses when the last execution ends and resumes at the next begin()', async () => {
    const { source, runLoop, events } = open();
    await source.initialize();
    await source.start();
    runLoop.begin();
    await until(() => events.length > 5_000);
    runLoop.end();
    const paused = events.length;
    await turns(50);
    expect(events).toHaveLength(paused);
    expect(source.progress().state).toBe('paused');
    runLoop.begin();
    await until(() => events.length > paused + 1_000);
    expect(source.progress().state).toBe('running');
  });

  it('completes events$ at the end of the data, with the clock at the last event', async () => {
    const { source, clock, runLoop, events, done } = open();
    await source.initialize();
    await source.start();
    runLoop.begin();
    await done;
    expect(events).toHaveLength(47055);
    expect(source.progress()).toMatchObject({ state: 'ended', emittedEvents: 47055 });
    expect(clock.now()).toBe(events[events.length - 1]!.ts);
    for (let index = 1; index < events.length; index++) expect(events[index]!.ts).toBeGreaterThanOrEqual(events[index - 1]!.ts);
  });

  it('fires virtual-clock timers in due order, between the events that surround their due time', async () => {
    const { source, clock, runLoop, events, done } = open({ symbols: ['ETH/USDT'] });
    await source.initialize();
    await source.start();
    const startTs = clock.now();
    const fired: Array<{ label: string; now: number; eventsBefore: number }> = [];
    const schedule = (label: string, delayMs: number) =>
      timer(delayMs, clock.scheduler).subscribe(() => fired.push({ label, now: clock.now(), eventsBefore: events.length }));
    schedule('c', 30_000);
    schedule('a', 1_000);
    schedule('b1', 7_500);
    schedule('b2', 7_500);
    interval(60_000, clock.scheduler)
      .pipe(take(3))
      .subscribe((tick) => fired.push({ label: `tick${tick}`, now: clock.now(), eventsBefore: events.length }));
    runLoop.begin();
    await done;
    expect(fired.map((entry) => entry.label)).toEqual(['a', 'b1', 'b2', 'c', 'tick0', 'tick1', 'tick2']);
    const due = [1_000, 7_500, 7_500, 30_000, 60_000, 120_000, 180_000];
    fired.forEach((entry, index) => {
      expect(entry.now).toBe(startTs + due[index]!);
      // Every event before the timer is at or before its due time, the next one after it.
      expect(events[entry.eventsBefore - 1]!.ts).toBeLessThanOrEqual(entry.now);
      expect(events[entry.eventsBefore]!.ts).toBeGreaterThanOrEqual(entry.now);
    });
  });

  it('replays the identical event sequence on every run, equal to loadRecording()', async () => {
    const runs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const { source, runLoop, events, done } = open();
      await source.initialize();
      await source.start();
      runLoop.begin();
      await done;
      runs.push(digest(events));
    }
    expect(runs[1]).toBe(runs[0]);
    const recording = await loadRecording(undefined, { cacheDir: cache.dir });
    expect(digest([...recording.events()])).toBe(runs[0]);
  });

  it('at speed max, yields to the event loop often enough for a progress bar to render', async () => {
    const { source, runLoop, done, isCompleted } = open();
    await source.initialize();
    await source.start();
    let renders = 0;
    const progressBar = (async () => {
      while (!isCompleted()) {
        renders++;
        await yieldToEventLoop();
      }
    })();
    runLoop.begin();
    await done;
    await progressBar;
    expect(renders).toBeGreaterThanOrEqual(47055 / 4096);
  });

  it('at a numeric speed, keeps pace with the wall clock through WallClockPacer', async () => {
    const data = temporaryDir('feed-replay-slice-');
    try {
      sliceBundledCapture(data.dir, BTC_SPOT, 4_000);
      const waitUntil = vi.spyOn(WallClockPacer.prototype, 'waitUntil');
      const speed = 20;
      const { source, runLoop, events, done } = open({ data: data.dir, speed, cacheDir: false });
      await source.initialize();
      await source.start();
      const readyTs = events[events.length - 1]!.ts;
      const started = wallClockMs();
      runLoop.begin();
      await done;
      const elapsedMs = wallClockMs() - started;
      const expectedMs = (events[events.length - 1]!.ts - readyTs) / speed;
      expect(expectedMs).toBeGreaterThan(100);
      expect(waitUntil).toHaveBeenCalled();
      expect(elapsedMs).toBeGreaterThanOrEqual(expectedMs * 0.8);
      expect(elapsedMs).toBeLessThan(expectedMs + 1_000);
    } finally {
      data.cleanup();
    }
  });

  it('close() stops the driver, completes events$ and is idempotent', async () => {
    const { source, runLoop, events, done, isCompleted } = open();
    await source.initialize();
    await source.start();
    runLoop.begin();
    await until(() => events.length > 2_000);
    await source.close();
    expect(isCompleted()).toBe(true);
    await done;
    const closedAt = events.length;
    expect(closedAt).toBeLessThan(47055);
    await turns(20);
    expect(events).toHaveLength(closedAt);
    await source.close();
    expect(source.progress().state).toBe('closed');
  });

  it('close() while paused completes at once', async () => {
    const { source, isCompleted } = open({ symbols: ['BTC/USDT'] });
    await source.initialize();
    await source.start();
    await source.close();
    expect(isCompleted()).toBe(true);
  });
});
