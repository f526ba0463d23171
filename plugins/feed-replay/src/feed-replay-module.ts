import { ContainerModule } from 'inversify';
import { Clock, MarketDataSource, VirtualClock } from '@tranche/core';
import { ReplayMarketDataSource } from './replay-market-data-source.js';

/**
 * Bindings of the feed-replay plugin: `ReplayMarketDataSource` as the
 * `MarketDataSource`, and a `VirtualClock` as the `Clock` unless one is bound already
 * (a replay moves time itself).
 */
export const feedReplayModule = new ContainerModule(({ bind, isBound }) => {
  bind(ReplayMarketDataSource).toSelf().inSingletonScope();
  bind(MarketDataSource).toService(ReplayMarketDataSource);
  if (!isBound(Clock)) bind(Clock).toConstantValue(new VirtualClock());
});
