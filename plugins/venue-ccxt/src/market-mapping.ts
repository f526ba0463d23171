import { TrancheError, type BookLevel, type BookSnapshotEvent, type MarketInfo, type TickerEvent, type TradeEvent } from '@tranche/core';
import { payloadNumber, payloadText } from './payload-checks.js';
import { PRECISION_MODE, type CcxtMarket, type CcxtOrderBook, type CcxtTicker, type CcxtTrade } from './ccxt-exchange.js';

/** Fallback increment when an exchange states no precision at all. */
const DEFAULT_INCREMENT = 1e-8;

/** A ccxt precision as an increment: a tick size as is, decimal places as 10^-n. */
export function precisionToIncrement(precision: number | undefined, precisionMode: number | undefined): number {
  if (precision === undefined || precision === null || !Number.isFinite(precision) || precision <= 0) {
    return precision === 0 && precisionMode === PRECISION_MODE.DECIMAL_PLACES ? 1 : DEFAULT_INCREMENT;
  }
  if (precisionMode === PRECISION_MODE.DECIMAL_PLACES || (precisionMode === undefined && Number.isInteger(precision) && precision >= 1)) {
    return Number((10 ** -precision).toPrecision(12));
  }
  // SIGNIFICANT_DIGITS has no fixed increment; the smallest plausible one keeps checks permissive.
  if (precisionMode === PRECISION_MODE.SIGNIFICANT_DIGITS) return DEFAULT_INCREMENT;
  return precision;
}

/**
 * A ccxt market as Tranche `MarketInfo`: tick and step from `precision`, minimum
 * quantity and notional from `limits`, maker and taker fees in basis points. A
 * malformed symbol, precision or limit (NaN, a string, negative) is a
 * `venue-unavailable` `TrancheError` naming the field and value.
 */
export function toMarketInfo(market: CcxtMarket, precisionMode: number | undefined): MarketInfo {
  // A malformed market is an error naming the field (the connection skips that market with a warning), never a made-up increment.
  const what = `market ${String(market.symbol)}`;
  for (const field of ['symbol', 'base', 'quote'] as const) {
    if (!payloadText(market[field], field, what)) throw new TrancheError('venue-unavailable', `malformed ${what} from the exchange: ${field} is missing`, { field, retryable: true });
  }
  const pricePrecision = payloadNumber(market.precision?.price, 'precision.price', what);
  const amountPrecision = payloadNumber(market.precision?.amount, 'precision.amount', what);
  payloadNumber(market.limits?.amount?.min, 'limits.amount.min', what);
  payloadNumber(market.limits?.cost?.min, 'limits.cost.min', what);
  payloadNumber(market.limits?.amount?.max, 'limits.amount.max', what);
  const stepSize = precisionToIncrement(amountPrecision, precisionMode);
  const maxQuantity = market.limits?.amount?.max;
  return {
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    tickSize: precisionToIncrement(pricePrecision, precisionMode),
    stepSize,
    minQuantity: positiveOr(market.limits?.amount?.min, 0),
    minNotional: positiveOr(market.limits?.cost?.min, 0),
    ...(maxQuantity !== undefined && maxQuantity !== null && maxQuantity > 0 ? { maxQuantity } : {}),
    makerFeeBps: feeBps(market.maker),
    takerFeeBps: feeBps(market.taker),
  };
}

/** A ccxt order book as a Tranche snapshot (at most `depth` levels a side). */
export function toBookSnapshot(symbol: string, book: CcxtOrderBook, depth: number, now: number, fallbackSequence: number): BookSnapshotEvent {
  return {
    type: 'book-snapshot',
    symbol,
    ts: timestampOr(book.timestamp, now),
    sequence: sequenceOf(book.nonce, fallbackSequence),
    bids: levels(book.bids, depth),
    asks: levels(book.asks, depth),
  };
}

/** A ccxt ticker as a Tranche ticker event. */
export function toTickerEvent(symbol: string, ticker: CcxtTicker, now: number): TickerEvent {
  return {
    type: 'ticker',
    symbol,
    ts: timestampOr(ticker.timestamp, now),
    bid: finiteOr(ticker.bid, 0),
    bidQuantity: Math.max(0, finiteOr(ticker.bidVolume, 0)),
    ask: finiteOr(ticker.ask, 0),
    askQuantity: Math.max(0, finiteOr(ticker.askVolume, 0)),
    ...(ticker.last === undefined || ticker.last === null || !Number.isFinite(ticker.last) ? {} : { last: ticker.last }),
  };
}

/** A ccxt public trade as a Tranche trade event; `undefined` for a trade without price or amount. */
export function toTradeEvent(symbol: string, trade: CcxtTrade, now: number): TradeEvent | undefined {
  const price = trade.price;
  const quantity = trade.amount;
  if (price === undefined || !(price > 0) || quantity === undefined || !(quantity > 0)) return undefined;
  return {
    type: 'trade',
    symbol,
    ts: timestampOr(trade.timestamp, now),
    price,
    quantity,
    takerSide: trade.side === 'sell' ? 'sell' : 'buy',
    tradeId: String(trade.id ?? `${trade.timestamp ?? now}-${trade.price}-${trade.amount}`),
  };
}

/** A book's levels as Tranche levels, best first, at most `depth`, without empty or malformed ones. */
export function levels(side: readonly unknown[] | undefined, depth: number): BookLevel[] {
  const result: BookLevel[] = [];
  for (const level of side ?? []) {
    if (result.length >= depth) break;
    const [price, quantity] = level as [number, number];
    if (Number.isFinite(price) && Number.isFinite(quantity) && quantity > 0) result.push([price, quantity]);
  }
  return result;
}

/** A venue sequence number from a ccxt nonce, or the fallback. */
export function sequenceOf(nonce: unknown, fallback: number): number {
  const value = typeof nonce === 'string' ? Number(nonce) : nonce;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}

/** A fee rate (0.001) in basis points (10), 0 when unknown. */
function feeBps(rate: number | undefined): number {
  return rate === undefined || rate === null || !Number.isFinite(rate) ? 0 : Number((rate * 10_000).toPrecision(12));
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value === undefined || value === null || !Number.isFinite(value) || value < 0 ? fallback : value;
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value === undefined || value === null || !Number.isFinite(value) ? fallback : value;
}

/** An exchange timestamp, or `now` when the exchange gave none. */
export function timestampOr(value: number | undefined, now: number): number {
  return value === undefined || value === null || !Number.isFinite(value) || value < 0 ? Math.floor(now) : Math.floor(value);
}
