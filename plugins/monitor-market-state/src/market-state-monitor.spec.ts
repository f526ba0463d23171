import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  MarketFeature as F,
  MemoryLogger,
  VirtualClock,
  type CandleEvent,
  type Clock,
  type MarketFeatures,
  type MarketStateClassifier,
  type MarketStateUpdate,
  type TradeEvent,
} from '@tranche/core';
import { ScriptedMarketDataSource } from '@tranche/testkit';
import { MarketStateMonitor } from './market-state-monitor.js';
import { MarketStateMonitorConfigSchema, type MarketStateMonitorConfigInput } from './monitor-config.schema.js';

const SYMBOL = 'BTC/USDT';
const MINUTE = 60_000;

/** `volatile` when the window's realized volatility exceeds `limit` %/√day, else `normal`. */
function volatilityClassifier(limit = 5, id = 'regime'): MarketStateClassifier {
  return {
    id,
    states: ['normal', 'volatile'],
    classify: (features: MarketFeatures) => {
      const volatility = features[F.realizedVolatilityPct]!;
      return volatility > limit ? { state: 'volatile', confidence: 0.6, features } : { state: 'normal', confidence: 0.6, features };
    },
  };
}

/** Fires `spike` with high confidence when a minute's volume per minute exceeds `limit`; otherwise says nothing. */
function spikeClassifier(limit = 50): MarketStateClassifier {
  return {
    id: 'spike',
    states: ['spike'],
    classify: (features: MarketFeatures) =>
      features[F.volumePerMinute]! > limit ? { state: 'spike', confidence: 0.95, features } : { state: 'normal', confidence: 0, features },
  };
}

/** 1-minute candles: `steps[i]` is the relative move of minute i, `volumes[i]` its volume (default 1). */
function candles(steps: readonly number[], volumes: readonly number[] = []): CandleEvent[] {
  let price = 100;
  return steps.map((step, index) => {
    const open = price;
    price = price * (1 + step);
    return {
      type: 'candle',
      symbol: SYMBOL,
      ts: (index + 1) * MINUTE,
      openTime: index * MINUTE,
      intervalMs: MINUTE,
      open,
      high: Math.max(open, price),
      low: Math.min(open, price),
      close: price,
      volume: volumes[index] ?? 1,
    };
  });
}

/** Calm minutes then wild ones: ±0.01 % then ±2 %. */
const calmThenWild = (calm: number, wild: number): number[] => [
  ...Array.from({ length: calm }, (_, index) => (index % 2 === 0 ? 0.0001 : -0.0001)),
  ...Array.from({ length: wild }, (_, index) => (index % 2 === 0 ? 0.02 : -0.02)),
];

function monitor(
  config: MarketStateMonitorConfigInput = {},
  classifiers: MarketStateClassifier[] = [volatilityClassifier()],
  options: { clock?: Clock; source?: ScriptedMarketDataSource } = {},
): { monitor: MarketStateMonitor; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const created = new MarketStateMonitor(MarketStateMonitorConfigSchema.parse(config), options.clock ?? new VirtualClock(0), logger, classifiers, options.source);
  created.attach();
  return { monitor: created, logger };
}

