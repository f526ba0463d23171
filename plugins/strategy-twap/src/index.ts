/**
 * The `twap` execution strategy: equal time slices, randomized from a seed, passive
 * first, crossing the spread to catch up when behind schedule by more than the urgency
 * allows, within a limit price and a participation cap.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { TwapStrategy } from './twap-strategy.js';

export { TwapStrategy } from './twap-strategy.js';
export { TwapParamsSchema, type TwapParams } from './twap-params.schema.js';

/** The plugin: registers `TwapStrategy` as the `twap` strategy. */
const twapStrategyPlugin = definePlugin({
  name: 'strategy-twap',
  version: '0.1.0',
  description: 'Time-weighted average price: equal, randomized time slices, passive first, catching up by urgency',
  module: new ContainerModule(({ bind }) => {
    bind(TwapStrategy).toSelf();
    bind(ExecutionStrategy).toService(TwapStrategy);
  }),
});
export default twapStrategyPlugin;
