import { ContainerModule } from 'inversify';
import { Clock, MarketDataSource, VirtualClock } from '@tranche/core';
import { CandleReplayMarketDataSource } from './candle-replay-market-data-source.js';
import { FeedReplayConfig } from './feed-replay-config.schema.js';
import { ReplayMarketDataSource } from './replay-market-data-source.js';

/** Token of the tick-capture replay, so `ReplayMarketDataSource` itself can resolve to either kind. */
const TickReplayMarketDataSource = Symbol.for('tranche.feed-replay.TickReplayMarketDataSource');

/**
 * Bindings of the feed-replay plugin: as the `MarketDataSource` (and under
 * `ReplayMarketDataSource`), a `CandleReplayMarketDataSource` when the `candles`
 * setting is given, else the tick-capture `ReplayMarketDataSource`; a `VirtualClock`
 * as the `Clock` unless one is bound already (a replay moves time itself).
 */
export const feedReplayModule = new ContainerModule(({ bind, isBound }) => {
  bind(TickReplayMarketDataSource).to(ReplayMarketDataSource).inSingletonScope();
  bind(CandleReplayMarketDataSource).toSelf().inSingletonScope();
  bind(ReplayMarketDataSource)
    .toDynamicValue((context) => {
      const config = context.get<FeedReplayConfig>(FeedReplayConfig, { optional: true });
      return config?.candles === undefined ? context.get<ReplayMarketDataSource>(TickReplayMarketDataSource) : context.get(CandleReplayMarketDataSource);
    })
    .inSingletonScope();
  bind(MarketDataSource).toService(ReplayMarketDataSource);
  if (!isBound(Clock)) bind(Clock).toConstantValue(new VirtualClock());
});
