import { ContainerModule } from 'inversify';
import {
  ActiveVenue,
  VirtualClock,
  createTranche,
  definePlugin,
  MarketDataSource,
  yieldToEventLoop,
  type BookSnapshotEvent,
  type Venue,
} from '@tranche/core';
import { ScriptedMarketDataSource, venueContract, type VenueHarness } from '@tranche/testkit';
import paperVenuePlugin, { PaperVenue } from '../src/index.js';

const START_MS = 1_723_161_255_208;
const LATENCY_MS = 20;

/** A BTC/USDT spot book shaped like the bundled Binance capture of 2024-08-09 (best 61,837.63 / 61,837.64). */
const SNAPSHOT: BookSnapshotEvent = {
  type: 'book-snapshot',
  symbol: 'BTC/USDT',
  ts: START_MS,
  sequence: 50_093_239_212,
  bids: [
    [61_837.63, 3.78826],
    [61_837.62, 0.00283],
    [61_837.6, 0.0483],
    [61_837.5, 0.12],
    [61_836.98, 0.25],
    [61_836.01, 0.6],
  ],
  asks: [
    [61_837.64, 1.54698],
    [61_837.65, 0.0012],
    [61_837.7, 0.08],
    [61_838, 0.3154],
    [61_839.12, 0.5],
    [61_840, 1.2],
  ],
};

/** Lets the clock run past the latency and promise reactions settle. */
async function advance(clock: VirtualClock): Promise<void> {
  clock.advanceBy(LATENCY_MS);
  await yieldToEventLoop();
}

venueContract('paper venue driven by onMarketEvent', async (): Promise<VenueHarness> => {
  const clock = new VirtualClock(START_MS);
  const venue = PaperVenue.create({ clock, config: { latencyMs: LATENCY_MS } });
  await venue.initialize();
  venue.onMarketEvent(SNAPSHOT);
  return {
    venue,
    symbol: 'BTC/USDT',
    passiveBuyPrice: async () => 61_800,
    settle: () => advance(clock),
    close: () => venue.close(),
  };
});

venueContract('paper venue in a Tranche app with a scripted market data source', async (): Promise<VenueHarness> => {
  const clock = new VirtualClock(START_MS);
  const source = new ScriptedMarketDataSource(['BTC/USDT'], clock, [SNAPSHOT]);
  const sourcePlugin = definePlugin({
    name: 'scripted-source',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(MarketDataSource).toConstantValue(source);
    }),
  });
  const tranche = createTranche({ config: { 'venue-paper': { latency_ms: LATENCY_MS } }, plugins: [sourcePlugin, paperVenuePlugin], clock });
  await tranche.manager.initialize();
  const venue = tranche.get<Venue>(ActiveVenue);
  return {
    venue,
    symbol: 'BTC/USDT',
    passiveBuyPrice: async () => venue.id === 'paper' ? (venue as PaperVenue).book('BTC/USDT')!.bestBid() - 5 : Number.NaN,
    settle: () => advance(clock),
    close: () => tranche.close(),
  };
});
