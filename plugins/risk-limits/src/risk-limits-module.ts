import { ContainerModule } from 'inversify';
import { RiskCheck } from '@tranche/core';
import { RiskLimitsCheck } from './risk-limits-check.js';

/**
 * Bindings of the risk-limits plugin: `RiskLimitsCheck` to itself (rebind it to adapt)
 * and as one of the multi-bound `RiskCheck`s the core `RiskGate` applies.
 */
export const riskLimitsModule = new ContainerModule(({ bind }) => {
  bind(RiskLimitsCheck).toSelf().inSingletonScope();
  bind(RiskCheck).toService(RiskLimitsCheck);
});
