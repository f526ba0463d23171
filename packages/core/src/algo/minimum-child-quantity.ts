import type { MarketInfo } from '../model/market.schema.js';
import { ceilToIncrement } from '../util/rounding.js';

/** Margin over the venue's minimum notional, so a price move between decision and arrival does not make a child too small. */
const MIN_NOTIONAL_MARGIN = 1.05;

/**
 * The smallest child order worth sending at `referencePrice`: at least one step, the
 * venue's minimum quantity, and its minimum notional (plus a 5% margin), rounded up to
 * the step. Slices smaller than this are merged into the next one, never sent.
 */
export function minimumChildQuantity(market: MarketInfo, referencePrice: number): number {
  const byNotional = Number.isFinite(referencePrice) && referencePrice > 0 ? (market.minNotional * MIN_NOTIONAL_MARGIN) / referencePrice : 0;
  return ceilToIncrement(Math.max(market.stepSize, market.minQuantity, byNotional), market.stepSize);
}
