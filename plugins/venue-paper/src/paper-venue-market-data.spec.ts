import { describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { PaperScenario } from '../test/paper-scenario.js';

describe('PaperVenue: market data over "REST"', () => {
  it('serves its book as a snapshot, its best bid/offer as a ticker and its recent trades', async () => {
    const s = new PaperScenario();
    s.standardBook();
    s.event({ type: 'trade', symbol: 'BTC/USDT', ts: s.clock.now(), price: 60_000.01, quantity: 0.1, takerSide: 'buy', tradeId: 't1' });
    const book = await s.venue.fetchOrderBook('BTC/USDT', 2);
    expect(book.type).toBe('book-snapshot');
    expect(book.bids).toHaveLength(2);
    expect(book.asks).toHaveLength(2);
    expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]);
    const ticker = await s.venue.fetchTicker('BTC/USDT');
    expect([ticker.bid, ticker.ask]).toEqual([book.bids[0]![0], book.asks[0]![0]]);
    expect(ticker.last).toBe(60_000.01);
    const trades = await s.venue.fetchTrades('BTC/USDT');
    expect(trades.map((trade) => trade.tradeId)).toEqual(['t1']);
  });

  it('says when it has no data, and names an unknown symbol', async () => {
    const s = new PaperScenario();
    const empty = await s.venue.fetchOrderBook('BTC/USDT').catch((error: unknown) => error);
    expect((empty as TrancheError).kind).toBe('venue-unavailable');
    const unknown = await s.venue.fetchTicker('DOGE/USDT').catch((error: unknown) => error);
    expect((unknown as TrancheError).kind).toBe('validation');
    expect((unknown as TrancheError).message).toMatch(/DOGE\/USDT/);
  });
});
