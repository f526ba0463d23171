/**
 * The `vwap` execution strategy: a target curve from a 24h volume profile (bundled,
 * built from real Binance 1-minute candles) or the session's own trades, tracking the
 * volume actually traded, within a participation cap and a limit price.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { ExecutionStrategy, definePlugin } from '@tranche/core';
import { VwapStrategy } from './vwap-strategy.js';

export { VwapStrategy } from './vwap-strategy.js';
export { VwapParamsSchema, VolumeProfileSourceSchema, type VwapParams, type VolumeProfileSource } from './vwap-params.schema.js';
export { BUNDLED_VOLUME_PROFILE } from './bundled-volume-profile.js';

/** The plugin: registers `VwapStrategy` as the `vwap` strategy. */
const vwapStrategyPlugin = definePlugin({
  name: 'strategy-vwap',
  version: '0.1.0',
  description: 'Volume-weighted average price: follows a 24h volume profile and the volume actually traded',
  module: new ContainerModule(({ bind }) => {
    bind(VwapStrategy).toSelf();
    bind(ExecutionStrategy).toService(VwapStrategy);
  }),
});
export default vwapStrategyPlugin;
