/**
 * The `limit` execution strategy: one limit order with time in force and expiry.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { LimitStrategy } from './limit-strategy.js';

export { LimitStrategy } from './limit-strategy.js';
export { LimitParamsSchema, type LimitParams } from './limit-params.schema.js';

/** The plugin: registers `LimitStrategy` as the `limit` strategy. */
const limitStrategyPlugin = definePlugin({
  name: 'strategy-limit',
  version: '0.1.0',
  description: 'A limit order with time in force and optional expiry',
  module: new ContainerModule(({ bind }) => {
    bind(LimitStrategy).toSelf();
    bind(ExecutionStrategy).toService(LimitStrategy);
  }),
});
export default limitStrategyPlugin;
