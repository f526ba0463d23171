import { describe, expect, it } from 'vitest';
import { RegimeClassifier } from '../src/regime-classifier.js';
import { RegimeConfigSchema } from '../src/regime-config.schema.js';
import { classifyCandleSeries } from '../src/classify-candle-series.js';
import { candlesOf, labelledFiles } from './labelled-data.js';

/**
 * Validation on real, labelled days (test/data, see SOURCES.md): the full pipeline —
 * candles → feature window → RegimeClassifier → hysteresis, the defaults the monitor
 * uses — per file, each file from scratch (no warm-up, no history before the file).
 * The floors below sit under today's measured agreement (README) so a regression fails;
 * they were not used to pick thresholds.
 */
describe('RegimeClassifier on labelled real data', () => {
  const classifier = new RegimeClassifier(RegimeConfigSchema.parse({}));
  const files = labelledFiles();
  const results = files.map((file) => ({ file, result: classifyCandleSeries(candlesOf(file), { classifier }) }));

  it('agrees with the label of most files by majority of time', () => {
    const agreeing = results.filter(({ file, result }) => result.verdict === file.label);
    const byLabel = new Map<string, { agree: number; total: number }>();
    for (const { file, result } of results) {
      const entry = byLabel.get(file.label) ?? { agree: 0, total: 0 };
      entry.total++;
      if (result.verdict === file.label) entry.agree++;
      byLabel.set(file.label, entry);
    }
    expect(agreeing.length / results.length).toBeGreaterThanOrEqual(0.8);
    for (const label of ['volatile', 'ranging', 'illiquid', 'normal']) expect(byLabel.get(label)!.agree).toBe(byLabel.get(label)!.total);
    expect(byLabel.get('trending')!.agree).toBeGreaterThanOrEqual(2);
  });

  it('spends most of the labelled time in the labelled state', () => {
    let agreeing = 0;
    let total = 0;
    for (const { file, result } of results) {
      const bars = result.states.length;
      agreeing += (result.summary[file.label] ?? 0) * bars;
      total += bars;
    }
    expect(agreeing / total).toBeGreaterThanOrEqual(0.7);
  });

  it('calls most single hours of normal days normal, each hour classified on its own', () => {
    let normal = 0;
    let hours = 0;
    for (const file of files.filter((entry) => entry.hourly)) {
      const candles = candlesOf(file);
      for (let start = 0; start < candles.length; start += 60) {
        const result = classifyCandleSeries(candles.slice(start, start + 60), { classifier });
        hours++;
        if (result.verdict === 'normal') normal++;
      }
    }
    expect(hours).toBe(96);
    expect(normal / hours).toBeGreaterThanOrEqual(0.85);
  });

  it('gives a verdict from the first bar (no warm-up) with a confidence in 0..1', () => {
    const { result } = results[0]!;
    expect(result.states[0]!.ts).toBe(candlesOf(results[0]!.file)[0]!.ts);
    for (const state of result.states) {
      expect(state.confidence).toBeGreaterThanOrEqual(0);
      expect(state.confidence).toBeLessThanOrEqual(1);
    }
  });
});
