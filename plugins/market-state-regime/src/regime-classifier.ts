import { inject, injectable } from 'inversify';
import {
  MarketFeature as F,
  SEED_MARKET_STATES,
  type MarketFeatures,
  type MarketStateClassification,
  type MarketStateClassifier,
  type MarketStateContext,
} from '@tranche/core';
import { BaselineProfileIndex } from './baseline-profile-index.js';
import { BaselineProfileSchema } from './baseline-profile.schema.js';
import { bundledProfilePath, loadProfileFile } from './bundled-profiles.js';
import { judgeRegime, type RegimeBaseline } from './judge-regime.js';
import { RegimeConfig } from './regime-config.schema.js';

/**
 * The default market-state classifier (id `regime`): judges rolling-window features
 * against the symbol's baseline profile (the era's trailing medians and intraday
 * seasonality, blended with the run's own daily medians once the run is long enough)
 * and emits one of the five seed states with a confidence from the margin. Stateless
 * per call: the same features and symbol always give the same verdict.
 */
@injectable()
export class RegimeClassifier implements MarketStateClassifier {
  readonly id = 'regime';
  readonly states: readonly string[] = SEED_MARKET_STATES;
  private readonly indexes = new Map<string, BaselineProfileIndex | null>();

  constructor(@inject(RegimeConfig) private readonly config: RegimeConfig) {}

  /** Loads and validates every configured profile now, so a bad path fails at start-up, not mid-run. */
  async initialize(): Promise<void> {
    for (const symbol of Object.keys(this.config.profiles)) this.profileFor(symbol);
  }

  /** Classifies one window of features of `context.symbol` (default: `defaultSymbol`). */
  classify(features: MarketFeatures, context?: MarketStateContext): MarketStateClassification {
    const symbol = context?.symbol ?? this.config.defaultSymbol;
    return judgeRegime(features, this.baselineFor(symbol, features), this.config.thresholds, this.config.priorMinutes);
  }

  /** The profile used for a symbol, if any (configured, else bundled). */
  profileFor(symbol: string): BaselineProfileIndex | undefined {
    let index = this.indexes.get(symbol);
    if (index === undefined) {
      const configured = this.config.profiles[symbol];
      const path = configured === undefined && this.config.bundledProfiles ? bundledProfilePath(symbol) : undefined;
      const profile =
        typeof configured === 'string' ? loadProfileFile(configured) : configured !== undefined ? BaselineProfileSchema.parse(configured) : path ? loadProfileFile(path) : undefined;
      index = profile ? new BaselineProfileIndex(profile) : null;
      this.indexes.set(symbol, index);
    }
    return index ?? undefined;
  }

  /**
   * The baseline for a window: the profile's period at the window's end, geometric-blended
   * with the run's own daily medians (weight `days / (days + profileWeightDays)` once
   * `minDays` are complete; the run alone when there is no profile), times the
   * profile's hour-of-day multipliers averaged over the window.
   */
  baselineFor(symbol: string, features: MarketFeatures): RegimeBaseline {
    const index = this.profileFor(symbol);
    const end = features[F.windowEndMs] ?? Number.NaN;
    const start = features[F.windowStartMs] ?? Number.NaN;
    const period = index && Number.isFinite(end) ? index.periodAt(end) : undefined;
    const seasonal = index && Number.isFinite(start) && Number.isFinite(end) ? index.seasonalFactors(start, end) : { volatility: 1, volume: 1 };
    const adapt = this.config.adapt;
    const runDays = features[F.baselineDays] ?? 0;
    const runWeight = !adapt.enabled || runDays <= 0 ? 0 : !period ? 1 : runDays >= adapt.minDays ? runDays / (runDays + adapt.profileWeightDays) : 0;
    const blend = (profileValue: number | undefined, runValue: number | undefined, linear = false): number => {
      const fromProfile = profileValue ?? Number.NaN;
      const fromRun = runValue ?? Number.NaN;
      if (runWeight === 0 || !Number.isFinite(fromRun)) return fromProfile;
      if (!Number.isFinite(fromProfile)) return fromRun;
      if (linear || fromProfile <= 0 || fromRun <= 0) return (1 - runWeight) * fromProfile + runWeight * fromRun;
      return Math.exp((1 - runWeight) * Math.log(fromProfile) + runWeight * Math.log(fromRun));
    };
    return {
      realizedVolatilityPct: blend(period?.realizedVolatilityPct, features[F.baselineRealizedVolatilityPct]),
      volumePerMinute: blend(period?.volumePerMinute, features[F.baselineVolumePerMinute]),
      quoteVolumePerMinute: blend(period?.quoteVolumePerMinute, features[F.baselineQuoteVolumePerMinute]),
      tradesPerMinute: blend(period?.tradesPerMinute, features[F.baselineTradesPerMinute]),
      zeroVolumeShare: blend(period?.zeroVolumeShare, features[F.baselineZeroVolumeShare], true),
      spreadBps: blend(period?.spreadBps, features[F.baselineSpreadBps]),
      topDepthQuote: blend(period?.topDepthQuote, features[F.baselineTopDepthQuote]),
      volatilitySeasonality: seasonal.volatility,
      volumeSeasonality: seasonal.volume,
    };
  }
}
