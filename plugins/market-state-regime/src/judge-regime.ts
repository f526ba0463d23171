import { MarketFeature as F, type MarketFeatures, type MarketStateClassification } from '@tranche/core';
import type { RegimeThresholds } from './regime-config.schema.js';

/** What is normal for the window being judged (`NaN` = unknown), already adjusted for the time of day. */
export interface RegimeBaseline {
  /** Percent per √day. */
  realizedVolatilityPct: number;
  volumePerMinute: number;
  quoteVolumePerMinute: number;
  tradesPerMinute: number;
  zeroVolumeShare: number;
  spreadBps: number;
  topDepthQuote: number;
  /** Mean intraday variance multiplier over the window (1 = none). */
  volatilitySeasonality: number;
  /** Mean intraday volume multiplier over the window (1 = none). */
  volumeSeasonality: number;
}

/** Names of the features `judgeRegime` adds to its verdict. */
export const RegimeFeature = {
  /** Window volatility ÷ baseline volatility, after shrinking the window towards the baseline by `priorMinutes`. */
  volatilityRatio: 'volatilityRatio',
  /** Window log return in baseline standard deviations over the window's length. */
  moveSigmas: 'moveSigmas',
  /** Window log return in the (shrunk) window volatility's standard deviations. */
  shrunkDriftTStat: 'shrunkDriftTStat',
  /** Zero-volume share, shrunk towards the baseline's. */
  shrunkZeroVolumeShare: 'shrunkZeroVolumeShare',
  /** Volume per minute ÷ baseline (quote volume when both are known), shrunk towards 1. */
  volumeRatio: 'volumeRatio',
  /** Spread ÷ baseline spread. */
  spreadRatio: 'spreadRatio',
  /** Near-touch depth ÷ baseline depth. */
  depthRatio: 'depthRatio',
  /** The baseline volatility the window was judged against (percent per √day, seasonality included). */
  referenceVolatilityPct: 'referenceVolatilityPct',
} as const;

/**
 * The regime rules. Ratios to the baseline decide; the first that holds wins:
 * 1. `illiquid`: zero-volume share ≥ `illiquidZeroVolumeShare`, or volume ≤
 *    `illiquidVolumeRatio` × baseline, or spread ≥ `illiquidSpreadRatio` × baseline, or
 *    depth ≤ `illiquidDepthRatio` × baseline;
 * 2. `volatile`: volatility ≥ `volatileRatio` × baseline;
 * 3. `trending`: |move| ≥ `trendMoveSigmas` baseline deviations and drift t ≥ `trendDriftTStat`;
 * 4. `ranging`: volatility ≤ `rangingRatio` × baseline;
 * 5. `normal` otherwise.
 * Window statistics are shrunk towards the baseline as if the baseline had been seen
 * for `priorMinutes` (a Bayesian prior): an hour of data weighs as much as the prior,
 * a day of data dominates it, so a short or early window needs stronger evidence.
 * Confidence is `0.5 + 0.5·tanh(margin)`, the margin being how far the deciding
 * statistic is past its threshold (log2 of a ratio, or t units); for `normal`, how
 * far the nearest rule is from firing.
 */
