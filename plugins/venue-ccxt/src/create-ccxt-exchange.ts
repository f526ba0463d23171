import * as ccxt from 'ccxt';
import { TrancheError } from '@tranche/core';
import type { CcxtExchangeLike, CcxtExchangeSettings } from './ccxt-exchange.js';

type ExchangeClass = new (config: Record<string, unknown>) => CcxtExchangeLike;

/**
 * Options Tranche sets per exchange before the user's `options` (which win). For
 * Binance spot: load spot markets only (no margin, futures or currency endpoints,
 * which need extra permissions and cost request weight), never turn a market buy into
 * `quoteOrderQty`, and allow `fetchOpenOrders()` without a symbol.
 */
export const EXCHANGE_DEFAULT_OPTIONS: Readonly<Record<string, Record<string, unknown>>> = {
  binance: {
    fetchMarkets: { types: ['spot'] },
    fetchMargins: false,
    fetchCurrencies: false,
    createOrder: { quoteOrderQty: false },
    fetchOpenOrders: { warnWithoutSymbol: false },
    warnOnFetchOpenOrdersWithoutSymbol: false,
    defaultType: 'spot',
  },
};

/**
 * The default `CcxtExchangeFactory`: `new ccxt.pro[id]` (REST + websocket) when ccxt
 * pro has the exchange, else `new ccxt[id]` (REST only), with the timeout, limiter,
 * options, credentials, sandbox mode and URL overrides applied. Non-TLS `ws://`
 * overrides get ccxt's HTTP agent loaded first (ccxt refuses them otherwise).
 */
export async function createCcxtExchange(settings: CcxtExchangeSettings): Promise<CcxtExchangeLike> {
  const pro = (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[settings.exchange];
  const rest = (ccxt as unknown as Record<string, ExchangeClass | undefined>)[settings.exchange];
  const ExchangeClass = pro ?? rest;
  if (!ExchangeClass || !Object.keys(ccxt.exchanges).includes(settings.exchange)) {
    throw new TrancheError('validation', `invalid config: venue-ccxt.exchange "${settings.exchange}" is not a ccxt exchange id`, {
      field: 'venue-ccxt.exchange',
      retryable: false,
    });
  }
  const exchange = new ExchangeClass({
    timeout: settings.timeoutMs,
    enableRateLimit: settings.rateLimit.enabled,
    ...(settings.rateLimit.intervalMs === undefined ? {} : { rateLimit: settings.rateLimit.intervalMs }),
    ...(settings.credentials.apiKey === undefined ? {} : { apiKey: settings.credentials.apiKey }),
    ...(settings.credentials.secret === undefined ? {} : { secret: settings.credentials.secret }),
    ...(settings.credentials.password === undefined ? {} : { password: settings.credentials.password }),
  });
  exchange.options = mergeOptions(mergeOptions(exchange.options ?? {}, EXCHANGE_DEFAULT_OPTIONS[settings.exchange] ?? {}), settings.options);
  if (settings.sandbox) exchange.setSandboxMode?.(true);
  applyUrlOverrides(exchange, settings.baseUrl, settings.wsUrl);
  if (settings.wsUrl?.startsWith('ws://')) await exchange.loadHttpProxyAgent?.();
  return exchange;
}

/** Replaces scheme, host and port of every REST URL (and, separately, every websocket URL) of `exchange.urls.api`. */
export function applyUrlOverrides(exchange: Pick<CcxtExchangeLike, 'urls'>, baseUrl?: string, wsUrl?: string): void {
  const api = exchange.urls?.['api'];
  if (api === undefined || (baseUrl === undefined && wsUrl === undefined)) return;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const target = /^wss?:/.test(value) ? wsUrl : /^https?:/.test(value) ? baseUrl : undefined;
      return target === undefined ? value : replaceOrigin(value, target);
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) copy[key] = rewrite(item);
      return copy;
    }
    return value;
  };
  exchange.urls!['api'] = rewrite(api);
}

/** `https://api.binance.com/api/v3` with `http://127.0.0.1:9000/x` → `http://127.0.0.1:9000/api/v3`: only the target's origin is used, the path is the exchange's. */
export function replaceOrigin(url: string, target: string): string {
  const originOf = (value: string): string => /^[a-z]+:\/\/[^/?#]+/i.exec(value)?.[0] ?? value;
  return originOf(target) + url.slice(originOf(url).length);
}

/** Deep merge of plain objects; arrays and other values of `override` replace. */
export function mergeOptions(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
