import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MarketFeature as F, TrancheError, type MarketFeatures } from '@tranche/core';
import { RegimeFeature } from './judge-regime.js';
import { RegimeClassifier } from './regime-classifier.js';
import { RegimeConfigSchema, type RegimeConfigInput } from './regime-config.schema.js';
import { UtcCalendar } from './utc-calendar.js';

const classifierWith = (config: RegimeConfigInput = {}) => new RegimeClassifier(RegimeConfigSchema.parse(config));

/** A full day of 1-minute features ending at `day` + 1 day. */
function dayFeatures(day: string, volatilityPct: number, extra: MarketFeatures = {}): MarketFeatures {
  const start = UtcCalendar.parseDay(day);
  return {
    [F.windowStartMs]: start,
    [F.windowEndMs]: start + UtcCalendar.dayMs,
    [F.windowMinutes]: 1440,
    [F.barCount]: 1440,
    [F.barMinutes]: 1,
    [F.logReturn]: 0,
    [F.realizedVolatilityPct]: volatilityPct,
    [F.driftTStat]: 0,
    [F.zeroVolumeShare]: 0,
    [F.baselineDays]: 0,
    ...extra,
  };
}

const ethProfile = {
  symbol: 'ETH/USDT',
  trailingDays: 90,
  periods: [{ from: '2024-01-01', days: 90, realizedVolatilityPct: 4, zeroVolumeShare: 0 }],
};

describe('RegimeClassifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regime-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the `regime` classifier of the five seed states', () => {
    const classifier = classifierWith();
    expect(classifier.id).toBe('regime');
    expect([...classifier.states]).toEqual(['normal', 'volatile', 'trending', 'illiquid', 'ranging']);
  });

  it('judges BTC/USDT against the bundled profile of its era', () => {
    const classifier = classifierWith();
    // The same 3 %/√day: an ordinary day in 2021, a volatile one in the quiet summer of 2023.
    expect(classifier.classify(dayFeatures('2021-06-15', 3), { symbol: 'BTC/USDT' }).state).not.toBe('volatile');
    const summer = classifier.classify(dayFeatures('2023-08-15', 4), { symbol: 'BTC/USDT' });
    expect(summer.state).toBe('volatile');
    expect(summer.features[RegimeFeature.referenceVolatilityPct]).toBeGreaterThan(1);
    expect(summer.features[RegimeFeature.referenceVolatilityPct]).toBeLessThan(2.5);
    // Without a context: the default symbol.
    expect(classifier.classify(dayFeatures('2023-08-15', 4)).state).toBe('volatile');
  });

  it('takes a profile inline or from a file, per symbol', () => {
    const path = join(dir, 'eth.json');
    writeFileSync(path, JSON.stringify(ethProfile));
    for (const profiles of [{ 'ETH/USDT': ethProfile }, { 'ETH/USDT': path }]) {
      const classifier = classifierWith({ profiles });
      expect(classifier.classify(dayFeatures('2024-06-01', 4), { symbol: 'ETH/USDT' }).state).toBe('normal');
      expect(classifier.classify(dayFeatures('2024-06-01', 9), { symbol: 'ETH/USDT' }).state).toBe('volatile');
    }
  });

  it('fails at initialize, naming the file, for a missing or invalid profile', async () => {
    await expect(classifierWith({ profiles: { 'ETH/USDT': join(dir, 'missing.json') } }).initialize()).rejects.toThrow(/cannot read market-state profile/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...ethProfile, periods: [] }));
    const error = await classifierWith({ profiles: { 'ETH/USDT': bad } })
      .initialize()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).message).toMatch(/invalid market-state profile .*bad\.json.*periods/);
  });

  it('without a profile, judges against the run only once it has a complete day', () => {
    const classifier = classifierWith({ bundledProfiles: false });
    expect(classifier.profileFor('BTC/USDT')).toBeUndefined();
    expect(classifier.classify(dayFeatures('2024-06-01', 9), { symbol: 'SOL/USDT' }).state).toBe('normal');
    const learned = dayFeatures('2024-06-01', 9, { [F.baselineDays]: 1, [F.baselineRealizedVolatilityPct]: 3 });
    expect(classifier.classify(learned, { symbol: 'SOL/USDT' }).state).toBe('volatile');
  });

  it('blends the run baseline in as the run grows (geometric, weight days / (days + profileWeightDays))', () => {
    const classifier = classifierWith({ profiles: { 'ETH/USDT': ethProfile } });
    const features = (days: number) => dayFeatures('2024-06-01', 4, { [F.baselineDays]: days, [F.baselineRealizedVolatilityPct]: 1 });
    expect(classifier.baselineFor('ETH/USDT', features(2)).realizedVolatilityPct).toBe(4);
    expect(classifier.baselineFor('ETH/USDT', features(14)).realizedVolatilityPct).toBeCloseTo(Math.sqrt(4), 10);
    expect(classifierWith({ profiles: { 'ETH/USDT': ethProfile }, adapt: { enabled: false } }).baselineFor('ETH/USDT', features(14)).realizedVolatilityPct).toBe(4);
  });

  it('rejects unknown config keys and bad thresholds', () => {
    expect(() => RegimeConfigSchema.parse({ threshold: {} })).toThrow();
    expect(() => RegimeConfigSchema.parse({ thresholds: { volatileRatio: -1 } })).toThrow();
    expect(RegimeConfigSchema.parse({}).thresholds.volatileRatio).toBe(2);
  });
});
