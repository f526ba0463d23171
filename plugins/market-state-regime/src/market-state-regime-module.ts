import { ContainerModule } from 'inversify';
import { MarketStateClassifier } from '@tranche/core';
import { RegimeClassifier } from './regime-classifier.js';

/**
 * Bindings of the market-state-regime plugin: `RegimeClassifier` to itself (one per
 * container) and the multi-bound `MarketStateClassifier` contract to it, so an adopter
 * can `rebind(RegimeClassifier)` alone.
 */
export const marketStateRegimeModule = new ContainerModule(({ bind }) => {
  bind(RegimeClassifier).toSelf().inSingletonScope();
  bind(MarketStateClassifier).toService(RegimeClassifier);
});
