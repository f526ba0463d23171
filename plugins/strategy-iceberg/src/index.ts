/**
 * The `iceberg` execution strategy: shows a small, randomized part of the order at a
 * time, refills on fill and reprices within the limit price when the market moves away.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { IcebergStrategy } from './iceberg-strategy.js';

export { IcebergStrategy } from './iceberg-strategy.js';
export { IcebergParamsSchema, type IcebergParams } from './iceberg-params.schema.js';

/** The plugin: registers `IcebergStrategy` as the `iceberg` strategy. */
const icebergStrategyPlugin = definePlugin({
  name: 'strategy-iceberg',
  version: '0.1.0',
  description: 'Iceberg: a small, randomized visible size at a time, refilled on fill, repriced within the limit price',
  module: new ContainerModule(({ bind }) => {
    bind(IcebergStrategy).toSelf();
    bind(ExecutionStrategy).toService(IcebergStrategy);
  }),
});
export default icebergStrategyPlugin;
