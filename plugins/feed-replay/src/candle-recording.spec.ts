import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MarketFeature, MarketFeatureWindow } from '@tranche/core';
import { bundledDataDir } from './bundled-data-dir.js';
import { readCandles } from './candle-reader.js';
import { loadCandleRecording } from './load-candle-recording.js';

const DAY_FILE = join(bundledDataDir(), 'candles', 'binance-spot_BTCUSDT_1m_2024-03-18.csv.gz');

describe('CandleRecording', () => {
  it('feeds the market-state features the real bars plus the synthetic spread and depth', async () => {
    const recording = await loadCandleRecording(DAY_FILE, { model: { tradesPerBar: 6 } });
    const window = new MarketFeatureWindow({ symbol: 'BTC/USDT', windowMs: 86_400_000 });
    for (const event of recording.events()) window.push(event);
    const features = window.features();
    const bars = readCandles(DAY_FILE).candles;
    expect(features[MarketFeature.barCount]).toBe(1440);
    // Volumes, trade counts and the taker-buy share are the bars' own (candles win over the synthetic trades).
    expect(features[MarketFeature.volumePerMinute]).toBeCloseTo(bars.reduce((sum, bar) => sum + bar.volume, 0) / 1440, 6);
    const takerBuy = bars.reduce((sum, bar) => sum + bar.takerBuyVolume!, 0) / bars.reduce((sum, bar) => sum + bar.volume, 0);
    expect(features[MarketFeature.takerBuyShare]).toBeCloseTo(takerBuy, 9);
    // The spread is the model's 1 bp (rounded outward to the tick); the depth is there.
    expect(features[MarketFeature.spreadBps]).toBeGreaterThan(0.99);
    expect(features[MarketFeature.spreadBps]).toBeLessThan(1.01);
    expect(features[MarketFeature.topDepthQuote]).toBeGreaterThan(0);
  });

  it('holds 80 bytes a bar and makes the events only as a cursor walks them', async () => {
    const recording = await loadCandleRecording(DAY_FILE);
    expect(recording.byteLength).toBe(1440 * 80);
    const cursor = recording.cursor();
    expect(cursor.peekTs()).toBe(recording.startTs);
    expect(cursor.position).toBe(0);
    cursor.next();
    expect(cursor.position).toBe(1);
  });
});
