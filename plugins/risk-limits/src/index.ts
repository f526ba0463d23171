/**
 * Pre-trade risk limits for Tranche: max order and parent notional, max position per
 * asset, a price band around the reference price (fat-finger guard), max child orders
 * per second and per-symbol enable/disable, applied by the core `RiskGate` to every
 * child order. Every limit is off until configured.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { RiskLimitsConfig, RiskLimitsConfigSchema } from './risk-limits-config.schema.js';
import { riskLimitsModule } from './risk-limits-module.js';

export { RiskLimitsCheck } from './risk-limits-check.js';
export { RiskLimitsConfig, RiskLimitsConfigSchema, type RiskLimitsConfigInput } from './risk-limits-config.schema.js';
export { riskLimitsModule } from './risk-limits-module.js';

/** The plugin: binds `RiskLimitsCheck` as a `RiskCheck`; config section `risk-limits`. */
const riskLimitsPlugin = definePlugin<RiskLimitsConfig>({
  name: 'risk-limits',
  version: '0.1.0',
  description: 'Pre-trade risk limits: notional, position, price band, order rate, symbols',
  configSchema: RiskLimitsConfigSchema,
  configToken: RiskLimitsConfig,
  module: riskLimitsModule,
});
export default riskLimitsPlugin;
