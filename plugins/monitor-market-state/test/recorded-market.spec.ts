import { describe, expect, it } from 'vitest';
import { MarketFeature as F, MemoryLogger, VirtualClock, type MarketFeatures, type MarketStateClassifier } from '@tranche/core';
import { loadRecordedFixture } from '@tranche/testkit';
import { MarketStateMonitor, MarketStateMonitorConfigSchema } from '../src/index.js';

describe('MarketStateMonitor on recorded Binance trades and depth', () => {
  it('computes spread, near-touch depth, trade rate and volumes from real events', () => {
    const fixture = loadRecordedFixture();
    const seen: MarketFeatures[] = [];
    const recorder: MarketStateClassifier = {
      id: 'regime',
      states: ['normal'],
      classify: (features) => {
        seen.push(features);
        return { state: 'normal', confidence: 0.5, features };
      },
    };
    const monitor = new MarketStateMonitor(MarketStateMonitorConfigSchema.parse({ barSeconds: 10 }), new VirtualClock(0), new MemoryLogger(), [recorder]);
    const states = monitor.observe([fixture.snapshot, ...fixture.events]);
    expect(states.length).toBeGreaterThanOrEqual(3);
    const features = monitor.features(fixture.snapshot.symbol)!;
    // BTC/USDT spot in 2024: a one-tick spread (0.01 USDT at ~57k, ~0.002 bps), real depth, hundreds of trades a minute.
    expect(features[F.spreadBps]).toBeGreaterThan(0);
    expect(features[F.spreadBps]).toBeLessThan(1);
    expect(features[F.topDepthQuote]).toBeGreaterThan(1_000);
    expect(features[F.tradesPerMinute]).toBeGreaterThan(10);
    expect(features[F.quoteVolumePerMinute]).toBeGreaterThan(0);
    expect(features[F.zeroVolumeShare]).toBeLessThan(0.5);
    expect(features[F.takerBuyShare]).toBeGreaterThan(0);
    expect(features[F.takerBuyShare]).toBeLessThan(1);
    expect(seen.every((entry) => Number.isFinite(entry[F.realizedVolatilityPct]!))).toBe(true);
  });
});
