import type { Liquidity, OrderSide } from '@tranche/core';

// The formulas of the quality monitor, as small pure functions (the README states each
// one). Prices in quote currency, quantities in base units, costs in basis points signed
// so that positive is worse for the trader; `null` where the inputs do not allow a value.

/** One fill as the formulas need it. */
export interface QualityFill {
  /** Data time of the fill (epoch ms). */
  ts: number;
  price: number;
  quantity: number;
  /** Fee in the quote currency (negative for a rebate); `null` when it could not be converted. */
  feeQuote: number | null;
  liquidity: Liquidity;
  /** Mid price of the book when the fill happened; `null` when one side was empty. */
  mid: number | null;
}

const BPS = 10_000;

/** +1 for a buy, −1 for a sell: multiplies a price difference so that positive is worse for the trader. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === 'buy' ? 1 : -1;
}

/** `sign × (price − reference) / reference × 10⁴`; `null` when either is unknown or the reference is not positive. */
export function signedBps(side: OrderSide, price: number | null, reference: number | null): number | null {
  if (price === null || reference === null || !Number.isFinite(price) || !(reference > 0)) return null;
  return (sideSign(side) * (price - reference) * BPS) / reference;
}

/** Sum of quantities. */
export function filledQuantity(fills: readonly QualityFill[]): number {
  return fills.reduce((sum, fill) => sum + fill.quantity, 0);
}

/** Sum of price × quantity (quote currency). */
export function filledNotional(fills: readonly QualityFill[]): number {
  return fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0);
}

/** Volume-weighted average fill price `Σ pᵢqᵢ / Σ qᵢ`; `null` without fills. */
export function averageFillPrice(fills: readonly QualityFill[]): number | null {
  const quantity = filledQuantity(fills);
  return quantity > 0 ? filledNotional(fills) / quantity : null;
}

/** Filled over requested, clamped to 0..1 (a fill beyond the request by rounding counts as 1). */
export function fillRate(filled: number, requested: number): number {
  if (!(requested > 0)) return 0;
  return Math.min(1, Math.max(0, filled / requested));
}

/** Implementation shortfall on the filled part: `sign × (average − arrival) / arrival × 10⁴`. */
export function implementationShortfallBps(side: OrderSide, averagePrice: number | null, arrivalPrice: number | null): number | null {
  return signedBps(side, averagePrice, arrivalPrice);
}

/** Slippage against the market VWAP of the window: `sign × (average − vwap) / vwap × 10⁴`. */
export function vwapSlippageBps(side: OrderSide, averagePrice: number | null, marketVwap: number | null): number | null {
  return signedBps(side, averagePrice, marketVwap);
}

/** Share of the filled quantity that provided liquidity: `Σ q(maker) / Σ q`; `null` without fills. */
export function makerShare(fills: readonly QualityFill[]): number | null {
  const quantity = filledQuantity(fills);
  if (!(quantity > 0)) return null;
  return fills.reduce((sum, fill) => sum + (fill.liquidity === 'maker' ? fill.quantity : 0), 0) / quantity;
}

/** Total fees in the quote currency `Σ feeᵢ` (fees that could not be converted are left out). */
export function totalFees(fills: readonly QualityFill[]): number {
  return fills.reduce((sum, fill) => sum + (fill.feeQuote ?? 0), 0);
}

/**
 * A fee in the quote currency: as is when paid in quote, `fee × price` when paid in the
 * base asset; `null` for any other asset (no price for it here).
 */
export function feeInQuote(fee: number, feeCurrency: string, price: number, market: { base: string; quote: string }): number | null {
  if (feeCurrency === market.quote) return fee;
  if (feeCurrency === market.base) return fee * price;
  return null;
}

/** Fees over the filled notional, `fees / Σ pᵢqᵢ × 10⁴`; `null` without fills. */
export function feeBps(fees: number, notional: number): number | null {
  return notional > 0 ? (fees * BPS) / notional : null;
}

/**
 * Half-spread paid at the fills: each fill's signed distance from the mid then,
 * `sign × (pᵢ − midᵢ) / midᵢ × 10⁴`, weighted by quantity over the fills whose mid was
 * known. Negative when passive fills earned the spread. `null` when no fill had a mid.
 */
export function spreadCostBps(side: OrderSide, fills: readonly QualityFill[]): number | null {
  let weighted = 0;
  let quantity = 0;
  for (const fill of fills) {
    const bps = signedBps(side, fill.price, fill.mid);
    if (bps === null) continue;
    weighted += bps * fill.quantity;
    quantity += fill.quantity;
  }
  return quantity > 0 ? weighted / quantity : null;
}

/** What the half-spread does not explain of the shortfall (impact and drift): `shortfall − spread`. */
export function impactCostBps(shortfallBps: number | null, spreadBps: number | null): number | null {
  return shortfallBps === null || spreadBps === null ? null : shortfallBps - spreadBps;
}

/**
 * Total cost `fee + spread + impact`, which is `feeBps + shortfall` by construction
 * (so it is known whenever those two are, even if no fill had a mid).
 */
export function totalCostBps(feesBps: number | null, shortfallBps: number | null): number | null {
  return feesBps === null || shortfallBps === null ? null : feesBps + shortfallBps;
}

/** Our filled quantity over the market volume of the window; `null` when no market volume was seen. */
export function participationRate(filled: number, marketVolume: number | null): number | null {
  return marketVolume !== null && marketVolume > 0 ? filled / marketVolume : null;
}

/**
 * Markout: `sign × (mid after − average) / average × 10⁴`. Positive when the price moved
 * on in the direction of the trade afterwards (a buy that the market then bid up);
 * negative is adverse selection.
 */
export function markoutBps(side: OrderSide, averagePrice: number | null, midAfter: number | null): number | null {
  if (averagePrice === null || midAfter === null || !(averagePrice > 0) || !Number.isFinite(midAfter)) return null;
  return (sideSign(side) * (midAfter - averagePrice) * BPS) / averagePrice;
}

/**
 * The market volume an order's size is measured against (for `orderSizeBucket`): the
 * volume of the execution window when it lasted at least `horizonMs`; otherwise the
 * volume of the `horizonMs` before its end (the minute before an instant order). When
 * the data seen covers only `observedMs < horizonMs` of that look-back, the volume is
 * scaled up to the horizon; `null` when nothing of it was observed.
 */
export function sizeReferenceVolume(input: {
  windowMs: number;
  windowVolume: number | null;
  horizonMs: number;
  lookbackVolume: number;
  observedMs: number;
}): number | null {
  if (input.windowMs >= input.horizonMs) return input.windowVolume;
  if (!(input.observedMs > 0)) return null;
  return (input.lookbackVolume * input.horizonMs) / Math.min(input.horizonMs, input.observedMs);
}

/** Arithmetic mean; `null` for no values. */
export function sampleMean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * The `q`-quantile by linear interpolation between order statistics (the common
 * "type 7" definition: `h = (n − 1)q`, `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`); `null` for no values.
 */
export function sampleQuantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}
