import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../model/market.schema.js';
import { MarketFeature as F } from './market-feature.js';
import { marketFeatures } from './market-features.js';

const trade = (symbol: string, price: number): MarketEvent => ({ type: 'trade', symbol, ts: 0, price, quantity: 1, takerSide: 'buy', tradeId: '1' });

/** Stamps each event with the virtual time it is emitted at, as a live source would. */
function stamp(scheduler: TestScheduler) {
  return map((event: MarketEvent): MarketEvent => ({ ...event, ts: scheduler.now() }));
}

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const summary = map((snapshot: { symbol: string; ts: number; features: Record<string, number> }) => ({
  symbol: snapshot.symbol,
  ts: snapshot.ts,
  bars: snapshot.features[F.barCount],
  volume: snapshot.features[F.volumePerMinute]! * snapshot.features[F.windowMinutes]!,
}));

describe('marketFeatures', () => {
  it('emits a snapshot when an event closes a bar (data-driven, no scheduler)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const events = cold('a 4ms b 6ms c 9ms d|', { a: trade('X/Y', 100), b: trade('X/Y', 101), c: trade('X/Y', 102), d: trade('X/Y', 103) });
      // With 10 ms bars: a (t0) and b (t5) form bar [0,10); c at t12 closes it; d at t22 closes [10,20).
      const result = events.pipe(
        map((event, index) => ({ ...event, ts: [0, 5, 12, 22][index]! }) as MarketEvent),
        marketFeatures({ windowMs: 100, barMs: 10 }),
        summary,
      );
      expectObservable(result).toBe('------------x 9ms y|', {
        x: { symbol: 'X/Y', ts: 10, bars: 1, volume: 2 },
        y: { symbol: 'X/Y', ts: 20, bars: 2, volume: 3 },
      });
    });
  });

  it('closes bars on time with a scheduler, so a silent market still yields zero-volume bars', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const events = cold('a 2ms b 30ms |', { a: trade('X/Y', 100), b: trade('X/Y', 100) });
      const result = events.pipe(
        stamp(scheduler),
        marketFeatures({ windowMs: 100, barMs: 10 }, scheduler),
        map((snapshot) => `${snapshot.ts}:${snapshot.features[F.barCount]}:${snapshot.features[F.zeroVolumeShare]!.toFixed(2)}`),
      );
      expectObservable(result).toBe('10ms a 9ms b 9ms c 3ms |', { a: '10:1:0.00', b: '20:2:0.50', c: '30:3:0.67' });
    });
  });

  it('keeps one window per symbol and follows only the listed symbols', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const events = cold('abcd|', { a: trade('A/B', 1), b: trade('C/D', 1), c: trade('A/B', 2), d: trade('C/D', 2) });
      const result = events.pipe(
        map((event, index) => ({ ...event, ts: index < 2 ? 0 : 15 }) as MarketEvent),
        marketFeatures({ windowMs: 100, barMs: 10, symbols: ['C/D'] }),
        map((snapshot) => snapshot.symbol),
      );
      expectObservable(result).toBe('---x|', { x: 'C/D' });
    });
  });

  it('tears down its timer and source subscription on unsubscribe', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const events = hot('--a---', { a: trade('X/Y', 1) });
      const result = events.pipe(stamp(scheduler), marketFeatures({ barMs: 10, windowMs: 100 }, scheduler));
      expectObservable(result, '^---!').toBe('');
      expectSubscriptions(events.subscriptions).toBe('^---!');
    });
  });
});
