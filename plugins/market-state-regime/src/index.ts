/**
 * The default market-state classifier: `normal`, `volatile`, `trending`, `illiquid` and
 * `ranging`, judged from rolling-window features against a per-symbol baseline profile
 * (bundled for BTC/USDT, configurable, learnable from a symbol's own candles).
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { marketStateRegimeModule } from './market-state-regime-module.js';
import { RegimeConfig, RegimeConfigSchema } from './regime-config.schema.js';

export { RegimeClassifier } from './regime-classifier.js';
export { judgeRegime, RegimeFeature, type RegimeBaseline } from './judge-regime.js';
export {
  RegimeConfig,
  RegimeConfigSchema,
  RegimeThresholdsSchema,
  RegimeAdaptSchema,
  type RegimeConfigInput,
  type RegimeThresholds,
} from './regime-config.schema.js';
export {
  BaselineProfileSchema,
  BaselinePeriodSchema,
  HourOfDaySeasonalitySchema,
  type BaselineProfile,
  type BaselineProfileInput,
  type BaselinePeriod,
  type HourOfDaySeasonality,
} from './baseline-profile.schema.js';
export { BaselineProfileIndex, type SeasonalFactors } from './baseline-profile-index.js';
export { buildProfile, type BuildProfileOptions } from './build-profile.js';
export { learnProfile } from './learn-profile.js';
export { dailyStatsFromCandles, hourlyBarsFromCandles, type DailyStats, type HourlyBar } from './daily-stats.js';
export { bundledProfilePath, loadProfileFile, BUNDLED_PROFILE_FILES } from './bundled-profiles.js';
export { UtcCalendar } from './utc-calendar.js';
export { marketStateRegimeModule } from './market-state-regime-module.js';
export {
  classifyCandleSeries,
  type ClassifyCandleSeriesOptions,
  type CandleSeriesClassification,
  type CandleSeriesState,
} from './classify-candle-series.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: registers `RegimeClassifier` as the `regime` market-state classifier; config section `market-state-regime`. */
const marketStateRegimePlugin = definePlugin<RegimeConfig>({
  name: 'market-state-regime',
  version: VERSION,
  description: 'Classifies market windows as normal, volatile, trending, illiquid or ranging against a per-symbol baseline',
  configSchema: RegimeConfigSchema,
  configToken: RegimeConfig,
  module: marketStateRegimeModule,
});
export default marketStateRegimePlugin;
