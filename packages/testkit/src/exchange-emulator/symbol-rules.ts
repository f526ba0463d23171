import type { BinanceSymbolInfo } from './binance-fixtures.js';

/** A Binance error: code and message exactly as the exchange sends them. */
export interface BinanceApiError {
  code: number;
  msg: string;
}

/** The trading rules of one symbol, read from its `exchangeInfo` filters. */
export interface SymbolRules {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  orderTypes: readonly string[];
  minPrice: number;
  maxPrice: number;
  tickSize: number;
  minQty: number;
  maxQty: number;
  stepSize: number;
  marketMaxQty: number;
  /** `MIN_NOTIONAL` (2021 format) or `NOTIONAL` (current format). */
  notionalFilter: 'MIN_NOTIONAL' | 'NOTIONAL' | undefined;
  minNotional: number;
  maxNotional: number;
  applyMinToMarket: boolean;
}

const num = (value: unknown, fallback: number): number => {
  const parsed = Number(value);
  return value === undefined || Number.isNaN(parsed) ? fallback : parsed;
};

/** Reads the filters of an `exchangeInfo` symbol. */
export function symbolRules(info: BinanceSymbolInfo): SymbolRules {
  const filter = (type: string) => info.filters.find((f) => f.filterType === type);
  const price = filter('PRICE_FILTER');
  const lot = filter('LOT_SIZE');
  const marketLot = filter('MARKET_LOT_SIZE');
  const minNotional = filter('MIN_NOTIONAL');
  const notional = filter('NOTIONAL');
  const marketMax = num(marketLot?.['maxQty'], 0);
  return {
    symbol: info.symbol,
    baseAsset: info.baseAsset,
    quoteAsset: info.quoteAsset,
    orderTypes: info.orderTypes,
    minPrice: num(price?.['minPrice'], 0),
    maxPrice: num(price?.['maxPrice'], 0),
    tickSize: num(price?.['tickSize'], 0),
    minQty: num(lot?.['minQty'], 0),
    maxQty: num(lot?.['maxQty'], 0),
    stepSize: num(lot?.['stepSize'], 0),
    marketMaxQty: marketMax > 0 ? marketMax : num(lot?.['maxQty'], 0),
    notionalFilter: notional ? 'NOTIONAL' : minNotional ? 'MIN_NOTIONAL' : undefined,
    minNotional: num((notional ?? minNotional)?.['minNotional'], 0),
    maxNotional: num(notional?.['maxNotional'], 0),
    applyMinToMarket: Boolean((notional ?? minNotional)?.['applyMinToMarket'] ?? minNotional?.['applyToMarket'] ?? true),
  };
}

/** Whether `value` is a whole number of `step`s above `origin` (0 step: anything goes). */
export function onStep(value: number, step: number, origin = 0): boolean {
  if (step <= 0) return true;
  const steps = (value - origin) / step;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

/** Rounds to 8 decimals, Binance's precision for amounts. */
export function round8(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** Rounds down to a whole number of steps. */
export function floorToStep(value: number, step: number): number {
  if (step <= 0) return round8(value);
  return round8(Math.floor(round8(value / step) + 1e-9) * step);
}

const filterFailure = (name: string): BinanceApiError => ({ code: -1013, msg: `Filter failure: ${name}` });

/** Binance's PRICE_FILTER check of a limit price. */
export function checkPrice(rules: SymbolRules, price: number): BinanceApiError | undefined {
  if (price <= 0) return { code: -1013, msg: 'Invalid price.' };
  if (rules.minPrice > 0 && price < rules.minPrice) return filterFailure('PRICE_FILTER');
  if (rules.maxPrice > 0 && price > rules.maxPrice) return filterFailure('PRICE_FILTER');
  if (!onStep(price, rules.tickSize, rules.minPrice)) return filterFailure('PRICE_FILTER');
  return undefined;
}

/** Binance's LOT_SIZE (or MARKET_LOT_SIZE) check of a quantity. */
export function checkQuantity(rules: SymbolRules, quantity: number, market: boolean): BinanceApiError | undefined {
  if (quantity <= 0) return { code: -1013, msg: 'Invalid quantity.' };
  if (quantity < rules.minQty || (rules.maxQty > 0 && quantity > rules.maxQty)) return filterFailure('LOT_SIZE');
  if (!onStep(quantity, rules.stepSize, rules.minQty)) return filterFailure('LOT_SIZE');
  if (market && rules.marketMaxQty > 0 && quantity > rules.marketMaxQty) return filterFailure('MARKET_LOT_SIZE');
  return undefined;
}

/** Binance's MIN_NOTIONAL / NOTIONAL check (`price` is the limit, or the reference price of a market order). */
export function checkNotional(rules: SymbolRules, price: number, quantity: number, market: boolean): BinanceApiError | undefined {
  if (rules.notionalFilter === undefined) return undefined;
  if (market && !rules.applyMinToMarket) return undefined;
  const notional = price * quantity;
  if (notional < rules.minNotional - 1e-9) return filterFailure(rules.notionalFilter);
  if (rules.maxNotional > 0 && notional > rules.maxNotional) return filterFailure(rules.notionalFilter);
  return undefined;
}