export function judgeRegime(features: MarketFeatures, baseline: RegimeBaseline, thresholds: RegimeThresholds, priorMinutes: number): MarketStateClassification {
  const minutes = features[F.windowMinutes] ?? Number.NaN;
  const bars = features[F.barCount] ?? 0;
  if (!(bars > 0) || !(minutes > 0)) return { state: 'normal', confidence: 0, features };
  const barMinutes = minutes / bars;
  const logReturn = features[F.logReturn] ?? 0;
  const windowVolatility = features[F.realizedVolatilityPct] ?? Number.NaN;
  const squares = ((windowVolatility / 100) ** 2 * minutes) / 1440;

  const referenceVolatility = baseline.realizedVolatilityPct * Math.sqrt(baseline.volatilitySeasonality);
  const baselineVariancePerMinute = (referenceVolatility / 100) ** 2 / 1440;
  const known = baselineVariancePerMinute > 0;
  const shrunkVariancePerMinute = known ? (squares + priorMinutes * baselineVariancePerMinute) / (minutes + priorMinutes) : squares / minutes;
  const volatilityRatio = known ? Math.sqrt(shrunkVariancePerMinute / baselineVariancePerMinute) : Number.NaN;
  const moveSigmas = known ? logReturn / Math.sqrt(baselineVariancePerMinute * minutes) : Number.NaN;
  const shrunkDrift = shrunkVariancePerMinute > 0 ? logReturn / Math.sqrt(shrunkVariancePerMinute * minutes) : 0;

  const priorBars = priorMinutes / barMinutes;
  const zeroShare = features[F.zeroVolumeShare] ?? Number.NaN;
  const baselineZero = Number.isFinite(baseline.zeroVolumeShare) ? baseline.zeroVolumeShare : 0;
  const shrunkZero = Number.isNaN(zeroShare) ? Number.NaN : (zeroShare * bars + baselineZero * priorBars) / (bars + priorBars);

  const volumeRatio = shrunkRatio(features, baseline, minutes, priorMinutes);
  const spreadRatio = (features[F.spreadBps] ?? Number.NaN) / baseline.spreadBps;
  const depthRatio = (features[F.topDepthQuote] ?? Number.NaN) / baseline.topDepthQuote;

  const margins = {
    illiquid: maxKnown([
      log2(shrunkZero / thresholds.illiquidZeroVolumeShare),
      log2(thresholds.illiquidVolumeRatio / volumeRatio),
      log2(spreadRatio / thresholds.illiquidSpreadRatio),
      log2(thresholds.illiquidDepthRatio / depthRatio),
    ]),
    volatile: log2(volatilityRatio / thresholds.volatileRatio),
    // Without a volatility baseline, the window's own drift t-statistic must carry the trend alone.
    trending: known
      ? Math.min(Math.abs(moveSigmas) - thresholds.trendMoveSigmas, Math.abs(shrunkDrift) - thresholds.trendDriftTStat)
      : Math.abs(features[F.driftTStat] ?? 0) - thresholds.trendMoveSigmas,
    ranging: log2(thresholds.rangingRatio / volatilityRatio),
  };
  const order = ['illiquid', 'volatile', 'trending', 'ranging'] as const;
  let state = 'normal';
  let margin = -maxKnown(order.map((name) => margins[name]));
  if (Number.isNaN(margin)) margin = 0;
  for (const name of order) {
    if (margins[name] >= 0) {
      state = name;
      margin = margins[name];
      break;
    }
  }
  return {
    state,
    confidence: 0.5 + 0.5 * Math.tanh(margin),
    features: {
      ...features,
      [RegimeFeature.volatilityRatio]: volatilityRatio,
      [RegimeFeature.moveSigmas]: moveSigmas,
      [RegimeFeature.shrunkDriftTStat]: shrunkDrift,
      [RegimeFeature.shrunkZeroVolumeShare]: shrunkZero,
      [RegimeFeature.volumeRatio]: volumeRatio,
      [RegimeFeature.spreadRatio]: spreadRatio,
      [RegimeFeature.depthRatio]: depthRatio,
      [RegimeFeature.referenceVolatilityPct]: referenceVolatility,
    },
  };
}

/** Volume per minute ÷ seasonal baseline, shrunk towards 1 by `priorMinutes`; quote volume preferred, then base, then trades. */
function shrunkRatio(features: MarketFeatures, baseline: RegimeBaseline, minutes: number, priorMinutes: number): number {
  const pairs: [number, number][] = [
    [features[F.quoteVolumePerMinute] ?? Number.NaN, baseline.quoteVolumePerMinute],
    [features[F.volumePerMinute] ?? Number.NaN, baseline.volumePerMinute],
    [features[F.tradesPerMinute] ?? Number.NaN, baseline.tradesPerMinute],
  ];
  for (const [observed, base] of pairs) {
    if (!Number.isFinite(observed) || !(base > 0)) continue;
    const expected = base * baseline.volumeSeasonality;
    return (observed * minutes + expected * priorMinutes) / (minutes + priorMinutes) / expected;
  }
  return Number.NaN;
}

function log2(value: number): number {
  if (Number.isNaN(value)) return Number.NaN;
  if (value <= 0) return Number.NEGATIVE_INFINITY;
  return Math.log2(value);
}

/** Largest non-NaN value (`NaN` when all are). */
function maxKnown(values: readonly number[]): number {
  let best = Number.NaN;
  for (const value of values) if (!Number.isNaN(value) && (Number.isNaN(best) || value > best)) best = value;
  return best;
}
