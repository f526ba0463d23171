import {
  MarketFeatureWindow,
  MarketStateHysteresis,
  shareOfTime,
  type CandleEvent,
  type MarketStateClassifier,
  type MarketStateHysteresisOptions,
} from '@tranche/core';

/** Options of `classifyCandleSeries`. */
export interface ClassifyCandleSeriesOptions {
  /** The classifier to run (e.g. a `RegimeClassifier`). */
  classifier: MarketStateClassifier;
  /** Rolling window length in ms (default one day, as the market-state monitor). */
  windowMs?: number;
  /** Hysteresis (default 5 evaluations or a 0.3 confidence margin, as the market-state monitor). */
  hysteresis?: MarketStateHysteresisOptions;
}

/** One evaluation of a candle series. */
export interface CandleSeriesState {
  /** End of the bar just closed (epoch ms). */
  ts: number;
  /** State after hysteresis. */
  state: string;
  confidence: number;
  /** The classifier's own verdict before hysteresis. */
  rawState: string;
}

/** Result of `classifyCandleSeries`. */
export interface CandleSeriesClassification {
  /** One entry per candle. */
  states: CandleSeriesState[];
  /** Share of time per state (after hysteresis). */
  summary: Record<string, number>;
  /** The state with the largest share. */
  verdict: string;
}

/**
 * Classifies a candle series offline, exactly as the market-state monitor does live:
 * candles → `MarketFeatureWindow` → classifier → `MarketStateHysteresis`, one evaluation
 * per candle, no warm-up (the window expands from the first candle). For validation,
 * reports and scripts; candles must be of one symbol, in time order.
 */
export function classifyCandleSeries(candles: readonly CandleEvent[], options: ClassifyCandleSeriesOptions): CandleSeriesClassification {
  const states: CandleSeriesState[] = [];
  if (candles.length === 0) return { states, summary: {}, verdict: 'normal' };
  const symbol = candles[0]!.symbol;
  const window = new MarketFeatureWindow({ symbol, windowMs: options.windowMs ?? 86_400_000 });
  const hysteresis = new MarketStateHysteresis(options.hysteresis);
  for (const candle of candles) {
    if (window.push(candle) === 0) continue;
    const verdict = options.classifier.classify(window.features(), { symbol });
    const held = hysteresis.update(verdict);
    states.push({ ts: window.lastBarEndMs, state: held.state, confidence: held.confidence, rawState: verdict.state });
  }
  // One evaluation per candle: every bar weighs alike.
  const summary = shareOfTime(states);
  const verdict = Object.entries(summary).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'normal';
  return { states, summary, verdict };
}
