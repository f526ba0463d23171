import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrancheError, VirtualClock, type ChildOrder, type Fill } from '@tranche/core';
import { CapturingLogger } from '../test/emulator-harness.js';
import { BTC_USDT_MARKET, FakeCcxtExchange } from '../test/fake-ccxt-exchange.js';
import type { CcxtBalances, CcxtMarket, CcxtOrder, CcxtTrade } from './ccxt-exchange.js';
import { CcxtConnection } from './ccxt-connection.js';
import { CcxtVenueConfigSchema } from './ccxt-venue-config.schema.js';
import { CcxtVenue } from './ccxt-venue.js';
import { toMarketInfo } from './market-mapping.js';
import { toBalances, toChildOrder, toFill } from './order-mapping.js';
import { thrownTrancheError } from '@tranche/testkit';

/**
 * Malformed exchange payloads (what ccxt hands over: markets, orders, trades,
 * balances): a NaN, Infinity, string or negative number, or a missing symbol, gives one
 * `venue-unavailable` TrancheError naming the field and the value; never a crash, a NaN
 * in a child order, or a silent 0.
 */

const GOOD_ORDER = { id: '7', clientOrderId: 'p1-1', symbol: 'BTC/USDT', type: 'limit', side: 'buy', amount: 0.1, price: 100, filled: 0.05, average: 100, cost: 5, status: 'open', timestamp: 1_000 } as unknown as CcxtOrder;
const GOOD_TRADE = { id: 't1', order: '7', symbol: 'BTC/USDT', side: 'buy', price: 100, amount: 0.05, timestamp: 1_000, fee: { cost: 0.01, currency: 'USDT' } } as unknown as CcxtTrade;

/** Values no number field may carry. */
const MALFORMED: unknown[] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, '0.05', 'abc', true, {}, []];

const errorOf = thrownTrancheError;

function expectNamed(error: TrancheError, field: string, value: unknown): void {
  expect(error.kind).toBe('venue-unavailable');
  expect(error.retryable).toBe(true);
  expect(error.field).toBe(field);
  expect(error.message).toContain(`${field} must be`);
  expect(error.message).toContain(typeof value === 'string' ? JSON.stringify(value) : String(value));
}

