import { afterAll, describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import { map, timer, type Observable } from 'rxjs';
import { z } from 'zod';
import {
  Clock,
  ExecutionStrategy,
  MarketDataSource,
  Venue,
  VirtualClock,
  createTranche,
  definePlugin,
  parseTrancheConfig,
  yieldToEventLoop,
  type ExecutionContext,
  type MarketInfo,
  type StrategyAction,
} from '@tranche/core';
import { InMemoryVenue, loadRecordedFixture } from '@tranche/testkit';
import feedReplay, { FeedReplayConfig, FeedReplayConfigSchema, ReplayMarketDataSource, bundledDataDir } from '../src/index.js';
import { temporaryDir } from './helpers.js';

const BTC_USDT: MarketInfo = { ...loadRecordedFixture().market, minNotional: 5 };

/** Waits `delayMs` of (virtual) time, then takes the whole quantity at market. */
class DelayedMarketStrategy implements ExecutionStrategy<{ delayMs: number }> {
  readonly id = 'delayed-market';
  readonly description = 'waits, then sends one market order';
  readonly paramsSchema = z.object({ delayMs: z.number().default(30_000) }).strict();
  execute(ctx: ExecutionContext<{ delayMs: number }>): Observable<StrategyAction> {
    return timer(ctx.params.delayMs, ctx.clock.scheduler).pipe(
      map(() => ({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity: ctx.request.quantity, reason: 'delay elapsed' }) as const),
    );
  }
}

const testVenuePlugin = definePlugin({
  name: 'test-venue',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(Venue).toDynamicValue((context) => new InMemoryVenue([BTC_USDT], context.get<Clock>(Clock), context.get<MarketDataSource>(MarketDataSource)));
    bind(DelayedMarketStrategy).toSelf();
    bind(ExecutionStrategy).toService(DelayedMarketStrategy);
  }),
});

describe('the feed-replay plugin', () => {
  const cache = temporaryDir('feed-replay-plugin-cache-');
  afterAll(() => cache.cleanup());

  it('declares its name, config schema and token; every key has a default', () => {
    expect(feedReplay.name).toBe('feed-replay');
    expect(feedReplay.configToken).toBe(FeedReplayConfig);
    expect(FeedReplayConfig).toBe(Symbol.for('tranche.feed-replay.config'));
    const defaults = FeedReplayConfigSchema.parse({});
    expect(defaults).toMatchObject({ data: bundledDataDir(), speed: 'max' });
    expect(defaults.cacheDir).toMatch(/\.tranche[\\/]cache$/);
    expect(defaults.datasets).toBeUndefined();
  });

  it('validates its config section: snake_case keys work, unknown keys and bad speeds are errors', () => {
    const parsed = parseTrancheConfig({ 'feed-replay': { cache_dir: '/tmp/x', speed: 10 } }, [feedReplay]);
    expect(parsed.pluginConfig['feed-replay']).toMatchObject({ cacheDir: '/tmp/x', speed: 10 });
    expect(() => parseTrancheConfig({ 'feed-replay': { sped: 10 } }, [feedReplay])).toThrow(/unknown key "feed-replay.sped"/);
    expect(() => parseTrancheConfig({ 'feed-replay': { speed: 0 } }, [feedReplay])).toThrow(/speed/);
    expect(() => parseTrancheConfig({ 'feed-replay': { speed: 'fast' } }, [feedReplay])).toThrow(/speed/);
  });

  it('binds the replay as the MarketDataSource and a VirtualClock, unless a clock is given', () => {
    const tranche = createTranche({ config: { 'feed-replay': { cacheDir: cache.dir } }, plugins: [feedReplay, testVenuePlugin] });
    expect(tranche.get(Clock)).toBeInstanceOf(VirtualClock);
    const source = tranche.get<MarketDataSource>(MarketDataSource);
    expect(source).toBeInstanceOf(ReplayMarketDataSource);
    expect(tranche.get(ReplayMarketDataSource)).toBe(source);
    const clock = new VirtualClock(5);
    expect(createTranche({ plugins: [feedReplay, testVenuePlugin], clock }).get(Clock)).toBe(clock);
  });

  it('runs a parent order end to end on the bundled BTC/USDT data in virtual time, then pauses', async () => {
    const tranche = createTranche({
      config: { 'feed-replay': { symbols: ['BTC/USDT'], cacheDir: cache.dir } },
      plugins: [feedReplay, testVenuePlugin],
    });
    const clock = tranche.get<VirtualClock>(Clock);
    const source = tranche.get(ReplayMarketDataSource);
    await tranche.manager.initialize();
    const readyAt = clock.now();
    expect(readyAt).toBeGreaterThan(Date.UTC(2024, 7, 8));

    const report = await tranche.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'delayed-market', quantity: 0.05, params: { delayMs: 90_000 } });
    expect(report.status).toBe('filled');
    expect(report.filledQuantity).toBeCloseTo(0.05, 8);
    expect(report.fills[0]!.ts).toBe(readyAt + 90_000);
    expect(report.averagePrice).toBeGreaterThan(55_000);
    expect(report.averagePrice).toBeLessThan(65_000);

    // With no execution running, the replay stops where the order ended.
    const progress = source.progress();
    for (let turn = 0; turn < 20; turn++) await yieldToEventLoop();
    expect(source.progress().emittedEvents).toBe(progress.emittedEvents);
    expect(source.progress().state).toBe('paused');
    expect(clock.now()).toBeLessThan(readyAt + 91_000);
    await tranche.close();
    expect(source.progress().state).toBe('closed');
  });

  it('expires an execution still running when the recorded data ends', async () => {
    const tranche = createTranche({
      config: { 'feed-replay': { symbols: ['BTC/USDT'], cacheDir: cache.dir } },
      plugins: [feedReplay, testVenuePlugin],
    });
    const source = tranche.get(ReplayMarketDataSource);
    await tranche.manager.initialize();
    const report = await tranche.manager.executeOrder({ symbol: 'BTC/USDT', side: 'sell', type: 'delayed-market', quantity: 0.01, params: { delayMs: 3_600_000 } });
    expect(report.status).toBe('expired');
    expect(report.filledQuantity).toBe(0);
    expect(source.progress()).toMatchObject({ state: 'ended', emittedEvents: 26398 });
    await expect(tranche.manager.executeOrder({ symbol: 'BTC/USDT', side: 'sell', type: 'delayed-market', quantity: 0.01 })).rejects.toThrow(/market data of replay has ended/);
    await tranche.close();
  });
});
