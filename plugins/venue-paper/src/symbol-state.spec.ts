import { describe, expect, it } from 'vitest';
import { floorToIncrement } from '@tranche/core';
import { SymbolState } from './symbol-state.js';

const roundDown = (value: number): number => floorToIncrement(value, 0.001);

describe('SymbolState', () => {
  it('plans takes best first, up to a limit price and the unconsumed visible size', () => {
    const state = new SymbolState('BTC/USDT');
    state.apply({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: 1, sequence: 1, bids: [[99, 1]], asks: [[100, 1], [101, 2], [102, 3]] });
    expect(state.planTake('buy', 2.5, undefined, roundDown)).toEqual([{ price: 100, quantity: 1 }, { price: 101, quantity: 1.5 }]);
    expect(state.planTake('buy', 10, 101, roundDown)).toEqual([{ price: 100, quantity: 1 }, { price: 101, quantity: 2 }]);
    state.consume('asks', 100, 0.75);
    expect(state.available('asks', 0)).toBeCloseTo(0.25, 12);
    expect(state.planTake('buy', 0.5, undefined, roundDown)).toEqual([{ price: 100, quantity: 0.25 }, { price: 101, quantity: 0.25 }]);
    state.consume('asks', 100, 0.25);
    expect(state.bestAvailable('asks')).toBe(101);
    expect(state.planTake('sell', 5, 99.5, roundDown)).toEqual([]);
  });

  it('forgets consumption and trade volume of a level when the book updates it (all of them on a snapshot)', () => {
    const state = new SymbolState('BTC/USDT');
    state.apply({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: 1, sequence: 1, bids: [[99, 1], [98, 1]], asks: [[100, 1]] });
    state.consume('asks', 100, 1);
    state.recordTrade('bids', 99, 0.4);
    state.recordTrade('bids', 98, 0.1);
    state.recordTrade('bids', 97, 5);
    expect(state.lastTradePrice).toBe(97);
    expect(state.tradedSinceUpdate('bids', 97)).toBe(0);
    state.apply({ type: 'book-delta', symbol: 'BTC/USDT', ts: 2, sequence: 2, bids: [[99, 0.6]], asks: [] });
    expect(state.tradedSinceUpdate('bids', 99)).toBe(0);
    expect(state.tradedSinceUpdate('bids', 98)).toBe(0.1);
    expect(state.available('asks', 0)).toBe(0);
    state.apply({ type: 'book-delta', symbol: 'BTC/USDT', ts: 3, sequence: 3, bids: [], asks: [[100, 1.5]] });
    expect(state.available('asks', 0)).toBe(1.5);
    state.consume('asks', 100, 1);
    state.apply({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: 4, sequence: 4, bids: [[98, 1]], asks: [[100, 1]] });
    expect(state.available('asks', 0)).toBe(1);
    expect(state.tradedSinceUpdate('bids', 98)).toBe(0);
  });
});
