import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from './l2-book.js';

describe('L2Book', () => {
  it('applies a snapshot then deltas (0 deletes), keeping both ladders sorted', () => {
    const book = new L2Book('BTC/USDT');
    book.applySnapshot({ ts: 1, sequence: 10, bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 3]] });
    expect([book.bestBid(), book.bestAsk(), book.mid()]).toEqual([100, 101, 100.5]);
    book.applyDelta({ ts: 2, sequence: 11, bids: [[100, 0], [99.5, 4]], asks: [[100.8, 0.5]] });
    expect(book.top('bids', 5)).toEqual([[99.5, 4], [99, 2]]);
    expect(book.top('asks', 5)).toEqual([[100.8, 0.5], [101, 1], [102, 3]]);
    expect(book.quantityAtPrice('asks', 102)).toBe(3);
    expect(book.quantityAtPrice('asks', 103)).toBe(0);
    expect([book.ts, book.sequence]).toEqual([2, 11]);
  });

  it('sums the quote notional of the top levels within a distance of a reference (the best level always counts)', () => {
    const book = new L2Book('BTC/USDT');
    book.applySnapshot({ ts: 1, sequence: 1, bids: [[100, 1], [99, 2], [95, 10]], asks: [[110, 1], [111, 1]] });
    expect(book.notionalNear('bids', 100, 2, 10)).toBe(100 + 198);
    expect(book.notionalNear('bids', 100, 2, 1)).toBe(100);
    expect(book.notionalNear('asks', 100, 2, 10)).toBe(110);
    expect(book.notionalNear('asks', 100, 20, 10)).toBe(221);
    expect(new L2Book('X/Y').notionalNear('bids', 1, 1, 10)).toBe(0);
  });

  it('is empty-safe', () => {
    const book = new L2Book('X/Y');
    expect(Number.isNaN(book.mid())).toBe(true);
    expect(book.depth('bids')).toBe(0);
    expect(book.priceAt('asks', 0)).toBeNaN();
  });

  it('matches a map-based reference for any sequence of level updates (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<'bids' | 'asks'>('bids', 'asks'), fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 0.5, 1, 2)), { maxLength: 200 }),
        (updates) => {
          const book = new L2Book('X/Y');
          const reference = { bids: new Map<number, number>(), asks: new Map<number, number>() };
          for (const [side, price, quantity] of updates) {
            book.set(side, price, quantity);
            if (quantity === 0) reference[side].delete(price);
            else reference[side].set(price, quantity);
          }
          const bids = [...reference.bids.entries()].sort((a, b) => b[0] - a[0]);
          const asks = [...reference.asks.entries()].sort((a, b) => a[0] - b[0]);
          expect(book.top('bids', 1_000)).toEqual(bids);
          expect(book.top('asks', 1_000)).toEqual(asks);
        },
      ),
      { numRuns: 200 },
    );
  });
});
