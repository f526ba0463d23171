import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CandleEvent, MarketEvent, TradeEvent } from '../model/market.schema.js';
import { MarketFeature as F } from './market-feature.js';
import { MarketFeatureWindow } from './market-feature-window.js';

const SYMBOL = 'BTC/USDT';
const MINUTE = 60_000;
const DAY = 86_400_000;

function candle(index: number, close: number, options: Partial<CandleEvent> & { previous?: number } = {}): CandleEvent {
  const open = options.previous ?? close;
  const openTime = (options.openTime ?? 0) + index * MINUTE;
  return {
    type: 'candle',
    symbol: SYMBOL,
    ts: openTime + MINUTE - 1,
    openTime,
    intervalMs: MINUTE,
    open,
    high: options.high ?? Math.max(open, close),
    low: options.low ?? Math.min(open, close),
    close,
    volume: options.volume ?? 1,
    ...(options.quoteVolume !== undefined ? { quoteVolume: options.quoteVolume } : {}),
    ...(options.trades !== undefined ? { trades: options.trades } : {}),
    ...(options.takerBuyVolume !== undefined ? { takerBuyVolume: options.takerBuyVolume } : {}),
  };
}

function trade(ts: number, price: number, quantity = 1, takerSide: 'buy' | 'sell' = 'buy'): TradeEvent {
  return { type: 'trade', symbol: SYMBOL, ts, price, quantity, takerSide, tradeId: String(ts) };
}

