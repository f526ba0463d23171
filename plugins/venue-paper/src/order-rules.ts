import { TrancheError, roundToIncrement, type Logger, type MarketInfo, type VenueOrderRequest } from '@tranche/core';

/** Relative tolerance of the minimum-quantity, maximum-quantity and notional checks (float noise). */
const RELATIVE_TOLERANCE = 1e-9;

/**
 * The market's order rules as the paper venue enforces them (quantity bounds and step,
 * price tick, minimum notional); a breach is a `venue-rejected` error.
 */
export class OrderRules {
  /** @param log where rejections are reported (debug level). */
  constructor(private readonly log: Logger) {}

  /** The order's quantity on the market's step, or a rejection when it breaks a quantity rule. */
  checkQuantity(request: VenueOrderRequest, market: MarketInfo): number {
    const quantity = request.quantity;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw this.rejected(request, `quantity must be a positive number, got ${String(quantity)}`);
    if (quantity < market.minQuantity * (1 - RELATIVE_TOLERANCE)) throw this.rejected(request, `quantity ${quantity} is below the minimum ${market.minQuantity}`);
    if (!isOnGrid(quantity, market.stepSize)) throw this.rejected(request, `quantity ${quantity} is not a multiple of the step size ${market.stepSize}`);
    if (market.maxQuantity !== undefined && quantity > market.maxQuantity * (1 + RELATIVE_TOLERANCE)) {
      throw this.rejected(request, `quantity ${quantity} is above the maximum ${market.maxQuantity}`);
    }
    return roundToIncrement(quantity, market.stepSize);
  }

  /** A limit order's price on the market's tick, or a rejection when it is missing or off the tick. */
  checkPrice(request: VenueOrderRequest, market: MarketInfo): number {
    const price = request.price;
    if (price === undefined) throw this.rejected(request, 'a limit order needs a price');
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) throw this.rejected(request, `price must be a positive number, got ${String(price)}`);
    if (!isOnGrid(price, market.tickSize)) throw this.rejected(request, `price ${price} is not a multiple of the tick size ${market.tickSize}`);
    return roundToIncrement(price, market.tickSize);
  }

  /** Rejects an order worth less than the minimum notional at `referencePrice` (no check while that price is unknown). */
  checkNotional(request: VenueOrderRequest, market: MarketInfo, referencePrice: number, quantity: number): void {
    if (Number.isFinite(referencePrice) && referencePrice * quantity < market.minNotional * (1 - RELATIVE_TOLERANCE)) {
      throw this.rejected(request, `notional ${referencePrice * quantity} is below the minimum ${market.minNotional} ${market.quote}`);
    }
  }

  /** The `venue-rejected` error for `request`, logged at debug level. */
  rejected(request: VenueOrderRequest, reason: string): TrancheError {
    this.log.debug('order rejected', { clientOrderId: request.clientOrderId, reason });
    return new TrancheError('venue-rejected', `order ${request.clientOrderId} rejected: ${reason}`, { retryable: false });
  }
}

/**
 * True when `value` is a multiple of `increment` up to float noise. Compares in value
 * space, not as a ratio, so large multiples (9,000 BTC in steps of 0.00001) still pass.
 */
function isOnGrid(value: number, increment: number): boolean {
  return Math.abs(value - roundToIncrement(value, increment)) <= increment * 1e-6;
}
