import { describe, expect, it } from 'vitest';
import { L2Book, MarketEventSchema, isMultipleOf, roundToIncrement, type BookEvent, type CandleEvent, type MarketEvent, type TradeEvent } from '@tranche/core';
import { CandleFillModel } from './candle-fill-model.js';
import { CandleModelSchema, type CandleModelInput } from './candle-model.schema.js';

const MARKET = { tickSize: 0.01, stepSize: 0.001 };
const OPEN_TIME = Date.UTC(2024, 2, 18, 12, 0);

function bar(fields: Partial<CandleEvent> = {}): CandleEvent {
  const openTime = fields.openTime ?? OPEN_TIME;
  return { type: 'candle', symbol: 'BTC/USDT', openTime, ts: openTime + 60_000, intervalMs: 60_000, open: 100, high: 101, low: 99.5, close: 100.8, volume: 12, ...fields };
}

function model(input: CandleModelInput = {}): CandleFillModel {
  return new CandleFillModel('BTC/USDT', CandleModelSchema.parse({ tradesPerBar: 8, spreadBps: 10, levels: 5, levelSpacingBps: 5, levelDepthShare: 0.05, ...input }), MARKET);
}

const tradesOf = (events: readonly MarketEvent[]): TradeEvent[] => events.filter((event): event is TradeEvent => event.type === 'trade');

