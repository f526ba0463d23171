import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MarketDataSource } from '../contracts/market-data-source.js';
import type { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import { CoreConfigSchema } from '../model/config.schema.js';
import type { BookSnapshotEvent, MarketEvent, MarketInfo, TradeEvent } from '../model/market.schema.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { MemoryLogger } from '../util/noop-logger.js';
import { AssetCacheManager } from './asset-cache-manager.js';

const START = 1_723_161_600_000;
const BTC: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5, makerFeeBps: 10, takerFeeBps: 10 };

/** A venue whose market-data fetches are counted and can be held open. */
function fakeVenue(clock: VirtualClock, options: { fetches?: boolean } = {}) {
  const calls = { market: 0, book: 0, ticker: 0, trades: 0 };
  let release: (() => void) | undefined;
  let hold = false;
  const gate = () => (hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve());
  const venue = {
    id: 'fake',
    market: async (symbol: string) => {
      calls.market++;
      if (symbol !== 'BTC/USDT') throw new TrancheError('validation', `unknown symbol "${symbol}"`);
      return BTC;
    },
    ...(options.fetches === false
      ? {}
      : {
          fetchOrderBook: async (symbol: string): Promise<BookSnapshotEvent> => {
            calls.book++;
            await gate();
            return { type: 'book-snapshot', symbol, ts: clock.now(), sequence: calls.book, bids: [[100, 1]], asks: [[101, 2]] };
          },
          fetchTicker: async (symbol: string) => {
            calls.ticker++;
            return { type: 'ticker' as const, symbol, ts: clock.now(), bid: 100, bidQuantity: 1, ask: 101, askQuantity: 2 };
          },
          fetchTrades: async (symbol: string): Promise<TradeEvent[]> => {
            calls.trades++;
            return [{ type: 'trade', symbol, ts: clock.now() - 10, price: 100.5, quantity: 0.1, takerSide: 'buy', tradeId: `f${calls.trades}` }];
          },
        }),
  } as unknown as Venue;
  return {
    venue,
    calls,
    hold: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

function makeCache(options: { fetches?: boolean; source?: boolean; defaultSymbols?: string[] } = {}) {
  const clock = new VirtualClock(START);
  const config = CoreConfigSchema.parse({ assetCache: { cacheTtl: 60, refreshInterval: 5, defaultSymbols: options.defaultSymbols ?? ['BTC/USDT'] } });
  const subject = new Subject<MarketEvent>();
  const source = options.source ? ({ id: 'test', events$: subject.asObservable(), symbols: () => ['BTC/USDT'] } as unknown as MarketDataSource) : undefined;
  const fake = fakeVenue(clock, options);
  const cache = new AssetCacheManager(config, fake.venue, clock, new MemoryLogger(), source);
  return { cache, clock, subject, ...fake };
}

async function flushPromises(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve();
}

describe('AssetCacheManager', () => {
  it('warms the rules of default_symbols at initialize()', async () => {
    const { cache, calls } = makeCache();
    await cache.initialize();
    expect(calls.market).toBe(1);
    expect(await cache.market('BTC/USDT')).toBe(BTC);
    expect(calls.market).toBe(1);
    cache.close();
  });

  it('shares one market-rules load between concurrent callers', async () => {
    const { cache, calls } = makeCache({ defaultSymbols: [] });
    const loads = await Promise.all([cache.market('BTC/USDT'), cache.market('BTC/USDT'), cache.market('BTC/USDT')]);
    expect(loads.every((market) => market === BTC)).toBe(true);
    expect(calls.market).toBe(1);
  });

  it('a streamed entry is fresh until cache_ttl, then stale (and the getters say so)', async () => {
    const { cache, clock, subject } = makeCache({ source: true, fetches: false });
    await cache.initialize();
    expect(cache.freshness('BTC/USDT')).toMatchObject({ stale: true, via: 'none', ageMs: Number.POSITIVE_INFINITY });
    subject.next({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: START, sequence: 1, bids: [[100, 1]], asks: [[101, 1]] });
    clock.advanceTo(START + 59_000);
    expect(cache.getBook('BTC/USDT')).toMatchObject({ stale: false, ageMs: 59_000, via: 'stream' });
    clock.advanceTo(START + 60_001);
    const book = cache.getBook('BTC/USDT');
    expect(book.stale).toBe(true);
    expect(book.value.bestBid()).toBe(100);
    cache.close();
  });

  it('refreshes through the venue every refresh_interval when no stream keeps a symbol fresh', async () => {
    const { cache, clock, calls } = makeCache();
    await cache.initialize();
    expect(calls.book).toBe(0);
    clock.advanceBy(5_000);
    await flushPromises();
    expect(calls.book).toBe(1);
    expect(cache.getBook('BTC/USDT')).toMatchObject({ stale: false, via: 'refresh' });
    expect(cache.book('BTC/USDT').mid()).toBe(100.5);
    expect(cache.ticker('BTC/USDT')?.ask).toBe(101);
    expect(cache.recentTrades('BTC/USDT').map((trade) => trade.tradeId)).toEqual(['f1']);
    clock.advanceBy(5_000);
    await flushPromises();
    expect(calls.book).toBe(2);
    cache.close();
    clock.advanceBy(60_000);
    expect(calls.book).toBe(2);
  });

  it('a refresh snapshot of the update the book already holds leaves the book whole (with shared books it may be its own top levels)', async () => {
    const { cache, subject } = makeCache({ source: true });
    await cache.initialize();
    subject.next({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: START, sequence: 1, bids: [[100, 1], [99, 1], [98, 1]], asks: [[101, 2], [102, 1]] });
    await cache.refresh('BTC/USDT');
    expect(cache.book('BTC/USDT').depth('bids')).toBe(3);
    await cache.refresh('BTC/USDT');
    expect(cache.book('BTC/USDT').depth('bids')).toBe(1);
    cache.close();
  });

  it('does not refresh a symbol that a stream keeps fresh', async () => {
    const { cache, clock, calls, subject } = makeCache({ source: true });
    await cache.initialize();
    for (let second = 1; second <= 30; second++) {
      clock.advanceTo(START + second * 1_000);
      subject.next({ type: 'trade', symbol: 'BTC/USDT', ts: clock.now(), price: 100, quantity: 1, takerSide: 'sell', tradeId: String(second) });
    }
    await flushPromises();
    expect(calls.book).toBe(0);
    cache.close();
  });

  it('concurrent refreshes of one symbol share one fetch', async () => {
    const { cache, calls, hold, release } = makeCache({ defaultSymbols: [] });
    hold();
    const refreshes = [cache.refresh('BTC/USDT'), cache.refresh('BTC/USDT'), cache.refresh('BTC/USDT')];
    expect(cache.getBook('BTC/USDT').stale).toBe(true);
    await flushPromises();
    expect(calls.book).toBe(1);
    release();
    await Promise.all(refreshes);
    expect(calls.book).toBe(1);
    expect(cache.getBook('BTC/USDT').stale).toBe(false);
    await cache.refresh('BTC/USDT');
    expect(calls.book).toBe(2);
  });

  it('a stale getter triggers a refresh', async () => {
    const { cache, calls } = makeCache({ defaultSymbols: [] });
    expect(cache.getTicker('BTC/USDT')).toMatchObject({ stale: true, value: undefined });
    await flushPromises();
    expect(calls.book).toBe(1);
    expect(cache.getTicker('BTC/USDT')).toMatchObject({ stale: false });
  });

  it('says why it cannot refresh when the venue has no market-data fetches', async () => {
    const { cache } = makeCache({ fetches: false, defaultSymbols: [] });
    await expect(cache.refresh('BTC/USDT')).rejects.toThrow(/offers no market-data fetches/);
  });

  it('keeps memory bounded: a ring of the last 1024 trades, oldest first; per-symbol streams', async () => {
    const { cache, clock, subject } = makeCache({ source: true, fetches: false });
    await cache.initialize();
    const streamed: string[] = [];
    const books: number[] = [];
    cache.trades$('BTC/USDT').subscribe((trade) => streamed.push(trade.tradeId));
    cache.book$('BTC/USDT').subscribe((book) => books.push(book.mid()));
    subject.next({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: START, sequence: 1, bids: [[100, 1]], asks: [[101, 1]] });
    for (let index = 0; index < 5_000; index++) {
      subject.next({ type: 'trade', symbol: 'BTC/USDT', ts: START + index, price: 100, quantity: 1, takerSide: 'buy', tradeId: String(index) });
    }
    clock.advanceTo(START + 5_000);
    const recent = cache.recentTrades('BTC/USDT');
    expect(recent).toHaveLength(1024);
    expect(recent[0]?.tradeId).toBe('3976');
    expect(recent.at(-1)?.tradeId).toBe('4999');
    expect(streamed).toHaveLength(5_000);
    expect(books).toEqual([100.5]);
    cache.close();
  });
});
