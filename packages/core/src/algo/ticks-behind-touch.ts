import type { OrderSide } from '../model/common.schema.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/**
 * How many ticks a resting order's price is behind the price it would get now (for a
 * buy: how far the bid moved up above it; for a sell: how far the ask moved down below
 * it). Positive means the market moved away; zero or negative means it is still at or
 * ahead of the touch.
 */
export function ticksBehindTouch(side: OrderSide, restingPrice: number, touchPrice: number, tickSize: number): number {
  const behind = side === 'buy' ? touchPrice - restingPrice : restingPrice - touchPrice;
  return toFixedNumber(behind / tickSize, 6);
}
