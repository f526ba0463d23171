/**
 * The `market` execution strategy: take the visible book now.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { MarketStrategy } from './market-strategy.js';

export { MarketStrategy } from './market-strategy.js';
export { MarketParamsSchema, type MarketParams } from './market-params.schema.js';

/** The plugin: registers `MarketStrategy` as the `market` strategy. */
const marketStrategyPlugin = definePlugin({
  name: 'strategy-market',
  version: '0.1.0',
  description: 'Market orders against the visible book, with optional slippage protection',
  module: new ContainerModule(({ bind }) => {
    bind(MarketStrategy).toSelf();
    bind(ExecutionStrategy).toService(MarketStrategy);
  }),
});
export default marketStrategyPlugin;
