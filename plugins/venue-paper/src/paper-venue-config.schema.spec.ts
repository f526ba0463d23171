import { describe, expect, it } from 'vitest';
import { MarketInfoSchema } from '@tranche/core';
import { DEFAULT_PAPER_MARKETS } from './default-markets.js';
import { PaperVenueConfig, PaperVenueConfigSchema } from './paper-venue-config.schema.js';

describe('PaperVenueConfigSchema', () => {
  it('defaults every key', () => {
    const config = PaperVenueConfigSchema.parse({});
    expect(config.latencyMs).toBe(20);
    expect(config.queueModel).toBe('conservative');
    expect(config.fees).toEqual({});
    expect(config.balances).toEqual({ USDT: 10_000_000, BTC: 1_000, ETH: 10_000 });
    expect(config.markets.map((market) => market.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('defaults to the Binance rules recorded in exchangeInfo (spot BTCUSDT, USDⓈ-M ETHUSDT)', () => {
    const [btc, eth] = PaperVenueConfigSchema.parse({}).markets;
    expect(btc).toEqual({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 10, maxQuantity: 9000, makerFeeBps: 10, takerFeeBps: 10 });
    expect(eth).toEqual({ symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQuantity: 0.001, minNotional: 5, maxQuantity: 10000, makerFeeBps: 2, takerFeeBps: 5 });
    for (const market of DEFAULT_PAPER_MARKETS) expect(MarketInfoSchema.safeParse(market).success).toBe(true);
  });

  it('hands out fresh defaults (mutating one parse does not leak into the next)', () => {
    const first = PaperVenueConfigSchema.parse({});
    first.markets[0]!.tickSize = 1;
    first.balances.USDT = 0;
    const second = PaperVenueConfigSchema.parse({});
    expect(second.markets[0]!.tickSize).toBe(0.01);
    expect(second.balances.USDT).toBe(10_000_000);
  });

  it('is strict and checks values', () => {
    expect(PaperVenueConfigSchema.safeParse({ latency: 5 }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ latencyMs: -1 }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ fees: { maker: 1 } }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ balances: { USDT: -5 } }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ balances: { usdt: 5 } }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ queueModel: 'optimistic' }).success).toBe(false);
    expect(PaperVenueConfigSchema.safeParse({ markets: [] }).success).toBe(false);
    const twice = PaperVenueConfigSchema.safeParse({ markets: [DEFAULT_PAPER_MARKETS[0], DEFAULT_PAPER_MARKETS[0]] });
    expect(twice.success).toBe(false);
  });

  it('is bound under a global symbol', () => {
    expect(PaperVenueConfig).toBe(Symbol.for('tranche.venue-paper.config'));
  });
});
