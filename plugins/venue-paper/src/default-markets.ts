import type { MarketInfo } from '@tranche/core';

/**
 * Market rules of the paper venue when the config names none: the two markets of the
 * bundled recordings, with Binance's real filters.
 *
 * Where the numbers come from (the recorded REST responses in
 * `shared/data/rest/cryptofeed_recorded_rest_responses.jsonl`, recorded by cryptofeed):
 * - BTC/USDT: spot `GET https://api.binance.com/api/v3/exchangeInfo` (recorded
 *   2021-10-12), symbol `BTCUSDT`: PRICE_FILTER tickSize 0.01, LOT_SIZE stepSize
 *   0.00001 / minQty 0.00001 / maxQty 9000, MIN_NOTIONAL minNotional 10. Fees: Binance's
 *   standard (VIP 0, no BNB discount) spot rate, 10 bps maker and taker.
 * - ETH/USDT: the bundled ETH data is the USDⓈ-M perpetual's book, so its rules are the
 *   perpetual's: `GET https://fapi.binance.com/fapi/v1/exchangeInfo` (recorded
 *   2021-07-22), symbol `ETHUSDT`: PRICE_FILTER tickSize 0.01, LOT_SIZE stepSize 0.001 /
 *   minQty 0.001 / maxQty 10000, MIN_NOTIONAL notional 5. Fees: Binance's standard
 *   USDⓈ-M futures rate, 2 bps maker and 5 bps taker.
 */
export const DEFAULT_PAPER_MARKETS: readonly MarketInfo[] = Object.freeze([
  Object.freeze({
    symbol: 'BTC/USDT',
    base: 'BTC',
    quote: 'USDT',
    tickSize: 0.01,
    stepSize: 0.00001,
    minQuantity: 0.00001,
    minNotional: 10,
    maxQuantity: 9000,
    makerFeeBps: 10,
    takerFeeBps: 10,
  }),
  Object.freeze({
    symbol: 'ETH/USDT',
    base: 'ETH',
    quote: 'USDT',
    tickSize: 0.01,
    stepSize: 0.001,
    minQuantity: 0.001,
    minNotional: 5,
    maxQuantity: 10000,
    makerFeeBps: 2,
    takerFeeBps: 5,
  }),
]);
