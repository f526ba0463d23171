import { TrancheError, type MarketInfo, type VenueOrderRequest } from '@tranche/core';
import type { CcxtExchangeLike } from './ccxt-exchange.js';
import { isValidClientOrderId } from './order-mapping.js';

/** Relative tolerance of the quantity and notional bounds (float noise). */
const RELATIVE_TOLERANCE = 1e-9;

/** What `createOrder` is called with once an order passed the checks. */
export interface PreparedOrder {
  /** Amount after `amountToPrecision`. */
  amount: number;
  /** Price after `priceToPrecision`; never set for a market order (no `quoteOrderQty` conversion). */
  price?: number;
  /** ccxt params: `clientOrderId`, and `timeInForce` or `postOnly`. */
  params: Record<string, unknown>;
}

/** A `venue-rejected` error for a request, naming the rule it breaks; nothing was sent. */
export function rejection(request: VenueOrderRequest, rule: string, reason: string): TrancheError {
  return new TrancheError('venue-rejected', `order ${request.clientOrderId} rejected before sending (${rule}): ${reason}`, { retryable: false });
}

/**
 * Checks an order against the market's rules before anything is sent (client id,
 * quantity bounds and step, price tick, post-only on a market order, minimum
 * notional) and prepares ccxt's arguments: amount and price through
 * `amountToPrecision` / `priceToPrecision`, the client id as `clientOrderId`,
 * post-only (`GTX`) as ccxt's `postOnly` (Binance spot `LIMIT_MAKER`), `IOC` / `FOK`
 * as `timeInForce`. A market order is sent without a price, so it is never turned into
 * a `quoteOrderQty` order. The min-notional check of a market order uses
 * `referencePrice` (the last price seen) and is skipped while none is known.
 */
export function prepareOrder(exchange: CcxtExchangeLike, request: VenueOrderRequest, market: MarketInfo, referencePrice: number | undefined): PreparedOrder {
  if (!isValidClientOrderId(request.clientOrderId)) {
    throw rejection(request, 'client id', `client order id "${request.clientOrderId}" must be 1-36 characters of letters, digits and . : / _ -`);
  }
  const quantity = request.quantity;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw rejection(request, 'LOT_SIZE', `quantity must be a positive number, got ${String(quantity)}`);
  if (quantity < market.minQuantity * (1 - RELATIVE_TOLERANCE)) {
    throw rejection(request, 'LOT_SIZE', `quantity ${quantity} is below the minimum quantity ${market.minQuantity} of ${market.symbol}`);
  }
  if (market.maxQuantity !== undefined && quantity > market.maxQuantity * (1 + RELATIVE_TOLERANCE)) {
    throw rejection(request, 'LOT_SIZE', `quantity ${quantity} is above the maximum quantity ${market.maxQuantity} of ${market.symbol}`);
  }
  const amount = roundedBy(() => exchange.amountToPrecision(request.symbol, quantity));
  if (amount === undefined || amount <= 0) throw rejection(request, 'LOT_SIZE', `quantity ${quantity} is below the step size ${market.stepSize} of ${market.symbol}`);
  if (Math.abs(amount - quantity) > market.stepSize * 1e-6) {
    throw rejection(request, 'LOT_SIZE', `quantity ${quantity} is not a multiple of the step size ${market.stepSize} of ${market.symbol}`);
  }
  let price: number | undefined;
  if (request.type === 'limit') {
    const requested = request.price;
    if (requested === undefined || !Number.isFinite(requested) || requested <= 0) throw rejection(request, 'PRICE_FILTER', `a limit order needs a positive price, got ${String(requested)}`);
    price = roundedBy(() => exchange.priceToPrecision(request.symbol, requested));
    if (price === undefined || price <= 0 || Math.abs(price - requested) > market.tickSize * 1e-6) {
      throw rejection(request, 'PRICE_FILTER', `price ${requested} is not a multiple of the tick size ${market.tickSize} of ${market.symbol}`);
    }
  } else if (request.timeInForce === 'GTX') {
    throw rejection(request, 'post-only', 'a market order cannot be post-only (GTX)');
  }
  const notionalPrice = price ?? referencePrice;
  if (notionalPrice !== undefined && market.minNotional > 0 && notionalPrice * amount < market.minNotional * (1 - RELATIVE_TOLERANCE)) {
    throw rejection(
      request,
      'NOTIONAL',
      `order value ${formatValue(notionalPrice * amount)} ${market.quote} is below the minimum notional ${market.minNotional} ${market.quote} of ${market.symbol}` +
        (price === undefined ? ` (at the last price ${notionalPrice})` : ''),
    );
  }
  const params: Record<string, unknown> = { clientOrderId: request.clientOrderId };
  if (request.type === 'limit') {
    if (request.timeInForce === 'GTX') params['postOnly'] = true;
    else params['timeInForce'] = request.timeInForce;
  }
  return { amount, ...(price === undefined ? {} : { price }), params };
}

/** A ccxt precision string as a number, `undefined` when ccxt refuses the value (below the precision). */
function roundedBy(format: () => string): number | undefined {
  try {
    const value = Number(format());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function formatValue(value: number): string {
  return Number(value.toPrecision(10)).toString();
}
