import { describe, expect, it } from 'vitest';
import { MarketFeature as F, type MarketFeatures } from '@tranche/core';
import { judgeRegime, RegimeFeature, type RegimeBaseline } from './judge-regime.js';
import { RegimeThresholdsSchema } from './regime-config.schema.js';

const thresholds = RegimeThresholdsSchema.parse({});
const DAY_MINUTES = 1440;

const baseline: RegimeBaseline = {
  realizedVolatilityPct: 2,
  volumePerMinute: 10,
  quoteVolumePerMinute: 1_000_000,
  tradesPerMinute: 500,
  zeroVolumeShare: 0,
  spreadBps: 1,
  topDepthQuote: 500_000,
  volatilitySeasonality: 1,
  volumeSeasonality: 1,
};

/** Features of a window of `minutes` one-minute bars with the given daily volatility and return. */
function window(minutes: number, volatilityPct: number, returnPct = 0, extra: MarketFeatures = {}): MarketFeatures {
  const logReturn = Math.log(1 + returnPct / 100);
  const squares = ((volatilityPct / 100) ** 2 * minutes) / DAY_MINUTES;
  return {
    [F.windowStartMs]: 0,
    [F.windowEndMs]: minutes * 60_000,
    [F.windowMinutes]: minutes,
    [F.barCount]: minutes,
    [F.barMinutes]: 1,
    [F.logReturn]: logReturn,
    [F.realizedVolatilityPct]: volatilityPct,
    [F.driftTStat]: logReturn / Math.sqrt(squares),
    [F.zeroVolumeShare]: 0,
    [F.quoteVolumePerMinute]: 1_000_000,
    [F.spreadBps]: Number.NaN,
    [F.topDepthQuote]: Number.NaN,
    ...extra,
  };
}

describe('judgeRegime', () => {
  it('calls a day like its baseline normal', () => {
    const verdict = judgeRegime(window(DAY_MINUTES, 2.1, 0.5), baseline, thresholds, 60);
    expect(verdict.state).toBe('normal');
    expect(verdict.confidence).toBeGreaterThan(0.5);
    expect(verdict.features[RegimeFeature.volatilityRatio]).toBeCloseTo(Math.sqrt((2.1 ** 2 * 1440 + 4 * 60) / 1500) / 2, 6);
  });

  it('calls twice the baseline volatility volatile, half of it ranging', () => {
    expect(judgeRegime(window(DAY_MINUTES, 4.5), baseline, thresholds, 60).state).toBe('volatile');
    expect(judgeRegime(window(DAY_MINUTES, 0.8), baseline, thresholds, 60).state).toBe('ranging');
  });

  it('calls a move of more than two baseline deviations with a clear drift trending', () => {
    // 2 %/√day baseline over a day: a 5 % move is 2.5 deviations.
    const verdict = judgeRegime(window(DAY_MINUTES, 2.4, 5), baseline, thresholds, 60);
    expect(verdict.state).toBe('trending');
    expect(verdict.features[RegimeFeature.moveSigmas]).toBeCloseTo(Math.log(1.05) / 0.02, 6);
  });

  it('prefers volatile to trending when volatility is extreme, and illiquid to everything', () => {
    expect(judgeRegime(window(DAY_MINUTES, 8, 20), baseline, thresholds, 60).state).toBe('volatile');
    expect(judgeRegime(window(DAY_MINUTES, 8, 20, { [F.zeroVolumeShare]: 0.5 }), baseline, thresholds, 60).state).toBe('illiquid');
  });

  it('calls a thin market illiquid from volume, spread or depth', () => {
    expect(judgeRegime(window(DAY_MINUTES, 2, 0, { [F.quoteVolumePerMinute]: 50_000 }), baseline, thresholds, 60).state).toBe('illiquid');
    expect(judgeRegime(window(DAY_MINUTES, 2, 0, { [F.spreadBps]: 5 }), baseline, thresholds, 60).state).toBe('illiquid');
    expect(judgeRegime(window(DAY_MINUTES, 2, 0, { [F.topDepthQuote]: 50_000 }), baseline, thresholds, 60).state).toBe('illiquid');
    expect(judgeRegime(window(DAY_MINUTES, 2, 0, { [F.spreadBps]: 1.2, [F.topDepthQuote]: 400_000 }), baseline, thresholds, 60).state).toBe('normal');
  });

  it('needs more evidence from a short window: the prior pulls it towards normal', () => {
    // Ten minutes at three times the baseline volatility: not yet volatile; a day of it is.
    expect(judgeRegime(window(10, 6), baseline, thresholds, 60).state).toBe('normal');
    expect(judgeRegime(window(DAY_MINUTES, 6), baseline, thresholds, 60).state).toBe('volatile');
    // Without the prior the ten minutes decide alone.
    expect(judgeRegime(window(10, 6), baseline, thresholds, 0).state).toBe('volatile');
  });

  it('judges against the time of day: a quiet night hour is normal when nights are quiet', () => {
    const night = window(60, 0.9);
    expect(judgeRegime(night, baseline, thresholds, 0).state).toBe('ranging');
    expect(judgeRegime(night, { ...baseline, volatilitySeasonality: 0.36 }, thresholds, 0).state).toBe('normal');
  });

  it('grows more confident the further past a threshold', () => {
    const mild = judgeRegime(window(DAY_MINUTES, 4.2), baseline, thresholds, 60);
    const wild = judgeRegime(window(DAY_MINUTES, 12), baseline, thresholds, 60);
    expect(mild.state).toBe('volatile');
    expect(wild.confidence).toBeGreaterThan(mild.confidence);
    expect(wild.confidence).toBeLessThanOrEqual(1);
  });

  it('without a volatility baseline judges only what it can: illiquidity and the own drift', () => {
    const none = { ...baseline, realizedVolatilityPct: Number.NaN, quoteVolumePerMinute: Number.NaN, volumePerMinute: Number.NaN, tradesPerMinute: Number.NaN };
    expect(judgeRegime(window(DAY_MINUTES, 9), none, thresholds, 60).state).toBe('normal');
    expect(judgeRegime(window(DAY_MINUTES, 2, 10), none, thresholds, 60).state).toBe('trending');
    expect(judgeRegime(window(DAY_MINUTES, 2, 0, { [F.zeroVolumeShare]: 0.4 }), none, thresholds, 60).state).toBe('illiquid');
  });

  it('says normal with no confidence for an empty window', () => {
    expect(judgeRegime({ [F.barCount]: 0 }, baseline, thresholds, 60)).toMatchObject({ state: 'normal', confidence: 0 });
  });
});
