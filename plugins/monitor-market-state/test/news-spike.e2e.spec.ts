import { ContainerModule } from 'inversify';
import { concatMap, takeWhile } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ExecutionStrategy,
  MarketStateProvider,
  definePlugin,
  type ExecutionContext,
  type MarketEvent,
  type StrategyAction,
  type TradeEvent,
} from '@tranche/core';
import { TestBench, syntheticMarket } from '@tranche/testkit';
import monitorMarketState, { MarketStateMonitor } from '../src/index.js';
import { newsSpikePlugin, steadyRegimePlugin } from './news-spike-plugin.js';

/** A strategy that only watches `ctx.state$`: notes every state and stands aside at a news spike. */
const stateWatch: ExecutionStrategy<Record<string, never>> = {
  id: 'state-watch',
  description: 'notes market states; stops at a news spike',
  paramsSchema: z.object({}).strict(),
  execute: (ctx: ExecutionContext<Record<string, never>>) =>
    ctx.state$.pipe(
      takeWhile((update) => update.state !== 'news-spike', true),
      concatMap((update): StrategyAction[] => {
        const note: StrategyAction = { kind: 'note', message: `market state ${update.state}`, data: { state: update.state, confidence: update.confidence, ts: update.ts } };
        return update.state === 'news-spike' ? [note, { kind: 'finish', status: 'cancelled', reason: 'news spike: standing aside' }] : [note];
      }),
    ),
};
const stateWatchPlugin = definePlugin({
  name: 'state-watch',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(ExecutionStrategy).toConstantValue(stateWatch);
  }),
});

/** Ten quiet minutes of synthetic BTC/USDT, with a burst of 200 BTC traded in minute 5. */
function marketWithSpike(): { snapshot: ReturnType<typeof syntheticMarket>['snapshot']; events: MarketEvent[]; spikeAt: number } {
  const market = syntheticMarket({ durationMs: 10 * 60_000, tradeEveryMs: 2_000 });
  const start = market.snapshot.ts;
  const spikeAt = start + 5 * 60_000 + 10_000;
  const spike: TradeEvent[] = Array.from({ length: 100 }, (_, index) => ({
    type: 'trade',
    symbol: 'BTC/USDT',
    ts: spikeAt + index * 100,
    price: 60_000,
    quantity: 2,
    takerSide: 'buy',
    tradeId: `spike-${index}`,
  }));
  const events = [...market.events, ...spike].sort((a, b) => a.ts - b.ts);
  return { snapshot: market.snapshot, events, spikeAt };
}

describe('a custom market state end to end', () => {
  it('a news-spike classifier registered through DI reaches a strategy through ctx.state$', async () => {
    const market = marketWithSpike();
    const bench = await TestBench.create({
      plugins: [monitorMarketState, steadyRegimePlugin, newsSpikePlugin, stateWatchPlugin],
      config: { 'monitor-market-state': { window_minutes: 2 }, 'news-spike': { min_volume_per_minute: 60 } },
      market,
    });
    const monitor = bench.tranche.get<MarketStateMonitor>(MarketStateMonitor);
    expect(bench.tranche.get(MarketStateProvider)).toBe(monitor);
    expect(monitor.classifierIds()).toEqual(['news-spike', 'regime']);
    expect(monitor.states()).toContain('news-spike');

    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'state-watch', quantity: 1 });

    const notes = bench.events.filter((event) => event.type === 'note').map((event) => (event as { data?: { state?: string } }).data?.state);
    expect(notes[0]).toBe('normal');
    expect(notes.at(-1)).toBe('news-spike');
    expect(report.status).toBe('cancelled');
    const change = monitor.history('BTC/USDT').find((entry) => entry.state === 'news-spike')!;
    expect(change).toMatchObject({ previous: 'normal', classifier: 'news-spike', confidence: 0.95 });
    // The spike is seen when its minute closes: at the first event after the minute's end.
    expect(change.ts).toBe(market.spikeAt - 10_000 + 60_000);
    expect(change.features['newsSpikeVolumeRatio']).toBeGreaterThan(1);
    await bench.close();
  });
});
