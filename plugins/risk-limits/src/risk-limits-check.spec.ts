import { describe, expect, it } from 'vitest';
import type { ChildOrder, RiskContext } from '@tranche/core';
import { RiskLimitsCheck } from './risk-limits-check.js';
import { RiskLimitsConfigSchema, type RiskLimitsConfigInput } from './risk-limits-config.schema.js';

function check(config: RiskLimitsConfigInput): RiskLimitsCheck {
  return new RiskLimitsCheck(RiskLimitsConfigSchema.parse(config));
}

function child(overrides: Partial<ChildOrder> = {}): ChildOrder {
  return {
    clientOrderId: 'p-1',
    parentId: 'p',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    price: 60_000,
    quantity: 1,
    filledQuantity: 0,
    averagePrice: 0,
    status: 'pending',
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

function context(overrides: Partial<RiskContext> = {}): RiskContext {
  return { now: 1_000, asset: 'BTC', referencePrice: 60_000, position: { filled: 0, openBuy: 0, openSell: 0 }, ...overrides };
}

describe('RiskLimitsCheck', () => {
  it('lets everything through with the default (empty) config', () => {
    const limits = check({});
    expect(limits.check(child({ quantity: 1e6, price: 1 }), context()).ok).toBe(true);
    expect(limits.checkParent({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1e6 }, context()).ok).toBe(true);
  });

  it('refuses an order above max_order_notional, naming the limit and the values', () => {
    const verdict = check({ maxOrderNotional: 50_000 }).check(child(), context());
    expect(verdict).toMatchObject({ ok: false, limit: 'max-order-notional' });
    expect(!verdict.ok && verdict.reason).toContain('60000 (1 × 60000) exceeds max_order_notional 50000');
  });

  it('prices a market order at the reference price and fails closed without one', () => {
    const limits = check({ maxOrderNotional: 50_000 });
    expect(limits.check(child({ type: 'market', price: undefined, quantity: 0.5 }), context()).ok).toBe(true);
    expect(limits.check(child({ type: 'market', price: undefined, quantity: 1 }), context()).ok).toBe(false);
    expect(limits.check(child({ type: 'market', price: undefined, quantity: 0.1 }), context({ referencePrice: null }))).toMatchObject({ ok: false });
  });

  it('refuses a parent above max_parent_notional at its limit price or the reference price', () => {
    const limits = check({ maxParentNotional: 100_000 });
    const twap = { symbol: 'BTC/USDT', side: 'buy' as const, type: 'twap', quantity: 2 };
    expect(limits.checkParent(twap, context())).toMatchObject({ ok: false, limit: 'max-parent-notional' });
    expect(limits.checkParent({ ...twap, params: { limitPrice: 40_000 } }, context()).ok).toBe(true);
    expect(limits.checkParent({ ...twap, quantity: 1 }, context()).ok).toBe(true);
  });

  it('guards a price band around the reference price in both directions', () => {
    const limits = check({ priceBandBps: 100 });
    expect(limits.check(child({ price: 60_500 }), context()).ok).toBe(true);
    expect(limits.check(child({ price: 61_000 }), context())).toMatchObject({ ok: false, limit: 'price-band' });
    expect(limits.check(child({ price: 59_000 }), context())).toMatchObject({ ok: false, limit: 'price-band' });
    expect(limits.check(child({ type: 'market', price: undefined }), context()).ok).toBe(true);
  });

  it('caps the position per asset counting fills and working orders on the same side', () => {
    const limits = check({ maxPosition: { BTC: 2 } });
    expect(limits.check(child({ quantity: 2 }), context()).ok).toBe(true);
    expect(limits.check(child({ quantity: 1 }), context({ position: { filled: 1, openBuy: 0.5, openSell: 0 } })).ok).toBe(false);
    expect(limits.check(child({ quantity: 0.5 }), context({ position: { filled: 1, openBuy: 0.5, openSell: 0 } })).ok).toBe(true);
    // Selling reduces a long position: allowed down to -2.
    expect(limits.check(child({ side: 'sell', quantity: 3 }), context({ position: { filled: 1, openBuy: 0, openSell: 0 } })).ok).toBe(true);
    expect(limits.check(child({ side: 'sell', quantity: 3.5 }), context({ position: { filled: 1, openBuy: 0, openSell: 0 } }))).toMatchObject({ ok: false, limit: 'max-position' });
    expect(limits.check(child({ symbol: 'ETH/USDT', quantity: 100 }), context({ asset: 'ETH' })).ok).toBe(true);
  });

  it('limits child orders per sliding second of the clock', () => {
    const limits = check({ maxOrdersPerSecond: 2 });
    const accept = (now: number) => {
      const verdict = limits.check(child(), context({ now }));
      if (verdict.ok) limits.onAccepted(child(), context({ now }));
      return verdict.ok;
    };
    expect([accept(0), accept(100), accept(200), accept(999), accept(1_000), accept(1_050), accept(1_100)]).toEqual([true, true, false, false, true, false, true]);
  });

  it('enables and disables symbols', () => {
    expect(check({ disabledSymbols: ['BTC/USDT'] }).check(child(), context())).toMatchObject({ ok: false, limit: 'symbol-disabled' });
    expect(check({ enabledSymbols: ['ETH/USDT'] }).checkParent({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 }, context())).toMatchObject({ ok: false, limit: 'symbol-disabled' });
    expect(check({ enabledSymbols: ['BTC/USDT'] }).check(child(), context()).ok).toBe(true);
    expect(check({ enabled: false, disabledSymbols: ['BTC/USDT'] }).check(child(), context()).ok).toBe(true);
  });

  it('rejects unknown and invalid config keys', () => {
    expect(RiskLimitsConfigSchema.safeParse({ maxOrderNotionl: 1 }).success).toBe(false);
    expect(RiskLimitsConfigSchema.safeParse({ maxOrderNotional: -1 }).success).toBe(false);
    expect(RiskLimitsConfigSchema.safeParse({ disabledSymbols: ['btc'] }).success).toBe(false);
  });
});
