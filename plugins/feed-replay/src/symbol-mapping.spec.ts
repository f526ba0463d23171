import { describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { toUnifiedSymbol } from './symbol-mapping.js';

describe('toUnifiedSymbol', () => {
  it.each([
    ['BTCUSDT', 'BTC/USDT'],
    ['btcusdt', 'BTC/USDT'],
    ['ETHUSDT', 'ETH/USDT'],
    ['ETHBTC', 'ETH/BTC'],
    ['BNBFDUSD', 'BNB/FDUSD'],
    ['SOLUSDC', 'SOL/USDC'],
    ['BTCEUR', 'BTC/EUR'],
    ['LINKETH', 'LINK/ETH'],
    ['ADABNB', 'ADA/BNB'],
    ['XRPBUSD', 'XRP/BUSD'],
    ['BTCUSD_PERP', 'BTC/USD'],
    ['1000PEPEUSDT', '1000PEPE/USDT'],
    ['BTC/USDT', 'BTC/USDT'],
  ])('%s → %s', (input, expected) => {
    expect(toUnifiedSymbol(input)).toBe(expected);
  });

  it('rejects a symbol with no known quote', () => {
    expect(() => toUnifiedSymbol('FOOBAR')).toThrow(TrancheError);
    expect(() => toUnifiedSymbol('USDT')).toThrow(/quote currency/);
  });
});
