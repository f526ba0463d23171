/**
 * Names of the features a `MarketFeatureWindow` computes, with their definitions.
 * Every value is a number; a feature the data cannot tell (spread from candles, trade
 * counts from candles without them) is `NaN`. Prices enter as bar log returns
 * `r_i = ln(close_i / close_{i-1})`, where the first bar of a run uses its own open as
 * `close_0`; `n` is the number of bars in the window.
 */
export const MarketFeature = {
  /** Open time of the oldest bar in the window (epoch ms). */
  windowStartMs: 'windowStartMs',
  /** End of the newest bar in the window (epoch ms): the time the features describe. */
  windowEndMs: 'windowEndMs',
  /** `(windowEndMs − windowStartMs) / 60 000`: grows from one bar to the configured length (expanding until full). */
  windowMinutes: 'windowMinutes',
  /** `n`, bars in the window. */
  barCount: 'barCount',
  /** Average bar length in minutes (`windowMinutes / n`). */
  barMinutes: 'barMinutes',
  /** `Σ r_i`: log return over the window, from the close before the oldest bar to the last close. */
  logReturn: 'logReturn',
  /** `(exp(Σ r_i) − 1) × 100`: simple return over the window in percent. */
  returnPct: 'returnPct',
  /**
   * Realized volatility in percent per square-root day: `sqrt(Σ r_i² / n × barsPerDay) × 100`
   * with `barsPerDay = 1440 / barMinutes` (not de-meaned; over a day of 1-minute bars this
   * is the usual "stdev of 1m log returns × √1440 × 100" up to the negligible mean).
   */
  realizedVolatilityPct: 'realizedVolatilityPct',
  /** `Σ r_i / sqrt(Σ r_i²)`: the window's drift in units of its own volatility (a t-statistic of the drift). */
  driftTStat: 'driftTStat',
  /** Kaufman's efficiency ratio `|close_n − close_0| / Σ |close_i − close_{i−1}|`, 0 (pure chop) .. 1 (straight line). */
  efficiencyRatio: 'efficiencyRatio',
  /** `(max high − min low) / close_0 × 100`: the window's high-low range in percent. */
  rangePct: 'rangePct',
  /** Base-currency volume per minute of window. */
  volumePerMinute: 'volumePerMinute',
  /** Quote-currency volume per minute of window (`NaN` when candles do not carry it). */
  quoteVolumePerMinute: 'quoteVolumePerMinute',
  /** Trades per minute (`NaN` when candles do not carry trade counts). */
  tradesPerMinute: 'tradesPerMinute',
  /** Share of bars with no volume at all, 0..1 (`NaN` when the data has no trades or volumes). */
  zeroVolumeShare: 'zeroVolumeShare',
  /** Share of base volume bought by takers, 0..1 (`NaN` when unknown). */
  takerBuyShare: 'takerBuyShare',
  /** Time-weighted bid-ask spread in basis points of the mid (`NaN` without book or ticker data). */
  spreadBps: 'spreadBps',
  /**
   * Time-weighted depth near the touch in quote currency: the mean of the bid and ask
   * notional resting within `depthBandBps` of the mid (the touch only, for tickers);
   * `NaN` without book or ticker data.
   */
  topDepthQuote: 'topDepthQuote',
  /** Complete UTC days of the run behind the `baseline*` features (0 until one day has passed). */
  baselineDays: 'baselineDays',
  /** Median daily realized volatility (percent per √day) over the run's last complete days. */
  baselineRealizedVolatilityPct: 'baselineRealizedVolatilityPct',
  /** Median daily base volume per minute over the run's last complete days. */
  baselineVolumePerMinute: 'baselineVolumePerMinute',
  /** Median daily quote volume per minute over the run's last complete days. */
  baselineQuoteVolumePerMinute: 'baselineQuoteVolumePerMinute',
  /** Median daily trades per minute over the run's last complete days. */
  baselineTradesPerMinute: 'baselineTradesPerMinute',
  /** Median daily zero-volume share over the run's last complete days. */
  baselineZeroVolumeShare: 'baselineZeroVolumeShare',
  /** Median daily spread (bps) over the run's last complete days. */
  baselineSpreadBps: 'baselineSpreadBps',
  /** Median daily near-touch depth (quote) over the run's last complete days. */
  baselineTopDepthQuote: 'baselineTopDepthQuote',
} as const;

/** One of the feature names of `MarketFeature`. */
export type MarketFeatureName = (typeof MarketFeature)[keyof typeof MarketFeature];

/** Every feature name a `MarketFeatureWindow` reports, in a stable order. */
export const MARKET_FEATURE_NAMES: readonly MarketFeatureName[] = Object.values(MarketFeature);