describe('MarketStateMonitor', () => {
  it('classifies every closed bar from the first one, with hysteresis before a change', () => {
    const { monitor: subject } = monitor({ windowMinutes: 10, hysteresis: { confirmEvaluations: 3, confidenceMargin: 1 } });
    const states = subject.observe(candles(calmThenWild(10, 10)));
    expect(states).toHaveLength(20);
    expect(states[0]).toMatchObject({ symbol: SYMBOL, ts: MINUTE, state: 'normal', classifier: 'regime' });
    const firstVolatileRaw = states.findIndex((state) => state.rawState === 'volatile');
    const firstVolatile = states.findIndex((state) => state.state === 'volatile');
    expect(firstVolatileRaw).toBeGreaterThan(9);
    expect(firstVolatile).toBe(firstVolatileRaw + 2);
    expect(subject.current(SYMBOL)).toMatchObject({ state: 'volatile' });
    const history = subject.history(SYMBOL);
    expect(history.map((change) => [change.previous, change.state])).toEqual([
      [null, 'normal'],
      ['normal', 'volatile'],
    ]);
    expect(history[1]!.features[F.realizedVolatilityPct]).toBeGreaterThan(5);
  });

  it('replays the current state to a late subscriber, then publishes changes', async () => {
    const { monitor: subject } = monitor({ windowMinutes: 10, hysteresis: { confirmEvaluations: 1 } });
    subject.observe(candles(calmThenWild(5, 0)));
    const seen = firstValueFrom(subject.state$(SYMBOL).pipe(take(2), toArray()));
    subject.observe(candles(calmThenWild(5, 10)).slice(5).map((candle) => candle));
    const [first, second] = (await seen) as MarketStateUpdate[];
    expect(first!.state).toBe('normal');
    expect(first!.ts).toBe(5 * MINUTE);
    expect(second!.state).toBe('volatile');
  });

  it('lets a confident specialist override the fallback, in the configured or default order', () => {
    const steps = calmThenWild(10, 0);
    const volumes = steps.map((_, index) => (index === 6 ? 500 : 1));
    for (const classifiers of [[volatilityClassifier(), spikeClassifier()], [spikeClassifier(), volatilityClassifier()]]) {
      // Default order: every classifier but `regime`, then `regime` last (the fallback).
      const { monitor: subject } = monitor({ windowMinutes: 3, hysteresis: { confirmEvaluations: 3 } }, classifiers);
      expect(subject.classifierIds()).toEqual(['spike', 'regime']);
      expect(subject.states()).toEqual(['spike', 'normal', 'volatile']);
      const states = subject.observe(candles(steps, volumes));
      // 0.95 beats normal's 0.6 by more than the 0.3 margin: the spike shows at once.
      expect(states[6]).toMatchObject({ state: 'spike', classifier: 'spike' });
      expect(states.filter((state) => state.state === 'spike').length).toBeGreaterThanOrEqual(1);
    }
    // A minimum confidence above the specialist's keeps the fallback in charge.
    const { monitor: strict } = monitor({ windowMinutes: 3, classifierMinConfidence: { spike: 0.99 } }, [spikeClassifier(), volatilityClassifier()]);
    expect(strict.observe(candles(steps, volumes)).some((state) => state.state === 'spike')).toBe(false);
    // Configured order puts `regime` first: as it always reaches 0.5, it always wins.
    const { monitor: regimeFirst } = monitor({ windowMinutes: 3, classifiers: ['regime', 'spike'] }, [spikeClassifier(), volatilityClassifier()]);
    expect(regimeFirst.observe(candles(steps, volumes)).every((state) => state.classifier === 'regime')).toBe(true);
  });

  it('refuses an unknown classifier id in the config and duplicate ids', () => {
    expect(() => monitor({ classifiers: ['regime', 'news-spike'] })).toThrow(/"news-spike", which is not installed \(installed: regime\)/);
    expect(() => monitor({}, [volatilityClassifier(), volatilityClassifier()])).toThrow(/two market-state classifiers/);
  });

  it('evaluates at the configured cadence and follows only the configured symbols', () => {
    const { monitor: sparse } = monitor({ evaluateEverySeconds: 300 });
    expect(sparse.observe(candles(calmThenWild(20, 0))).map((state) => state.ts / MINUTE)).toEqual([1, 6, 11, 16]);
    const { monitor: filtered } = monitor({ symbols: ['ETH/USDT'] });
    expect(filtered.observe(candles(calmThenWild(5, 0)))).toEqual([]);
    expect(filtered.current(SYMBOL)).toBeUndefined();
  });

  it('publishes every evaluation when asked to', async () => {
    const { monitor: subject } = monitor({ publish: 'evaluations' });
    const seen = firstValueFrom(subject.state$(SYMBOL).pipe(take(4), toArray()));
    subject.observe(candles(calmThenWild(4, 0)));
    expect((await seen).map((state) => state.ts / MINUTE)).toEqual([1, 2, 3, 4]);
  });

  it('keeps a bounded history', () => {
    const flip: MarketStateClassifier = {
      id: 'regime',
      states: ['a', 'b'],
      classify: (features) => ({ state: (features[F.barCount]! % 2 === 0 ? 'a' : 'b'), confidence: 0.6, features }),
    };
    const { monitor: subject } = monitor({ historyLimit: 5, hysteresis: { confirmEvaluations: 1 } }, [flip]);
    subject.observe(candles(calmThenWild(30, 0)));
    expect(subject.history(SYMBOL)).toHaveLength(5);
    expect(subject.history(SYMBOL).at(-1)!.ts).toBe(30 * MINUTE);
  });

  it('follows the data source (trades), and close() completes state$ and stops listening', async () => {
    const clock = new VirtualClock(0);
    const source = new ScriptedMarketDataSource([SYMBOL], clock);
    const { monitor: subject } = monitor({}, [volatilityClassifier()], { clock, source });
    const done = firstValueFrom(subject.state$(SYMBOL).pipe(toArray()));
    const trade = (ts: number, price: number): TradeEvent => ({ type: 'trade', symbol: SYMBOL, ts, price, quantity: 1, takerSide: 'buy', tradeId: String(ts) });
    source.emit(trade(1_000, 100));
    source.emit(trade(30_000, 100.01));
    expect(subject.current(SYMBOL)).toBeUndefined();
    source.emit(trade(MINUTE + 1_000, 100));
    expect(subject.current(SYMBOL)).toMatchObject({ state: 'normal', ts: MINUTE });
    await subject.close();
    source.emit(trade(5 * MINUTE, 100));
    expect(subject.current(SYMBOL)!.ts).toBe(MINUTE);
    expect((await done).map((state) => state.state)).toEqual(['normal']);
  });

  it('on a live clock closes trade bars on time, so silence still yields bars', () => {
    const virtual = new VirtualClock(0);
    const live: Clock = { now: () => virtual.now(), scheduler: virtual, virtual: false };
    const source = new ScriptedMarketDataSource([SYMBOL]);
    const { monitor: subject } = monitor({}, [volatilityClassifier()], { clock: live, source });
    source.emit({ type: 'trade', symbol: SYMBOL, ts: 1_000, price: 100, quantity: 1, takerSide: 'buy', tradeId: '1' });
    virtual.advanceTo(3 * MINUTE + 1);
    expect(subject.current(SYMBOL)!.ts).toBe(3 * MINUTE);
    expect(subject.features(SYMBOL)![F.zeroVolumeShare]).toBeCloseTo(2 / 3, 12);
    void subject.close();
    expect(virtual.pending).toBe(0);
  });

  it('survives a failing classifier, logging it once', () => {
    const failing: MarketStateClassifier = {
      id: 'regime',
      states: ['normal'],
      classify: () => {
        throw new Error('boom');
      },
    };
    const { monitor: subject, logger } = monitor({}, [failing]);
    expect(subject.observe(candles(calmThenWild(3, 0)))).toEqual([]);
    expect(logger.records.filter((record) => record.level === 'error')).toHaveLength(1);
  });

  it('warns when attached to a source without any classifier', () => {
    const { logger } = monitor({}, [], { source: new ScriptedMarketDataSource([SYMBOL]) });
    expect(logger.records.some((record) => record.level === 'warn' && /no market-state classifier/.test(record.message))).toBe(true);
  });

  it('initialize() initializes the classifiers that have the hook, once', async () => {
    let calls = 0;
    const withHook = { ...volatilityClassifier(), initialize: async () => void calls++ };
    const { monitor: subject } = monitor({}, [withHook]);
    await Promise.all([subject.initialize(), subject.initialize()]);
    expect(calls).toBe(1);
  });
});
