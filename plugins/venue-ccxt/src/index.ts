/**
 * Any ccxt exchange as a Tranche venue and market data source (REST + ccxt pro
 * streams; first-class: Binance spot), with the exchange's rules checked before
 * sending, rate limits, safe retries by client order id, fills cross-checked by
 * polling, and secrets redacted everywhere.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { CcxtVenueConfig, CcxtVenueConfigSchema } from './ccxt-venue-config.schema.js';
import { ccxtVenueModule } from './ccxt-venue-module.js';

export { CcxtVenue } from './ccxt-venue.js';
export { CcxtMarketDataSource } from './ccxt-market-data-source.js';
export { CcxtConnection } from './ccxt-connection.js';
export { ccxtVenueModule } from './ccxt-venue-module.js';
export {
  CcxtVenueConfig,
  CcxtVenueConfigSchema,
  CredentialsSourceSchema,
  EnvCredentialsSchema,
  FileCredentialsSchema,
  RateLimitConfigSchema,
  type CcxtVenueConfigInput,
  type CredentialsSource,
} from './ccxt-venue-config.schema.js';
export {
  CcxtExchangeFactory,
  PRECISION_MODE,
  type CcxtExchangeLike,
  type CcxtExchangeSettings,
  type CcxtMarket,
  type CcxtOrder,
  type CcxtTrade,
  type CcxtOrderBook,
  type CcxtTicker,
  type CcxtBalances,
  type CcxtParams,
} from './ccxt-exchange.js';
export { createCcxtExchange, applyUrlOverrides, EXCHANGE_DEFAULT_OPTIONS } from './create-ccxt-exchange.js';
export { mapCcxtError, errorClassNames, exchangeErrorCode, parseRetryAfter, type CcxtErrorContext, type CcxtOperation } from './map-ccxt-error.js';
export { redactSecrets, RedactingLogger, REDACTED } from './redact-secrets.js';
export { loadCredentials, type ApiCredentials } from './load-credentials.js';
export { toMarketInfo, precisionToIncrement } from './market-mapping.js';
export { toChildOrder, toFill, toBalances, isValidClientOrderId, CLIENT_ORDER_ID_PATTERN } from './order-mapping.js';
export { prepareOrder, type PreparedOrder } from './order-checks.js';
export type { OrderSyncStats } from './order-sync.js';
export type { SymbolFeedStats } from './symbol-feed.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/**
 * The plugin: binds `CcxtVenue` as a `Venue` (id `ccxt`) and `CcxtMarketDataSource`
 * as the `MarketDataSource` (unless one is bound already); config section `venue-ccxt`.
 */
const ccxtVenuePlugin = definePlugin<CcxtVenueConfig>({
  name: 'venue-ccxt',
  version: VERSION,
  description: 'Any ccxt exchange (REST + ccxt pro streams): exchange rules checked before sending, rate limits, safe retries, fills cross-checked by polling',
  configSchema: CcxtVenueConfigSchema,
  configToken: CcxtVenueConfig,
  module: ccxtVenueModule,
});
export default ccxtVenuePlugin;
