import { describe, expect, it } from 'vitest';
import { L2Book } from '../book/l2-book.js';
import { lagTolerance } from './lag-tolerance.js';
import { priceChildOrder } from './price-child-order.js';
import { ticksBehindTouch } from './ticks-behind-touch.js';

function book(bids: [number, number][], asks: [number, number][]): L2Book {
  const result = new L2Book('BTC/USDT');
  result.applySnapshot({ bids, asks, ts: 0, sequence: 1 });
  return result;
}
const tight = book([[100, 1], [99.99, 2]], [[100.01, 0.5], [100.02, 0.5], [100.05, 5]]);
const wide = book([[100, 1]], [[100.05, 1]]);
const price = (input: Partial<Parameters<typeof priceChildOrder>[0]>) =>
  priceChildOrder({ side: 'buy', style: 'passive', quantity: 1, book: tight, tickSize: 0.01, ...input });

describe('priceChildOrder', () => {
  it('passive: joins the near touch, or steps one tick inside a wider spread', () => {
    expect(price({})).toMatchObject({ type: 'limit', price: 100, timeInForce: 'GTC', crossesSpread: false });
    expect(price({ side: 'sell' })).toMatchObject({ price: 100.01 });
    expect(price({ book: wide })).toMatchObject({ price: 100.01 });
    expect(price({ book: wide, side: 'sell' })).toMatchObject({ price: 100.04 });
  });

  it('passive: rests at the limit when the touch is beyond it', () => {
    expect(price({ limitPrice: 99.5 })).toMatchObject({ price: 99.5, crossesSpread: false });
    expect(price({ side: 'sell', limitPrice: 100.5 })).toMatchObject({ price: 100.5 });
  });

  it('marketable: a limit IOC at the far level that covers the quantity, within the limit', () => {
    expect(price({ style: 'marketable', quantity: 0.4 })).toMatchObject({ type: 'limit', price: 100.01, timeInForce: 'IOC', crossesSpread: true });
    expect(price({ style: 'marketable', quantity: 0.8 })).toMatchObject({ price: 100.02 });
    expect(price({ style: 'marketable', quantity: 100 })).toMatchObject({ price: 100.05 });
    expect(price({ style: 'marketable', quantity: 0.8, limitPrice: 100.01 })).toMatchObject({ price: 100.01, crossesSpread: true });
    expect(price({ style: 'marketable', side: 'sell', quantity: 2 })).toMatchObject({ price: 99.99, crossesSpread: true });
  });

  it('market: a market IOC, or a limit IOC at the limit price', () => {
    expect(price({ style: 'market' })).toMatchObject({ type: 'market', timeInForce: 'IOC', crossesSpread: true });
    expect(price({ style: 'market' })?.price).toBeUndefined();
    expect(price({ style: 'market', limitPrice: 101 })).toMatchObject({ type: 'limit', price: 101, timeInForce: 'IOC' });
  });

  it('a crossing style whose far touch is beyond the limit rests at the limit instead', () => {
    const blocked = price({ style: 'marketable', limitPrice: 99.9 })!;
    expect(blocked).toMatchObject({ type: 'limit', price: 99.9, timeInForce: 'GTC', crossesSpread: false });
    expect(blocked.explanation).toMatch(/cannot cross/);
    expect(price({ style: 'market', limitPrice: 100 })).toMatchObject({ price: 100, crossesSpread: false });
  });

  it('copes with a one-sided or empty book', () => {
    expect(price({ book: book([], [[100.01, 1]]) })).toMatchObject({ price: 100 });
    expect(price({ book: book([[100, 1]], []), style: 'marketable' })).toMatchObject({ price: 100, crossesSpread: false });
    expect(price({ book: book([], []) })).toBeUndefined();
  });
});

describe('ticksBehindTouch and lagTolerance', () => {
  it('measures how far the market moved away from a resting order', () => {
    expect(ticksBehindTouch('buy', 100, 100.05, 0.01)).toBe(5);
    expect(ticksBehindTouch('buy', 100, 99.9, 0.01)).toBe(-10);
    expect(ticksBehindTouch('sell', 100.05, 100, 0.01)).toBe(5);
  });

  it('tolerates two slices of lag at low urgency, one at medium and a quarter at high', () => {
    expect([lagTolerance('low', 1), lagTolerance('medium', 1), lagTolerance('high', 1)]).toEqual([2, 1, 0.25]);
  });
});
