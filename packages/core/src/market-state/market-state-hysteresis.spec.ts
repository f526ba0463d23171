import { describe, expect, it } from 'vitest';
import { MarketStateHysteresis } from './market-state-hysteresis.js';

const verdict = (state: string, confidence = 0.6) => ({ state, confidence, features: { confidence } });

describe('MarketStateHysteresis', () => {
  it('adopts the first verdict at once', () => {
    const hysteresis = new MarketStateHysteresis();
    expect(hysteresis.update(verdict('normal'))).toMatchObject({ state: 'normal', changed: true });
    expect(hysteresis.update(verdict('normal'))).toMatchObject({ state: 'normal', changed: false });
  });

  it('switches only after a new state wins confirmEvaluations in a row', () => {
    const hysteresis = new MarketStateHysteresis({ confirmEvaluations: 3, confidenceMargin: 2 });
    hysteresis.update(verdict('normal'));
    const states = ['volatile', 'volatile', 'normal', 'volatile', 'volatile', 'volatile', 'volatile'].map((state) => hysteresis.update(verdict(state)));
    expect(states.map((state) => state.state)).toEqual(['normal', 'normal', 'normal', 'normal', 'normal', 'volatile', 'volatile']);
    expect(states.map((state) => state.changed)).toEqual([false, false, false, false, false, true, false]);
  });

  it('switches at once for a verdict more confident by the margin, and holds the old features meanwhile', () => {
    const hysteresis = new MarketStateHysteresis({ confirmEvaluations: 10, confidenceMargin: 0.3 });
    hysteresis.update(verdict('normal', 0.55));
    expect(hysteresis.update(verdict('trending', 0.8))).toMatchObject({ state: 'normal', confidence: 0.55, features: { confidence: 0.55 }, changed: false });
    expect(hysteresis.update(verdict('volatile', 0.9))).toMatchObject({ state: 'volatile', confidence: 0.9, changed: true });
  });

  it('a candidate interrupted by another starts over', () => {
    const hysteresis = new MarketStateHysteresis({ confirmEvaluations: 2, confidenceMargin: 2 });
    hysteresis.update(verdict('normal'));
    expect(hysteresis.update(verdict('ranging')).state).toBe('normal');
    expect(hysteresis.update(verdict('trending')).state).toBe('normal');
    expect(hysteresis.update(verdict('trending')).state).toBe('trending');
    hysteresis.reset();
    expect(hysteresis.current).toBeUndefined();
  });

  it('rejects a confirmEvaluations below 1', () => {
    expect(() => new MarketStateHysteresis({ confirmEvaluations: 0 })).toThrow(/confirmEvaluations/);
  });
});
