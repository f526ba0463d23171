import type { OrderSizeBucket } from '../quality/execution-quality.schema.js';

/** Added to each strategy's score for an urgent order (or one whose deadline is near), bps: slower tactics cost more. */
export const URGENT_ADJUSTMENT_BPS: Readonly<Record<string, number>> = { market: 0, adaptive: 2, twap: 6, vwap: 6, iceberg: 8, limit: 12 };

/**
 * Added by the order's share of market volume (its size bucket), bps: crossing the book
 * with a large share is dear, participation-capped and volume-following tactics (vwap,
 * iceberg) absorb size best.
 */
export const SIZE_ADJUSTMENT_BPS: Readonly<Record<OrderSizeBucket, Readonly<Record<string, number>>>> = {
  small: {},
  medium: { market: 2, limit: 1 },
  large: { market: 8, limit: 4, twap: 2, vwap: -1, iceberg: -1 },
  xlarge: { market: 20, limit: 8, twap: 4, adaptive: 1, vwap: -2, iceberg: -2 },
};

/** Extra for a large or xlarge order in an `illiquid` market, bps: passive with caps, never sweep a thin book. */
export const ILLIQUID_SIZE_ADJUSTMENT_BPS: Readonly<Record<string, number>> = { market: 10, twap: 3, adaptive: 2 };

/** A deadline closer than this counts as urgent (ms). */
export const NEAR_DEADLINE_MS = 120_000;

/** One trait's effect on one strategy's score. */
export interface TraitAdjustment {
  bps: number;
  reason: string;
}

/**
 * The size-related adjustments of `strategy` for an order in `bucket` in `marketState`
 * (the part the recorded size-bucket data can override).
 */
export function sizeAdjustments(strategy: string, bucket: OrderSizeBucket | null, marketState: string): TraitAdjustment[] {
  if (bucket === null) return [];
  const adjustments: TraitAdjustment[] = [];
  const size = SIZE_ADJUSTMENT_BPS[bucket][strategy] ?? 0;
  if (size !== 0) adjustments.push({ bps: size, reason: `${bucket} share of market volume ${signed(size)} bps` });
  if (marketState === 'illiquid' && (bucket === 'large' || bucket === 'xlarge')) {
    const illiquid = ILLIQUID_SIZE_ADJUSTMENT_BPS[strategy] ?? 0;
    if (illiquid !== 0) adjustments.push({ bps: illiquid, reason: `${bucket} order in an illiquid market ${signed(illiquid)} bps` });
  }
  return adjustments;
}

/** The urgency adjustment of `strategy`; `why` says what made the order urgent. */
export function urgencyAdjustment(strategy: string, why: string): TraitAdjustment | undefined {
  const bps = URGENT_ADJUSTMENT_BPS[strategy] ?? 0;
  return bps === 0 ? undefined : { bps, reason: `${why} ${signed(bps)} bps` };
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}
