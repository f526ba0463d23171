import { describe, expect, it } from 'vitest';
import { MarketStateClassifier, TrancheError, createTranche, type MarketStateClassifier as Classifier } from '@tranche/core';
import marketStateRegime, { RegimeClassifier } from '../src/index.js';

describe('market-state-regime plugin', () => {
  it('registers the regime classifier under the multi-bound contract, configured from its section', () => {
    const tranche = createTranche({
      plugins: [marketStateRegime],
      config: { 'market-state-regime': { thresholds: { volatile_ratio: 3 }, prior_minutes: 30 } },
    });
    const classifiers = tranche.container.getAll<Classifier>(MarketStateClassifier);
    expect(classifiers.map((classifier) => classifier.id)).toEqual(['regime']);
    expect(classifiers[0]).toBe(tranche.get(RegimeClassifier));
    expect(tranche.pluginConfig['market-state-regime']).toMatchObject({ thresholds: { volatileRatio: 3 }, priorMinutes: 30 });
  });

  it('rejects unknown keys in its section with a validation error naming them', () => {
    let error: unknown;
    try {
      createTranche({ plugins: [marketStateRegime], config: { 'market-state-regime': { thresholds: { volatile: 3 } } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).message).toMatch(/volatile/);
  });
});
