import { describe, expect, it } from 'vitest';
import { VirtualClock, type MarketEvent } from '@tranche/core';
import { CapturingLogger } from '../test/emulator-harness.js';
import { FakeCcxtExchange } from '../test/fake-ccxt-exchange.js';
import { CcxtConnection } from './ccxt-connection.js';
import { CcxtMarketDataSource } from './ccxt-market-data-source.js';
import { CcxtVenueConfigSchema, type CcxtVenueConfigInput } from './ccxt-venue-config.schema.js';

async function setUp(overrides: CcxtVenueConfigInput = {}) {
  const clock = new VirtualClock(10_000);
  const exchange = new FakeCcxtExchange();
  const logger = new CapturingLogger();
  const config = CcxtVenueConfigSchema.parse({ symbols: ['BTC/USDT'], pollIntervalMs: 1_000, reconnectDelayMs: 100, bookDepth: 3, ...overrides });
  const source = new CcxtMarketDataSource(new CcxtConnection(config, clock, logger, () => exchange));
  const events: MarketEvent[] = [];
  source.events$.subscribe((event) => events.push(event));
  await source.initialize();
  await source.start();
  return { clock, exchange, logger, source, events };
}

const flush = async (): Promise<void> => {
  for (let round = 0; round < 30; round++) await Promise.resolve();
};

const trade = (id: number) => ({ id: String(id), symbol: 'BTC/USDT', side: 'buy', price: 100, amount: 0.1, timestamp: 20_000 + id, info: {} }) as never;

describe('CcxtMarketDataSource', () => {
  it('streams a snapshot, then deltas of the changed top levels, trades and tickers', async () => {
    const { exchange, events } = await setUp();
    exchange.bookStream.push({ bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 2]], nonce: 50, timestamp: 11_000 });
    await flush();
    exchange.bookStream.push({ bids: [[100, 1.5], [99, 2]], asks: [[102, 2]], nonce: 51, timestamp: 11_100 });
    await flush();
    exchange.publicTradesStream.push([trade(1), trade(2)]);
    exchange.tickerStream.push({ bid: 100, ask: 102, bidVolume: 1.5, askVolume: 2, last: 100, timestamp: 11_200 });
    await flush();
    expect(events[0]).toEqual({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: 11_000, sequence: 50, bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 2]] });
    expect(events[1]).toEqual({ type: 'book-delta', symbol: 'BTC/USDT', ts: 11_100, sequence: 51, bids: [[100, 1.5]], asks: [[101, 0]] });
    expect(events.filter((event) => event.type === 'trade').map((event) => (event as { tradeId: string }).tradeId)).toEqual(['1', '2']);
    expect(events.some((event) => event.type === 'ticker')).toBe(true);
  });

  it('re-connects a failed stream after a back-off on the clock, re-snapshots and reports the gap', async () => {
    const { exchange, events, clock, logger, source } = await setUp({ marketData: 'stream' });
    exchange.bookStream.push({ bids: [[100, 1]], asks: [[101, 1]], nonce: 50 });
    exchange.publicTradesStream.push([trade(1)]);
    await flush();
    exchange.bookStream.fail(Object.assign(new Error('connection closed'), { name: 'NetworkError' }));
    exchange.publicTradesStream.fail(Object.assign(new Error('connection closed'), { name: 'NetworkError' }));
    await flush();
    const callsBefore = exchange.count('watchOrderBook');
    clock.advanceBy(100);
    await flush();
    expect(exchange.count('watchOrderBook')).toBe(callsBefore + 1);
    exchange.bookStream.push({ bids: [[100, 2]], asks: [[101, 1]], nonce: 80 });
    exchange.publicTradesStream.push([trade(5)]);
    await flush();
    const snapshots = events.filter((event) => event.type === 'book-snapshot');
    expect(snapshots).toHaveLength(2);
    expect(source.stats()['BTC/USDT']).toMatchObject({ mode: 'stream', gaps: 2, missedTrades: 3 });
    expect(logger.lines.filter((line) => line.includes('market-data-gap'))).toHaveLength(2);
  });

  it('auto: falls back to polling after repeated stream failures, and says so', async () => {
    const { exchange, events, clock, logger, source } = await setUp({ marketData: 'auto', streamFailuresBeforePolling: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      exchange.bookStream.fail(Object.assign(new Error('refused'), { name: 'NetworkError' }));
      await flush();
      clock.advanceBy(1_000);
      await flush();
    }
    expect(source.stats()['BTC/USDT']!.mode).toBe('poll');
    expect(logger.lines.some((line) => line.includes('falling back to polling'))).toBe(true);
    clock.advanceBy(1_000);
    await flush();
    expect(exchange.count('fetchOrderBook')).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'book-snapshot' && event.bids.length === 2)).toBe(true);
  });

  it('poll: book snapshots, new trades once, tickers every pollIntervalMs on the clock', async () => {
    const { exchange, events, clock } = await setUp({ marketData: 'poll' });
    await flush();
    clock.advanceBy(1_000);
    await flush();
    expect(exchange.count('watchOrderBook')).toBe(0);
    expect(exchange.count('fetchOrderBook')).toBe(2);
    expect(events.filter((event) => event.type === 'trade')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'book-snapshot')).toHaveLength(2);
    expect(events.filter((event) => event.type === 'ticker')).toHaveLength(2);
  });

  it('refuses a symbol the exchange does not list', async () => {
    const config = CcxtVenueConfigSchema.parse({ symbols: ['NOSUCH/COIN'] });
    const source = new CcxtMarketDataSource(new CcxtConnection(config, new VirtualClock(0), new CapturingLogger(), () => new FakeCcxtExchange()));
    await expect(source.initialize()).rejects.toThrow(/NOSUCH\/COIN/);
  });
});
