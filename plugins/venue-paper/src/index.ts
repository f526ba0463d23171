/**
 * The embedded paper exchange: orders are matched against the L2 book and the trades
 * of the market data source (recorded data in a backtest), with latency, a queue model
 * for resting orders, fees and balances.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { PaperVenueConfig, PaperVenueConfigSchema } from './paper-venue-config.schema.js';
import { paperVenueModule } from './paper-venue-module.js';

export { PaperVenue, type PaperVenueOptions } from './paper-venue.js';
export {
  PaperVenueConfig,
  PaperVenueConfigSchema,
  DEFAULT_PAPER_BALANCES,
  type PaperVenueConfigInput,
} from './paper-venue-config.schema.js';
export { DEFAULT_PAPER_MARKETS } from './default-markets.js';
export { paperVenueModule } from './paper-venue-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `PaperVenue` as a `Venue` (id `paper`); config section `venue-paper`. */
const paperVenuePlugin = definePlugin<PaperVenueConfig>({
  name: 'venue-paper',
  version: VERSION,
  description: 'Simulated exchange matching against the recorded L2 book and trades, with latency, queue position, fees and balances',
  configSchema: PaperVenueConfigSchema,
  configToken: PaperVenueConfig,
  module: paperVenueModule,
});
export default paperVenuePlugin;
