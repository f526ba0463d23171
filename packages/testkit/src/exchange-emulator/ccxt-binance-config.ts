import type { BinanceEmulator } from './start-binance-emulator.js';

/** The REST API groups of ccxt's `binance` class and the path each lives under. */
const REST_GROUPS: Record<string, string> = {
  public: '/api/v3', private: '/api/v3', v1: '/api/v1',
  sapi: '/sapi/v1', sapiV2: '/sapi/v2', sapiV3: '/sapi/v3', sapiV4: '/sapi/v4',
  fapiPublic: '/fapi/v1', fapiPublicV2: '/fapi/v2', fapiPublicV3: '/fapi/v3', fapiPrivate: '/fapi/v1',
  fapiPrivateV2: '/fapi/v2', fapiPrivateV3: '/fapi/v3', fapiData: '/futures/data',
  dapiPublic: '/dapi/v1', dapiPrivate: '/dapi/v1', dapiPrivateV2: '/dapi/v2', dapiData: '/futures/data',
  eapiPublic: '/eapi/v1', eapiPrivate: '/eapi/v1', papi: '/papi/v1', papiV2: '/papi/v2',
};

/**
 * The constructor config that points ccxt's `binance` (and `ccxt.pro.binance`) at an
 * emulator: every REST group and the spot websocket URLs overridden (nothing can reach
 * the internet), spot markets only, no margin or currency endpoints, market buys sent
 * as `quantity`. Non-TLS streams also need `await exchange.loadHttpProxyAgent()` first.
 */
export function ccxtBinanceConfig(emulator: Pick<BinanceEmulator, 'restUrl' | 'wsUrl' | 'wsApiUrl'>, credentials: { apiKey: string; secret: string }) {
  const api: Record<string, unknown> = {};
  for (const [group, path] of Object.entries(REST_GROUPS)) api[group] = emulator.restUrl + path;
  api['ws'] = { spot: emulator.wsUrl, margin: emulator.wsUrl, 'ws-api': { spot: emulator.wsApiUrl } };
  return {
    apiKey: credentials.apiKey,
    secret: credentials.secret,
    enableRateLimit: true,
    urls: { api },
    options: {
      defaultType: 'spot',
      fetchMarkets: { types: ['spot'] },
      fetchMargins: false,
      fetchCurrencies: false,
      createOrder: { quoteOrderQty: false },
    },
  };
}