describe('order mapping: malformed numbers', () => {
  for (const field of ['filled', 'amount', 'price', 'average', 'cost'] as const) {
    for (const value of MALFORMED) {
      it(`order.${field} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is an error naming it`, () => {
        expectNamed(errorOf(() => toChildOrder({ ...GOOD_ORDER, [field]: value } as CcxtOrder, 2_000)), field, value);
      });
    }
  }
  for (const [field, change] of [
    ['price', (value: unknown) => ({ price: value })],
    ['amount', (value: unknown) => ({ amount: value })],
    ['fee.cost', (value: unknown) => ({ fee: { cost: value, currency: 'USDT' } })],
  ] as const) {
    for (const value of MALFORMED) {
      it(`trade.${field} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is an error naming it`, () => {
        expectNamed(errorOf(() => toFill({ ...GOOD_TRADE, ...change(value) } as CcxtTrade, 'p1-1', 2_000, 'maker')), field, value);
      });
    }
  }
  for (const value of MALFORMED) {
    it(`balance free.BTC = ${typeof value === 'string' ? JSON.stringify(value) : String(value)} is an error naming the asset`, () => {
      expectNamed(errorOf(() => toBalances({ free: { BTC: value, USDT: 10 }, used: { USDT: 0 } } as unknown as CcxtBalances)), 'free.BTC', value);
    });
  }

  it('partial payloads (fields left out) still map: no NaN anywhere', () => {
    const order = toChildOrder({ id: '9', clientOrderId: 'p1-2', status: 'open' } as unknown as CcxtOrder, 2_000);
    expect(order).toMatchObject({ clientOrderId: 'p1-2', filledQuantity: 0, averagePrice: 0, quantity: 0, status: 'open', createdAt: 2_000 });
    expect(toFill({ id: 't2' } as unknown as CcxtTrade, 'p1-2', 2_000, 'maker')).toBeUndefined();
    expect(toBalances({} as CcxtBalances)).toEqual([]);
  });

  it('property: any order is either mapped to finite numbers or refused with a venue-unavailable error', () => {
    const anyNumberish = fc.oneof(fc.double(), fc.constantFrom<unknown>(undefined, null, 'x', '1', true, -0));
    fc.assert(
      fc.property(fc.record({ filled: anyNumberish, amount: anyNumberish, price: anyNumberish, average: anyNumberish, cost: anyNumberish }), (fields) => {
        let mapped: ChildOrder | undefined;
        try {
          mapped = toChildOrder({ ...GOOD_ORDER, ...fields } as CcxtOrder, 2_000);
        } catch (error) {
          expect(error).toBeInstanceOf(TrancheError);
          expect((error as TrancheError).kind).toBe('venue-unavailable');
          return;
        }
        for (const value of [mapped.quantity, mapped.filledQuantity, mapped.averagePrice, mapped.price ?? 0]) expect(Number.isFinite(value) && value >= 0).toBe(true);
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});

describe('market mapping: malformed markets', () => {
  const cases: Array<[string, Partial<Record<string, unknown>>, string]> = [
    ['precision.price NaN', { precision: { amount: 0.00001, price: Number.NaN } }, 'precision.price'],
    ['precision.amount a string', { precision: { amount: '0.001', price: 0.01 } }, 'precision.amount'],
    ['precision.price negative', { precision: { amount: 0.00001, price: -0.01 } }, 'precision.price'],
    ['limits.amount.min Infinity', { limits: { amount: { min: Number.POSITIVE_INFINITY }, cost: {} } }, 'limits.amount.min'],
    ['limits.cost.min a string', { limits: { amount: {}, cost: { min: '5' } } }, 'limits.cost.min'],
    ['base a number', { base: 5 }, 'base'],
    ['quote missing', { quote: undefined }, 'quote'],
  ];
  for (const [name, change, field] of cases) {
    it(`${name}: an error naming ${field}`, () => {
      const error = errorOf(() => toMarketInfo({ ...BTC_USDT_MARKET, ...change } as unknown as CcxtMarket, 4));
      expect(error.kind).toBe('venue-unavailable');
      expect(error.field).toBe(field);
      expect(error.message).toMatch(new RegExp(`malformed market BTC/USDT from the exchange: ${field.replace('.', '\\.')} `));
    });
  }

  it('a malformed market is skipped with a warning naming it; the good ones load', async () => {
    const exchange = new FakeCcxtExchange();
    exchange.loadMarkets = async () => ({ 'BTC/USDT': BTC_USDT_MARKET, 'ETH/USDT': { ...BTC_USDT_MARKET, id: 'ETHUSDT', symbol: 'ETH/USDT', base: 'ETH', precision: { amount: Number.NaN, price: 0.01 } } as CcxtMarket });
    const logger = new CapturingLogger();
    const config = CcxtVenueConfigSchema.parse({ credentials: { env: { apiKey: 'NO_KEY_HERE', secret: 'NO_SECRET_HERE' } } });
    const venue = new CcxtVenue(new CcxtConnection(config, new VirtualClock(0), logger, () => exchange));
    await venue.initialize();
    expect((await venue.markets()).map((market) => market.symbol)).toEqual(['BTC/USDT']);
    expect(JSON.stringify(logger.lines)).toMatch(/market skipped.*ETH\/USDT.*precision\.amount must be a finite number >= 0, got NaN/);
    await venue.close();
  });
});

describe('CcxtVenue on a fake exchange answering malformed payloads', () => {
  it('a submit answered with filled NaN rejects with a retryable venue-unavailable error naming filled; no fill, no NaN published', async () => {
    const exchange = new FakeCcxtExchange();
    const create = exchange.createOrder.bind(exchange);
    exchange.createOrder = async (...args) => ({ ...(await create(...args)), filled: Number.NaN });
    const config = CcxtVenueConfigSchema.parse({ credentials: { env: { apiKey: 'NO_KEY_HERE', secret: 'NO_SECRET_HERE' } }, orderStreams: false });
    const venue = new CcxtVenue(new CcxtConnection(config, new VirtualClock(0), new CapturingLogger(), () => exchange));
    await venue.initialize();
    const fills: Fill[] = [];
    const updates: ChildOrder[] = [];
    venue.fills$.subscribe((fill) => fills.push(fill));
    venue.orderUpdates$.subscribe((order) => updates.push(order));
    const error = await venue
      .placeOrder({ clientOrderId: 'p1-1', parentId: 'p1', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.1, price: 100, timeInForce: 'GTC' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expectNamed(error as TrancheError, 'filled', Number.NaN);
    expect(fills).toEqual([]);
    expect(updates.some((order) => !Number.isFinite(order.filledQuantity))).toBe(false);
    await venue.close();
  });
});
