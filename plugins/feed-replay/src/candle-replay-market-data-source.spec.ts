import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MarketDataSource, MemoryLogger, RunLoop, VirtualClock, createTranche, parseTrancheConfig, yieldToEventLoop, type MarketEvent } from '@tranche/core';
import { bundledDataDir } from './bundled-data-dir.js';
import { CandleReplayMarketDataSource } from './candle-replay-market-data-source.js';
import { FeedReplayConfigSchema } from './feed-replay-config.schema.js';
import feedReplay from './index.js';
import { ReplayMarketDataSource } from './replay-market-data-source.js';

const CANDLE_DIR = join(bundledDataDir(), 'candles');
const DAY_FILE = join(CANDLE_DIR, 'binance-spot_BTCUSDT_1m_2024-03-18.csv.gz');

async function until(predicate: () => boolean, maxTurns = 10_000): Promise<void> {
  for (let index = 0; index < maxTurns && !predicate(); index++) await yieldToEventLoop();
  expect(predicate()).toBe(true);
}

describe('CandleReplayMarketDataSource', () => {
  const opened: CandleReplayMarketDataSource[] = [];
  afterEach(async () => {
    for (const source of opened.splice(0)) await source.close();
  });
  const open = (config: Record<string, unknown>) => {
    const clock = new VirtualClock();
    const runLoop = new RunLoop();
    const source = new CandleReplayMarketDataSource(FeedReplayConfigSchema.parse(config), clock, runLoop, new MemoryLogger());
    opened.push(source);
    const events: MarketEvent[] = [];
    let completed = false;
    source.events$.subscribe({ next: (event) => events.push(event), complete: () => (completed = true) });
    return { source, clock, runLoop, events, isCompleted: () => completed };
  };

  it('lists its symbols from the file names before initialize(), reading no file', () => {
    const { source } = open({ candles: CANDLE_DIR });
    expect(source.symbols()).toEqual(['BTC/USDT']);
    expect(source.candles).toBeUndefined();
    expect(open({ candles: [DAY_FILE], symbols: ['BTCUSDT'] }).source.symbols()).toEqual(['BTC/USDT']);
    expect(() => open({ candles: DAY_FILE, symbols: ['ETH/USDT'] }).source.symbols()).toThrow(/no candle file of ETH\/USDT/);
  });

  it('runs the replay driver: clock to the first bar, start() up to the first book, then only while executions run, to the end', async () => {
    const { source, clock, runLoop, events, isCompleted } = open({ candles: DAY_FILE, candleModel: { tradesPerBar: 4 } });
    await source.initialize();
    expect(events).toHaveLength(0);
    expect(clock.now()).toBe(Date.UTC(2024, 2, 18));
    expect(source.candles!.barCount).toBe(1440);
    await source.start();
    expect(events.map((event) => event.type)).toEqual(['book-snapshot']);
    expect(source.progress()).toMatchObject({ state: 'paused', emittedEvents: 1, totalEvents: source.candles!.eventCount });
    for (let turn = 0; turn < 20; turn++) await yieldToEventLoop();
    expect(events).toHaveLength(1);
    runLoop.begin();
    await until(() => isCompleted());
    expect(events).toHaveLength(source.candles!.eventCount);
    expect(clock.now()).toBe(Date.UTC(2024, 2, 19));
    expect(source.progress().state).toBe('ended');
    expect(source.loaded).toBeUndefined();
    runLoop.end();
  });

  it('rejects a missing candle file at initialize() with a validation error naming it', async () => {
    const missing = join(CANDLE_DIR, 'nope_BTCUSDT_1m.csv.gz');
    await expect(open({ candles: missing }).source.initialize()).rejects.toMatchObject({ kind: 'validation', field: 'candles', message: expect.stringContaining(missing) });
  });
});

describe('the feed-replay plugin with candles', () => {
  it('binds the candle replay as the MarketDataSource when candles is set, the tick replay otherwise', () => {
    const candles = createTranche({ config: { 'feed-replay': { candles: DAY_FILE } }, plugins: [feedReplay] });
    const source = candles.get<MarketDataSource>(MarketDataSource);
    expect(source).toBeInstanceOf(CandleReplayMarketDataSource);
    expect(candles.get(ReplayMarketDataSource)).toBe(source);
    const ticks = createTranche({ plugins: [feedReplay] }).get<MarketDataSource>(MarketDataSource);
    expect(ticks).toBeInstanceOf(ReplayMarketDataSource);
    expect(ticks).not.toBeInstanceOf(CandleReplayMarketDataSource);
  });

  it('validates candles and candle_model: snake_case works, unknown keys and bad values are errors naming the field', () => {
    const parsed = parseTrancheConfig({ 'feed-replay': { candles: [DAY_FILE], candle_model: { spread_bps: 2, trades_per_bar: 6 } } }, [feedReplay]);
    expect(parsed.pluginConfig['feed-replay']).toMatchObject({ candles: [DAY_FILE], candleModel: { spreadBps: 2, tradesPerBar: 6, levels: 20, path: 'by-direction', emitCandles: true } });
    expect(() => parseTrancheConfig({ 'feed-replay': { candle_model: { spred_bps: 2 } } }, [feedReplay])).toThrow(/unknown key "feed-replay.candle_model.spred_bps"/);
    expect(() => parseTrancheConfig({ 'feed-replay': { candle_model: { path: 'random' } } }, [feedReplay])).toThrow(/candle_model.path must be one of/);
    expect(() => parseTrancheConfig({ 'feed-replay': { candles: [] } }, [feedReplay])).toThrow(/candles/);
    expect(() => parseTrancheConfig({ 'feed-replay': { candles: DAY_FILE, datasets: ['x'] } }, [feedReplay])).toThrow(/give either candles or datasets/);
  });
});
