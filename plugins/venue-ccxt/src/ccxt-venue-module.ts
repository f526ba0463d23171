import { ContainerModule } from 'inversify';
import { MarketDataSource, Venue } from '@tranche/core';
import { CcxtConnection } from './ccxt-connection.js';
import { CcxtMarketDataSource } from './ccxt-market-data-source.js';
import { CcxtVenue } from './ccxt-venue.js';

/**
 * Bindings of the venue-ccxt plugin: `CcxtConnection` (the one ccxt exchange
 * instance), `CcxtVenue` and `CcxtMarketDataSource` to themselves (singletons, so an
 * adopter can `rebind` one piece), `Venue` (multi-bound, id `ccxt`) to the venue, and
 * `MarketDataSource` to the ccxt source unless a source is already bound (a replay
 * plugin loaded earlier keeps its place). Bind `CcxtExchangeFactory` to build the
 * exchange yourself (tests inject a fake).
 */
export const ccxtVenueModule = new ContainerModule(({ bind, isBound }) => {
  bind(CcxtConnection).toSelf().inSingletonScope();
  bind(CcxtVenue).toSelf().inSingletonScope();
  bind(CcxtMarketDataSource).toSelf().inSingletonScope();
  bind(Venue).toService(CcxtVenue);
  if (!isBound(MarketDataSource)) bind(MarketDataSource).toService(CcxtMarketDataSource);
});