describe('CandleFillModel', () => {
  it('walks an up bar open → low → high → close with trades carrying the bar volume inside its range and time span', () => {
    const candle = bar();
    const events = model().barEvents(candle);
    for (const event of events) MarketEventSchema.parse(event);
    expect(events).toHaveLength(model().eventsPerBar(candle.volume));
    expect(events.map((event) => event.type)).toEqual([...Array.from({ length: 8 }, (_, index) => [index === 0 ? 'book-snapshot' : 'book-delta', 'trade']).flat(), 'candle']);

    const trades = tradesOf(events);
    const prices = trades.map((trade) => trade.price);
    expect(prices[0]).toBe(candle.open);
    expect(prices.at(-1)).toBe(candle.close);
    const lowAt = prices.indexOf(candle.low);
    const highAt = prices.indexOf(candle.high);
    expect(lowAt).toBeGreaterThan(0);
    expect(highAt).toBeGreaterThan(lowAt);
    // Monotone between the vertices: down to the low, up to the high, down to the close.
    for (let index = 1; index <= lowAt; index++) expect(prices[index]).toBeLessThan(prices[index - 1]!);
    for (let index = lowAt + 1; index <= highAt; index++) expect(prices[index]).toBeGreaterThan(prices[index - 1]!);
    for (let index = highAt + 1; index < prices.length; index++) expect(prices[index]).toBeLessThanOrEqual(prices[index - 1]!);
    for (const price of prices) {
      expect(price).toBeGreaterThanOrEqual(candle.low);
      expect(price).toBeLessThanOrEqual(candle.high);
      expect(isMultipleOf(price, MARKET.tickSize)).toBe(true);
    }
    // Taker side follows the move; the first trade of a replay has nothing to compare with and counts as a buy.
    expect(trades.map((trade) => trade.takerSide)).toEqual(['buy', ...prices.slice(1).map((price, index) => (price > prices[index]! ? 'buy' : 'sell'))]);
    expect(trades.reduce((sum, trade) => sum + trade.quantity, 0)).toBeCloseTo(candle.volume, 12);
    for (const trade of trades) expect(trade.quantity).toBeCloseTo(candle.volume / 8, 12);

    expect(events[0]!.ts).toBe(candle.openTime);
    expect(trades.at(-1)!.ts).toBe(candle.openTime + 59_999);
    for (let index = 1; index < events.length; index++) expect(events[index]!.ts).toBeGreaterThanOrEqual(events[index - 1]!.ts);
    for (const event of events.slice(0, -1)) {
      expect(event.ts).toBeGreaterThanOrEqual(candle.openTime);
      expect(event.ts).toBeLessThan(candle.openTime + candle.intervalMs);
    }
    expect(events.at(-1)).toEqual(candle);
  });

  it('walks a down bar open → high → low → close', () => {
    const prices = tradesOf(model().barEvents(bar({ open: 100.8, close: 100 }))).map((trade) => trade.price);
    expect(prices[0]).toBe(100.8);
    expect(prices.indexOf(101)).toBeLessThan(prices.indexOf(99.5));
    expect(prices.at(-1)).toBe(100);
    const lowFirst = tradesOf(model({ path: 'low-first' }).barEvents(bar({ open: 100.8, close: 100 }))).map((trade) => trade.price);
    expect(lowFirst.indexOf(99.5)).toBeLessThan(lowFirst.indexOf(101));
  });

  it("keeps a book centred on the path price: never crossed, on the tick grid, full depth rounded to the step, sized from the previous bar's volume", () => {
    const fill = model();
    const book = new L2Book('BTC/USDT');
    const bars = [bar(), bar({ openTime: OPEN_TIME + 60_000, open: 100.8, high: 100.9, low: 98, close: 98.5, volume: 3.3333 })];
    let previousSequence = 0;
    for (const [barIndex, candle] of bars.entries()) {
      const events = fill.barEvents(candle);
      // The bar's own volume is not known at its open: depth comes from the bar before (the first bar uses its own).
      const depthVolume = bars[Math.max(0, barIndex - 1)]!.volume;
      const levelQuantity = Math.max(0.001, Math.floor(depthVolume * 0.05 * 1000 + 1e-9) / 1000);
      expect(events[0]!.type).toBe('book-snapshot');
      for (let index = 0; index < events.length; index++) {
        const event = events[index]!;
        if (event.type !== 'book-snapshot' && event.type !== 'book-delta') continue;
        const bookEvent: BookEvent = event;
        expect(bookEvent.sequence).toBeGreaterThan(previousSequence);
        previousSequence = bookEvent.sequence;
        book.apply(bookEvent);
        const bid = book.bestBid();
        const ask = book.bestAsk();
        expect(bid).toBeLessThan(ask);
        expect(book.depth('bids')).toBe(5);
        expect(book.depth('asks')).toBe(5);
        for (const side of ['bids', 'asks'] as const) {
          for (let level = 0; level < 5; level++) {
            // Exactly the number an order priced on the tick has, so the venue's queue finds the level.
            expect(book.priceAt(side, level)).toBe(roundToIncrement(book.priceAt(side, level), MARKET.tickSize));
            expect(book.quantityAt(side, level)).toBe(levelQuantity);
          }
        }
        // The trade at this point prints inside the quotes, whose spread is 10 bp rounded outward to the tick.
        const trade = events[index + 1] as TradeEvent;
        expect(trade.type).toBe('trade');
        expect(bid).toBeLessThanOrEqual(trade.price);
        expect(ask).toBeGreaterThanOrEqual(trade.price);
        expect(ask - bid).toBeGreaterThanOrEqual(trade.price * 0.001 - 1e-9);
        expect(ask - bid).toBeLessThanOrEqual(trade.price * 0.001 + 0.02 + 1e-9);
      }
    }
  });

  it('makes a zero-volume bar a book without trades, one step deep', () => {
    const events = model().barEvents(bar({ volume: 0 }));
    expect(tradesOf(events)).toHaveLength(0);
    expect(events).toHaveLength(model().eventsPerBar(0));
    const snapshot = events[0] as BookEvent;
    expect(snapshot.bids[0]![1]).toBe(0.001);
  });

  it('gives the same events for a bar whatever comes after it (no look-ahead)', () => {
    const first = bar();
    const second = bar({ openTime: OPEN_TIME + 60_000, open: 100.8, high: 105, low: 100.1, close: 104, volume: 50 });
    const altered = { ...second, high: 120, low: 90, close: 91, volume: 500 };
    const one = model();
    const other = model();
    expect(one.barEvents(first)).toEqual(other.barEvents(first));
    expect(one.barEvents(second)).not.toEqual(other.barEvents(altered));
  });
});
