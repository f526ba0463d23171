import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CandleEventSchema } from '@tranche/core';
import { temporaryDir } from '../test/helpers.js';
import { bundledDataDir } from './bundled-data-dir.js';
import { readCandles } from './candle-reader.js';
import { writeFileSync } from 'node:fs';

const candleDir = join(bundledDataDir(), 'candles');

describe('readCandles', () => {
  it('reads every bundled Binance 1m file: one bar a minute, ts = close time, valid events', () => {
    const files = readdirSync(candleDir).filter((file) => file.endsWith('.csv.gz'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const series = readCandles(join(candleDir, file));
      expect(series.symbol).toBe('BTC/USDT');
      expect(series.intervalMs).toBe(60_000);
      for (const candle of series.candles.slice(0, 50)) CandleEventSchema.parse(candle);
      const first = series.candles[0]!;
      expect(first.ts - first.openTime).toBe(60_000);
      for (let index = 1; index < series.candles.length; index++) expect(series.candles[index]!.openTime).toBeGreaterThan(series.candles[index - 1]!.openTime);
    }
    const week = readCandles(join(candleDir, 'binance-spot_BTCUSDT_1m_2024-11-01_07.csv.gz'));
    expect(week.candles).toHaveLength(7 * 1440);
    expect(week.candles[0]).toMatchObject({ openTime: 1_730_419_200_000, trades: expect.any(Number), quoteVolume: expect.any(Number) });
  });

  it('reads timestamp-style files and converts a quote-currency volume', () => {
    const temporary = temporaryDir();
    const file = join(temporary.dir, 'ftx_BTC-PERP_1m_sample.csv');
    writeFileSync(file, 'timestamp,open,high,low,close,volume\n2021-12-31 23:01:00.000000,46319.0,46385.0,46319.0,46377.0,2300413.7295\n2021-12-31 23:02:00.000000,46377.0,46411.0,46377.0,46411.0,1829623.1938\n');
    const series = readCandles(file);
    expect(series.symbol).toBe('BTC/USD');
    expect(series.intervalMs).toBe(60_000);
    expect(series.candles[0]).toMatchObject({ openTime: Date.UTC(2021, 11, 31, 23, 1), ts: Date.UTC(2021, 11, 31, 23, 2), quoteVolume: 2300413.7295 });
    expect(series.candles[0]!.volume).toBeCloseTo(2300413.7295 / 46377, 9);
    temporary.cleanup();
  });

  it('rejects a file without bars, a bad value, or an unknown layout with one clear error', () => {
    const temporary = temporaryDir();
    const empty = join(temporary.dir, 'x_BTCUSDT_1m.csv');
    writeFileSync(empty, 'open_time_ms,open,high,low,close,volume\n');
    expect(() => readCandles(empty)).toThrow(/has no bars/);
    const bad = join(temporary.dir, 'y_BTCUSDT_1m.csv');
    writeFileSync(bad, 'open_time_ms,open,high,low,close,volume\n1,1,1,1,abc,1\n');
    expect(() => readCandles(bad)).toThrow(/close "abc"/);
    const layout = join(temporary.dir, 'z_BTCUSDT_1m.csv');
    writeFileSync(layout, 'when,open,high,low,close,volume\n1,1,1,1,1,1\n');
    expect(() => readCandles(layout)).toThrow(/"open_time_ms" or a "timestamp" column/);
    temporary.cleanup();
  });
});