describe('MarketFeatureWindow', () => {
  it('computes the documented features from candles, expanding from the first bar', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 10 * MINUTE });
    const closes = [100, 101, 100, 102];
    let previous = 100;
    closes.forEach((close, index) => {
      window.push(candle(index, close, { previous, volume: index === 2 ? 0 : 2, quoteVolume: 200, trades: 4, takerBuyVolume: 1, high: close + 1, low: close - 1 }));
      previous = close;
    });
    const features = window.features();
    const returns = [0, Math.log(101 / 100), Math.log(100 / 101), Math.log(102 / 100)];
    const sumSquares = returns.reduce((sum, r) => sum + r * r, 0);
    expect(features[F.barCount]).toBe(4);
    expect(features[F.windowMinutes]).toBe(4);
    expect(features[F.windowStartMs]).toBe(0);
    expect(features[F.windowEndMs]).toBe(4 * MINUTE);
    expect(features[F.logReturn]).toBeCloseTo(Math.log(102 / 100), 12);
    expect(features[F.returnPct]).toBeCloseTo(2, 10);
    expect(features[F.realizedVolatilityPct]).toBeCloseTo(Math.sqrt((sumSquares / 4) * 1440) * 100, 10);
    expect(features[F.driftTStat]).toBeCloseTo(Math.log(1.02) / Math.sqrt(sumSquares), 10);
    expect(features[F.efficiencyRatio]).toBeCloseTo(2 / (1 + 1 + 2), 12);
    expect(features[F.rangePct]).toBeCloseTo(((103 - 99) / 100) * 100, 10);
    expect(features[F.volumePerMinute]).toBeCloseTo(6 / 4, 12);
    expect(features[F.quoteVolumePerMinute]).toBeCloseTo(200, 12);
    expect(features[F.tradesPerMinute]).toBeCloseTo(4, 12);
    expect(features[F.zeroVolumeShare]).toBeCloseTo(0.25, 12);
    expect(features[F.takerBuyShare]).toBeCloseTo(4 / 6, 12);
    expect(features[F.spreadBps]).toBeNaN();
    expect(features[F.topDepthQuote]).toBeNaN();
    expect(features[F.baselineDays]).toBe(0);
  });

  it('reports unknown candle fields as NaN and has no features before the first bar', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL });
    expect(window.features()[F.realizedVolatilityPct]).toBeNaN();
    expect(window.features()[F.barCount]).toBe(0);
    window.push(candle(0, 100, { previous: 99 }));
    const features = window.features();
    expect(features[F.tradesPerMinute]).toBeNaN();
    expect(features[F.quoteVolumePerMinute]).toBeNaN();
    expect(features[F.takerBuyShare]).toBeNaN();
    expect(features[F.logReturn]).toBeCloseTo(Math.log(100 / 99), 12);
  });

  it('rolls: bars older than the window leave it, and the range follows', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 3 * MINUTE });
    const closes = [100, 110, 105, 104, 103];
    let previous = 100;
    closes.forEach((close, index) => {
      window.push(candle(index, close, { previous }));
      previous = close;
    });
    const features = window.features();
    expect(features[F.barCount]).toBe(3);
    expect(features[F.windowStartMs]).toBe(2 * MINUTE);
    expect(features[F.logReturn]).toBeCloseTo(Math.log(103 / 110), 12);
    expect(features[F.rangePct]).toBeCloseTo(((110 - 103) / 110) * 100, 10);
  });

  it('reports exact zeros for a flat window after volatile bars left it', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 2 * MINUTE });
    const closes = [100, 101.37, 99.11, 99.11, 99.11];
    let previous = 100;
    closes.forEach((close, index) => {
      window.push(candle(index, close, { previous, volume: 0 }));
      previous = close;
    });
    const features = window.features();
    expect(features[F.realizedVolatilityPct]).toBe(0);
    expect(features[F.logReturn]).toBe(0);
    expect(features[F.driftTStat]).toBe(0);
    expect(features[F.zeroVolumeShare]).toBe(1);
  });

  it('ignores other symbols and candles older than the last bar', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL });
    expect(window.push({ ...candle(0, 100), symbol: 'ETH/USDT' })).toBe(0);
    expect(window.push(candle(1, 100))).toBe(1);
    expect(window.push(candle(0, 100))).toBe(0);
    expect(window.barCount).toBe(1);
  });

  it('aggregates trades into bars, with zero-volume bars for silent minutes', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 10 * MINUTE });
    expect(window.push(trade(1_000, 100, 1, 'buy'))).toBe(0);
    window.push(trade(30_000, 101, 3, 'sell'));
    // Minute 1 is silent; the trade at 2:10 closes minutes 0 and 1.
    expect(window.push(trade(2 * MINUTE + 10_000, 102, 2))).toBe(2);
    expect(window.advanceTo(3 * MINUTE)).toBe(1);
    const features = window.features();
    expect(features[F.barCount]).toBe(3);
    expect(features[F.zeroVolumeShare]).toBeCloseTo(1 / 3, 12);
    expect(features[F.volumePerMinute]).toBeCloseTo(6 / 3, 12);
    expect(features[F.quoteVolumePerMinute]).toBeCloseTo((100 + 303 + 204) / 3, 10);
    expect(features[F.tradesPerMinute]).toBeCloseTo(1, 12);
    expect(features[F.takerBuyShare]).toBeCloseTo(3 / 6, 12);
    expect(features[F.logReturn]).toBeCloseTo(Math.log(102 / 100), 12);
  });

  it('time-weights spread and near-touch depth from book events and tickers', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 10 * MINUTE, depthBandBps: 10 });
    window.push({ type: 'book-snapshot', symbol: SYMBOL, ts: 0, sequence: 1, bids: [[99.99, 2], [99.98, 1], [90, 100]], asks: [[100.01, 1], [110, 100]] });
    // 45 s at a 2 bps spread, then 15 s at 20 bps (a ticker).
    window.push({ type: 'ticker', symbol: SYMBOL, ts: 45_000, bid: 99.9, bidQuantity: 1, ask: 100.1, askQuantity: 1 });
    expect(window.push({ type: 'ticker', symbol: SYMBOL, ts: MINUTE, bid: 99.9, bidQuantity: 1, ask: 100.1, askQuantity: 1 })).toBe(1);
    const features = window.features();
    expect(features[F.spreadBps]).toBeCloseTo((2 * 45 + 20 * 15) / 60, 6);
    const bookDepth = (99.99 * 2 + 99.98 + 100.01) / 2;
    const tickerDepth = (99.9 + 100.1) / 2;
    expect(features[F.topDepthQuote]).toBeCloseTo((bookDepth * 45 + tickerDepth * 15) / 60, 6);
    // Book data alone: prices from the mid, volumes unknown.
    expect(features[F.volumePerMinute]).toBeNaN();
    expect(features[F.zeroVolumeShare]).toBeNaN();
    expect(features[F.barCount]).toBe(1);
  });

  it('starts pricing when the book first has both sides, and trades take over the price', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 10 * MINUTE });
    window.push({ type: 'book-snapshot', symbol: SYMBOL, ts: 0, sequence: 1, bids: [[100, 1]], asks: [] });
    window.push({ type: 'book-delta', symbol: SYMBOL, ts: 70_000, sequence: 2, bids: [], asks: [[100.02, 1]] });
    window.push(trade(80_000, 100.5));
    window.advanceTo(3 * MINUTE);
    const features = window.features();
    // Minute 0 had no price (one-sided book): no bar. Minute 1 opened at the mid; minute 2 is silent.
    expect(features[F.barCount]).toBe(2);
    expect(features[F.logReturn]).toBeCloseTo(Math.log(100.5 / 100.01), 12);
    expect(features[F.rangePct]).toBeCloseTo(((100.5 - 100.01) / 100.01) * 100, 10);
    expect(features[F.zeroVolumeShare]).toBeCloseTo(0.5, 12);
    for (const value of Object.values(features)) expect(Number.isNaN(value) || Number.isFinite(value)).toBe(true);
  });

  it('lets candles win over trades of the same symbol', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL });
    window.push(candle(0, 100, { previous: 100 }));
    expect(window.push(trade(2 * MINUTE, 500))).toBe(0);
    expect(window.advanceTo(10 * MINUTE)).toBe(0);
    expect(window.features()[F.barCount]).toBe(1);
  });

  it('crosses a long silence in bounded work: at most one window of empty bars', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 10 * MINUTE });
    window.push(trade(0, 100));
    const closed = window.advanceTo(365 * DAY);
    expect(closed).toBeLessThanOrEqual(12);
    expect(window.barCount).toBe(10);
    expect(window.features()[F.zeroVolumeShare]).toBe(1);
  });

  it('learns the run baseline from complete UTC days', () => {
    const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 60 * MINUTE, baselineDays: 2 });
    let previous = 100;
    for (let index = 0; index < 3 * 1440 + 1; index++) {
      const day = Math.floor(index / 1440);
      const close = previous * (index % 2 === 0 ? 1 + 0.001 * (day + 1) : 1 / (1 + 0.001 * (day + 1)));
      window.push(candle(index, close, { previous, volume: day + 1, quoteVolume: 100 * (day + 1), trades: 10, ...(index % 10 === 0 ? { volume: 0 } : {}) }));
      previous = close;
    }
    const features = window.features();
    expect(features[F.baselineDays]).toBe(2);
    // Days 2 and 3 (the first fell out): volumes 2 and 3 per minute but for the zero bars.
    expect(features[F.baselineVolumePerMinute]).toBeCloseTo((2 * 0.9 + 3 * 0.9) / 2, 6);
    expect(features[F.baselineZeroVolumeShare]).toBeCloseTo(0.1, 6);
    expect(features[F.baselineTradesPerMinute]).toBeCloseTo(10, 6);
    const rv = (step: number): number => Math.log(1 + step) * Math.sqrt(1440) * 100;
    expect(features[F.baselineRealizedVolatilityPct]).toBeCloseTo((rv(0.002) + rv(0.003)) / 2, 1);
  });

  it('matches a from-scratch computation on random candles, and stays bounded (property)', () => {
    const candles = fc.array(
      fc.record({
        change: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        wick: fc.double({ min: 0, max: 0.02, noNaN: true }),
        volume: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 100, noNaN: true })),
        gap: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(candles, fc.integer({ min: 1, max: 50 }), (rows, windowBars) => {
        const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: windowBars * MINUTE });
        const bars: { openTime: number; high: number; low: number; close: number; previous: number; volume: number }[] = [];
        let previous = 100;
        let minute = 0;
        for (const row of rows) {
          const close = previous * (1 + row.change);
          const high = Math.max(previous, close) * (1 + row.wick);
          const low = Math.min(previous, close) / (1 + row.wick);
          window.push(candle(minute, close, { previous, high, low, volume: row.volume, quoteVolume: row.volume * close }));
          bars.push({ openTime: minute * MINUTE, high, low, close, previous, volume: row.volume });
          previous = close;
          minute += row.gap;
        }
        const end = bars[bars.length - 1]!.openTime + MINUTE;
        const inWindow = bars.filter((bar) => bar.openTime >= end - windowBars * MINUTE);
        const features = window.features();
        expect(window.barCount).toBe(inWindow.length);
        expect(window.barCount).toBeLessThanOrEqual(windowBars);
        const returns = inWindow.map((bar) => Math.log(bar.close / bar.previous));
        const sum = returns.reduce((a, b) => a + b, 0);
        const squares = returns.reduce((a, b) => a + b * b, 0);
        const minutes = (end - inWindow[0]!.openTime) / MINUTE;
        expect(features[F.logReturn]).toBeCloseTo(sum, 9);
        // Running sums carry ~1e-19 residues of evicted bars; a square root turns those into ~1e-6 %/√day.
        expect(features[F.realizedVolatilityPct]).toBeCloseTo(Math.sqrt((squares * 1440) / minutes) * 100, 4);
        const reference = inWindow[0]!.previous;
        const high = Math.max(...inWindow.map((bar) => bar.high));
        const low = Math.min(...inWindow.map((bar) => bar.low));
        expect(features[F.rangePct]).toBeCloseTo(((high - low) / reference) * 100, 6);
        expect(features[F.zeroVolumeShare]).toBeCloseTo(inWindow.filter((bar) => bar.volume === 0).length / inWindow.length, 9);
        const volume = inWindow.reduce((a, bar) => a + bar.volume, 0);
        expect(features[F.volumePerMinute]).toBeCloseTo(volume / inWindow.length, 6);
        expect(features[F.efficiencyRatio]).toBeGreaterThanOrEqual(0);
        expect(features[F.efficiencyRatio]).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('works from any mix of events without throwing, features finite or NaN (property)', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('trade' as const), dt: fc.integer({ min: 0, max: 200_000 }), price: fc.double({ min: 90, max: 110, noNaN: true }) }),
      fc.record({ kind: fc.constant('ticker' as const), dt: fc.integer({ min: 0, max: 200_000 }), price: fc.double({ min: 90, max: 110, noNaN: true }) }),
      fc.record({
        kind: fc.constant('book' as const),
        dt: fc.integer({ min: 0, max: 200_000 }),
        price: fc.double({ min: 90, max: 110, noNaN: true }),
        sides: fc.constantFrom('both', 'bids', 'asks', 'none'),
      }),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 100 }), (script) => {
        const window = new MarketFeatureWindow({ symbol: SYMBOL, windowMs: 15 * MINUTE });
        let ts = 1_700_000_000_000;
        for (const step of script) {
          ts += step.dt;
          let next: MarketEvent;
          if (step.kind === 'trade') next = trade(ts, step.price);
          else if (step.kind === 'ticker') next = { type: 'ticker', symbol: SYMBOL, ts, bid: step.price - 0.01, bidQuantity: 1, ask: step.price + 0.01, askQuantity: 1 };
          else {
            const bids: [number, number][] = step.sides === 'both' || step.sides === 'bids' ? [[step.price - 0.01, 1]] : [];
            const asks: [number, number][] = step.sides === 'both' || step.sides === 'asks' ? [[step.price + 0.01, 1]] : [];
            next = { type: 'book-snapshot', symbol: SYMBOL, ts, sequence: 1, bids, asks };
          }
          window.push(next);
        }
        expect(window.barCount).toBeLessThanOrEqual(15);
        for (const value of Object.values(window.features())) expect(Number.isNaN(value) || Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
