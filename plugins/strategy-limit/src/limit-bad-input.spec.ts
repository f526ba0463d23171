import { describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { InMemoryVenue, TestBench } from '@tranche/testkit';
import limitStrategyPlugin from './index.js';

/**
 * A limit order the venue could never take (a price below the tick, which rounds to
 * nothing, or a notional below the market's minimum) is refused up front, naming the
 * price and the market's rule, instead of waiting silently until the data ends.
 * The testkit's synthetic market: tick 0.01, minimum notional 5 USDT.
 */
describe('limit strategy: prices the venue cannot take', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a price of 1e-300', { quantity: 1, price: 1e-300 }, /invalid order: price must be at least the tick size 0\.01 of BTC\/USDT, got 1e-300/],
    ['a price below half a tick', { quantity: 1, price: 0.001 }, /invalid order: price must be at least the tick size 0\.01 of BTC\/USDT, got 0\.001/],
    ['a notional below the minimum', { quantity: 0.001, price: 100 }, /invalid order: quantity 0\.001 at price 100 is below the minimum notional 5 USDT of BTC\/USDT/],
  ];
  for (const [name, change, message] of cases) {
    it(`${name}: one validation error naming the price; nothing reaches the venue`, async () => {
      const bench = await TestBench.create({ plugins: [limitStrategyPlugin] });
      const error = await bench.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', ...change }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).field).toBe('price');
      expect((error as TrancheError).message).toMatch(message);
      expect((bench.venue as InMemoryVenue).allOrders()).toEqual([]);
      await bench.close();
    });
  }
});
