import { ContainerModule } from 'inversify';
import { MarketStateProvider } from '@tranche/core';
import { MarketStateMonitor } from './market-state-monitor.js';

/**
 * Bindings of the monitor-market-state plugin: `MarketStateMonitor` to itself (one per
 * container) and the `MarketStateProvider` contract to it, so an adopter can
 * `rebind(MarketStateMonitor)` alone.
 */
export const monitorMarketStateModule = new ContainerModule(({ bind }) => {
  bind(MarketStateMonitor).toSelf().inSingletonScope();
  bind(MarketStateProvider).toService(MarketStateMonitor);
});
