/**
 * The `adaptive` execution strategy: starts from a tactic chosen for the current market
 * state and switches as `ctx.state$` changes and as progress drifts from schedule —
 * passive in ranging markets, aggressive when a trend runs against the order or when
 * behind, slowing down or pausing in illiquid or volatile spells within bounds that still
 * meet the deadline. The tactics are core's scheduled driver (TWAP's and VWAP's) with a
 * curve, pace, style and urgency each, switched through its `tactics$`.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { AdaptiveStrategy } from './adaptive-strategy.js';

export { AdaptiveStrategy } from './adaptive-strategy.js';
export { adaptiveExecution } from './adaptive-execution.js';
export {
  AdaptiveParamsSchema,
  AdaptiveTacticNameSchema,
  DEFAULT_ADAPTIVE_TACTICS,
  DEFERRING_TACTICS,
  type AdaptiveParams,
  type AdaptiveTacticName,
} from './adaptive-params.schema.js';
export { adaptiveTacticMap, resolveAdaptiveTactic, type AdaptiveTactic } from './adaptive-tactics.js';
export { selectTactic, type TacticChoice, type TacticSituation, type TrendDirection } from './select-tactic.js';

/** The plugin: registers `AdaptiveStrategy` as the `adaptive` strategy. */
const adaptiveStrategyPlugin = definePlugin({
  name: 'strategy-adaptive',
  version: '0.1.0',
  description: 'Adaptive: switches tactics (passive, TWAP, VWAP, aggressive, slow, pause) with the market state and the schedule drift',
  module: new ContainerModule(({ bind }) => {
    bind(AdaptiveStrategy).toSelf();
    bind(ExecutionStrategy).toService(AdaptiveStrategy);
  }),
});
export default adaptiveStrategyPlugin;
