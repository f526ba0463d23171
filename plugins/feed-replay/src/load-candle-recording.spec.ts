import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MarketEventSchema, MemoryLogger, TrancheError, type MarketEvent } from '@tranche/core';
import { temporaryDir } from '../test/helpers.js';
import { bundledDataDir } from './bundled-data-dir.js';
import { candleFileSymbols, listCandleFiles, loadCandleRecording } from './load-candle-recording.js';

const DAY_FILE = join(bundledDataDir(), 'candles', 'binance-spot_BTCUSDT_1m_2024-03-18.csv.gz');
const START = Date.UTC(2024, 0, 1);
const temporary = temporaryDir('feed-replay-candles-');
afterAll(() => temporary.cleanup());

interface Row {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Ten 1m bars drifting up from 100. */
function rows(count = 10): Row[] {
  return Array.from({ length: count }, (_, index) => ({ open: 100 + index, high: 101.5 + index, low: 99.25 + index, close: 101 + index, volume: 2 + index }));
}

/** Writes a Binance-style kline CSV of 1m bars from `START` (plus `firstBar` minutes). */
function writeKlines(name: string, bars: readonly Row[], firstBar = 0, dir = temporary.dir): string {
  const path = join(dir, name);
  const lines = bars.map((bar, index) => [START + (firstBar + index) * 60_000, bar.open, bar.high, bar.low, bar.close, bar.volume].join(','));
  writeFileSync(path, ['open_time_ms,open,high,low,close,volume', ...lines, ''].join('\n'));
  return path;
}

function collect(events: Iterable<MarketEvent>): MarketEvent[] {
  return [...events];
}

describe('loadCandleRecording', () => {
  it('replays a bundled day bar by bar: as many events as it counts, in time order, every one valid', async () => {
    const recording = await loadCandleRecording(DAY_FILE);
    expect(recording.symbols()).toEqual(['BTC/USDT']);
    expect(recording.barCount).toBe(1440);
    expect(recording.startTs).toBe(Date.UTC(2024, 2, 18));
    expect(recording.endTs).toBe(Date.UTC(2024, 2, 19));
    expect(recording.loads).toEqual([expect.objectContaining({ name: 'binance-spot_BTCUSDT_1m_2024-03-18.csv.gz', origin: 'decoded' })]);
    const cursor = recording.cursor();
    let count = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (let event = cursor.next(); event; event = cursor.next()) {
      if (count % 97 === 0) MarketEventSchema.parse(event);
      expect(event.ts).toBeGreaterThanOrEqual(last);
      last = event.ts;
      count++;
    }
    expect(count).toBe(recording.eventCount);
    expect(cursor.done).toBe(true);
    expect(cursor.position).toBe(count);
    expect(last).toBe(recording.endTs);
  });

  it('takes a file, a list, or a directory; joins a symbol\'s files and drops overlapping bars', async () => {
    const dir = join(temporary.dir, 'split');
    mkdirSync(dir);
    const all = rows(10);
    writeKlines('x_SOLUSDT_1m_b.csv', all.slice(4), 4, dir);
    writeKlines('x_SOLUSDT_1m_a.csv', all.slice(0, 6), 0, dir); // bars 4 and 5 are in both files
    const whole = writeKlines('y_SOLUSDT_1m_all.csv', all);
    expect(listCandleFiles(dir).map((file) => file.slice(dir.length + 1))).toEqual(['x_SOLUSDT_1m_a.csv', 'x_SOLUSDT_1m_b.csv']);
    const logger = new MemoryLogger();
    const fromDir = await loadCandleRecording(dir, { logger });
    expect(fromDir.barCount).toBe(10);
    expect(logger.records.some((record) => /overlapping bars dropped/.test(record.message))).toBe(true);
    // A symbol outside the paper venue's defaults gets its tick from the prices (0.25 → 2 decimals), with a warning.
    expect(fromDir.markets['SOL/USDT']).toEqual({ tickSize: 0.01, stepSize: 1e-8 });
    expect(logger.records.some((record) => /tick inferred/.test(record.message))).toBe(true);
    expect(collect(fromDir.events())).toEqual(collect((await loadCandleRecording([whole])).events()));
  });

  it('merges several symbols into one time-ordered stream, each on its own tick and step', async () => {
    const eth = writeKlines('binance-spot_ETHUSDT_1m_test.csv', rows(5), 2);
    const recording = await loadCandleRecording([DAY_FILE, eth], { model: { emitCandles: false, tradesPerBar: 4 } });
    expect(recording.symbols()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(recording.markets['ETH/USDT']).toEqual({ tickSize: 0.01, stepSize: 0.001 });
    const events = collect(recording.events());
    expect(events).toHaveLength(recording.eventCount);
    expect(events.some((event) => event.type === 'candle')).toBe(false);
    // The ETH bars (January) come before the BTC day (March).
    expect(events.slice(0, 5 * 8).every((event) => event.symbol === 'ETH/USDT')).toBe(true);
    const ethSnapshot = events.find((event) => event.type === 'book-snapshot' && event.symbol === 'ETH/USDT')!;
    expect(ethSnapshot.type === 'book-snapshot' && ethSnapshot.bids[0]![1]).toBe(0.02); // 1% (the default share) of the first bar's 2 ETH
  });

  it('emits nothing before a bar\'s open that depends on that bar: changing bars from T on leaves every event before T alone', async () => {
    const original = rows(10);
    const altered = original.map((bar, index) => (index < 6 ? bar : { open: 50, high: 200, low: 10, close: 20, volume: 999 }));
    const before = collect((await loadCandleRecording(writeKlines('a_BTCUSDT_1m_x.csv', original))).events());
    const after = collect((await loadCandleRecording(writeKlines('b_BTCUSDT_1m_x.csv', altered))).events());
    const cut = START + 6 * 60_000;
    const earlyBefore = before.filter((event) => event.ts < cut);
    expect(earlyBefore.length).toBeGreaterThan(6 * 20);
    expect(after.filter((event) => event.ts < cut)).toEqual(earlyBefore);
    expect(after.filter((event) => event.ts >= cut)).not.toEqual(before.filter((event) => event.ts >= cut));
    // The bar before the cut is published at the cut (its close time), unchanged.
    expect(after.find((event) => event.type === 'candle' && event.ts === cut)).toEqual(before.find((event) => event.type === 'candle' && event.ts === cut));
  });

  it('names the field and the value when a path, a symbol or the model is wrong', async () => {
    const missing = join(temporary.dir, 'nope_BTCUSDT_1m.csv');
    await expect(loadCandleRecording(missing)).rejects.toThrow(new RegExp(`candles: no such file or directory "${missing}"`));
    await expect(loadCandleRecording(missing)).rejects.toBeInstanceOf(TrancheError);
    const empty = join(temporary.dir, 'empty');
    mkdirSync(empty);
    expect(() => listCandleFiles(empty)).toThrow(/holds no \.csv or \.csv\.gz file/);
    expect(() => candleFileSymbols(DAY_FILE, ['ETH/USDT'])).toThrow(/no candle file of ETH\/USDT/);
    expect(candleFileSymbols(DAY_FILE, ['BTCUSDT'])).toEqual(['BTC/USDT']);
    await expect(loadCandleRecording(DAY_FILE, { model: { tradesPerBar: 2 } })).rejects.toThrow(/tradesPerBar must be >=4, got 2/);
    await expect(loadCandleRecording(DAY_FILE, { model: { spred: 1 } as never })).rejects.toThrow(/unknown key "spred"/);
  });
});
