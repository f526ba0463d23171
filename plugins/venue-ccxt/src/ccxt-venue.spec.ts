import { describe, expect, it } from 'vitest';
import { TrancheError, VirtualClock, type ChildOrder, type Fill, type VenueOrderRequest } from '@tranche/core';
import { CapturingLogger } from '../test/emulator-harness.js';
import { FakeCcxtExchange } from '../test/fake-ccxt-exchange.js';
import { CcxtConnection } from './ccxt-connection.js';
import { CcxtVenueConfigSchema, type CcxtVenueConfigInput } from './ccxt-venue-config.schema.js';
import { CcxtVenue } from './ccxt-venue.js';

const KEY = 'fake-key-0123456789abcdef';
const SECRET = 'fake-secret-fedcba9876543210';

async function setUp(overrides: CcxtVenueConfigInput = {}) {
  const clock = new VirtualClock(10_000);
  const exchange = new FakeCcxtExchange();
  const logger = new CapturingLogger();
  const env = { FAKE_KEY: KEY, FAKE_SECRET: SECRET };
  Object.assign(process.env, env);
  const config = CcxtVenueConfigSchema.parse({ credentials: { env: { apiKey: 'FAKE_KEY', secret: 'FAKE_SECRET' } }, pollIntervalMs: 1_000, ...overrides });
  const connection = new CcxtConnection(config, clock, logger, () => exchange);
  const venue = new CcxtVenue(connection);
  await venue.initialize();
  const fills: Fill[] = [];
  const updates: ChildOrder[] = [];
  venue.fills$.subscribe((fill) => fills.push(fill));
  venue.orderUpdates$.subscribe((order) => updates.push(order));
  return { clock, exchange, logger, venue, fills, updates };
}

const limitBuy = (clientOrderId: string, overrides: Partial<VenueOrderRequest> = {}): VenueOrderRequest => ({
  clientOrderId,
  parentId: 'p1',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: 0.1,
  price: 100,
  timeInForce: 'GTC',
  ...overrides,
});

/** Lets promise callbacks run (the fake answers at once). */
const flush = async (): Promise<void> => {
  for (let round = 0; round < 20; round++) await Promise.resolve();
};

describe('CcxtVenue on a fake exchange', () => {
  it('maps markets from ccxt precision, limits and fees', async () => {
    const { venue } = await setUp();
    expect(await venue.market('BTC/USDT')).toEqual({
      symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5, maxQuantity: 9000, makerFeeBps: 10, takerFeeBps: 10,
    });
    const error = await venue.market('NOSUCH/COIN').catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('validation');
  });

  it('sends the client id as clientOrderId, post-only as postOnly, a market order without a price', async () => {
    const { venue, exchange } = await setUp();
    await venue.placeOrder(limitBuy('p1-1', { timeInForce: 'GTX' }));
    await venue.placeOrder(limitBuy('p1-2', { timeInForce: 'IOC' }));
    await venue.placeOrder(limitBuy('p1-3', { type: 'market', price: undefined, timeInForce: 'IOC' }));
    const sent = exchange.calls.filter((call) => call.method === 'createOrder').map((call) => call.args);
    expect(sent[0]).toEqual(['BTC/USDT', 'limit', 'buy', 0.1, 100, { clientOrderId: 'p1-1', postOnly: true }]);
    expect(sent[1]).toEqual(['BTC/USDT', 'limit', 'buy', 0.1, 100, { clientOrderId: 'p1-2', timeInForce: 'IOC' }]);
    expect(sent[2]).toEqual(['BTC/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'p1-3' }]);
  });

  it.each([
    ['a client id with a space', limitBuy('bad id'), 'client id'],
    ['a client id over 36 characters', limitBuy('x'.repeat(37)), 'client id'],
    ['a quantity below the minimum', limitBuy('p1-4', { quantity: 0.000001 }), 'LOT_SIZE'],
    ['a quantity off the step', limitBuy('p1-5', { quantity: 0.100005 }), 'LOT_SIZE'],
    ['a price off the tick', limitBuy('p1-6', { price: 100.005 }), 'PRICE_FILTER'],
    ['a value below the minimum notional', limitBuy('p1-7', { quantity: 0.01, price: 100 }), 'NOTIONAL'],
    ['a post-only market order', limitBuy('p1-8', { type: 'market', price: undefined, timeInForce: 'GTX' }), 'post-only'],
    ['an unknown symbol', limitBuy('p1-9', { symbol: 'NOSUCH/COIN' }), 'symbol'],
  ])('rejects %s before sending, naming the rule', async (_name, request, rule) => {
    const { venue, exchange } = await setUp();
    const error = await venue.placeOrder(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).kind).toBe('venue-rejected');
    expect((error as TrancheError).retryable).toBe(false);
    expect((error as TrancheError).message).toContain(`(${rule})`);
    expect(exchange.count('createOrder')).toBe(0);
  });

  it('checks a market order against the min notional at the last price seen', async () => {
    const { venue, exchange } = await setUp();
    await venue.fetchTicker('BTC/USDT');
    const error = await venue.placeOrder(limitBuy('p1-1', { type: 'market', price: undefined, quantity: 0.01, timeInForce: 'IOC' })).catch((caught: unknown) => caught);
    expect((error as TrancheError).message).toMatch(/NOTIONAL.*last price 100\.5/);
    expect(exchange.count('createOrder')).toBe(0);
  });

  it('publishes the fills of the answer before its update, and a websocket repeat of them is dropped', async () => {
    const { venue, exchange, fills, updates } = await setUp();
    exchange.fillOnCreate = { price: 101, tradeIds: ['t1', 't2'] };
    const order: string[] = [];
    venue.fills$.subscribe(() => order.push('fill'));
    venue.orderUpdates$.subscribe(() => order.push('update'));
    const ack = await venue.placeOrder(limitBuy('p1-1', { price: 101 }));
    expect(ack.status).toBe('filled');
    expect(order).toEqual(['fill', 'fill', 'update']);
    expect(fills.map((fill) => [fill.fillId, fill.liquidity])).toEqual([['t1', 'taker'], ['t2', 'taker']]);
    exchange.tradesStream.push(exchange.trades);
    await flush();
    expect(fills).toHaveLength(2);
    expect(venue.syncStats().duplicateFillsDropped).toBe(2);
    expect(updates.at(-1)!.filledQuantity).toBeCloseTo(0.1, 12);
  });

  it('recovers by polling a fill the websocket never delivered, once, on the clock', async () => {
    const { venue, exchange, fills, updates, clock } = await setUp();
    await venue.placeOrder(limitBuy('p1-1'));
    exchange.fill('p1-1', 0.1, 100, 'm1');
    clock.advanceBy(1_000);
    await flush();
    expect(fills.map((fill) => fill.fillId)).toEqual(['m1']);
    expect(fills[0]!.liquidity).toBe('maker');
    expect(updates.at(-1)!.status).toBe('filled');
    expect(venue.syncStats().fillsRecoveredByPolling).toBe(1);
    // A late websocket copy of the same trade and the next poll change nothing.
    exchange.tradesStream.push([exchange.trades[0]!]);
    clock.advanceBy(1_000);
    await flush();
    expect(fills).toHaveLength(1);
    expect(exchange.count('fetchOrderTrades')).toBe(1);
  });

  it('a stale stream message never reopens a finished order', async () => {
    const { venue, exchange, updates } = await setUp();
    await venue.placeOrder(limitBuy('p1-1'));
    await venue.cancelOrder('BTC/USDT', 'p1-1');
    exchange.ordersStream.push([{ ...exchange.orders.get('p1-1')!, status: 'open' }]);
    await flush();
    expect(updates.map((order) => order.status)).toEqual(['open', 'cancelled']);
  });

  it('a submit that times out is timeout-ambiguous (redacted); the look-up by client id finds and follows the order', async () => {
    const { venue, exchange, logger } = await setUp();
    exchange.failNext('createOrder', Object.assign(new Error(`binance POST https://api.binance.com/api/v3/order?symbol=BTCUSDT&apiKey=${KEY}&signature=0123456789abcdef request timed out (10000 ms)`), { name: 'RequestTimeout' }));
    const error = (await venue.placeOrder(limitBuy('p1-1')).catch((caught: unknown) => caught)) as TrancheError;
    expect(error.kind).toBe('timeout-ambiguous');
    expect(error.retryable).toBe(true);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('0123456789abcdef');
    expect(logger.lines.join('\n')).not.toContain(KEY);
    expect(await venue.fetchOrder('BTC/USDT', 'p1-1')).toBeUndefined();
    // The exchange had it after all (as Binance may): found by client id, then polled.
    await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 100, { clientOrderId: 'p1-1' });
    const found = await venue.fetchOrder('BTC/USDT', 'p1-1');
    expect(found).toMatchObject({ clientOrderId: 'p1-1', parentId: 'p1', status: 'open' });
    exchange.fill('p1-1', 0.1, 100, 'late-1');
    await venue.pollNow();
    expect(exchange.calls.filter((call) => call.method === 'fetchOrderTrades')).toHaveLength(1);
  });

  it('a re-send of an ambiguous submit that a stream showed the exchange took answers that order, sending nothing', async () => {
    const { venue, exchange } = await setUp();
    exchange.failNext('createOrder', Object.assign(new Error('connection reset'), { name: 'NetworkError' }));
    await venue.placeOrder(limitBuy('p1-1')).catch(() => undefined);
    await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 100, { clientOrderId: 'p1-1' });
    exchange.ordersStream.push([exchange.orders.get('p1-1')!]);
    await flush();
    const again = await venue.placeOrder(limitBuy('p1-1'));
    expect(again).toMatchObject({ clientOrderId: 'p1-1', status: 'open' });
    expect(exchange.count('createOrder')).toBe(2);
    const different = await venue.placeOrder(limitBuy('p1-1', { quantity: 0.2 })).catch((caught: unknown) => caught);
    expect((different as TrancheError).kind).toBe('venue-rejected');
  });

  it("an ambiguous submit asks the router to wait out the exchange's receive window before its look-up", async () => {
    const { venue, exchange, clock } = await setUp();
    exchange.options['recvWindow'] = 5_000;
    exchange.failNext('createOrder', Object.assign(new Error('request timed out'), { name: 'RequestTimeout' }));
    const error = (await venue.placeOrder(limitBuy('p1-1')).catch((caught: unknown) => caught)) as TrancheError;
    expect(error.kind).toBe('timeout-ambiguous');
    expect(error.retryAfterMs).toBe(5_000);
    expect(clock.now()).toBe(10_000);
  });

  it('on an exchange that cannot fetch by client id, looks the order up among open and closed orders', async () => {
    const { venue, exchange } = await setUp();
    await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 100, { clientOrderId: 'p1-1' });
    await exchange.cancelOrder(undefined, 'BTC/USDT', { clientOrderId: 'p1-1' });
    exchange.failNext('fetchOrder', Object.assign(new Error('fakebinance fetchOrder() by clientOrderId is not supported'), { name: 'NotSupported' }));
    expect(await venue.fetchOrder('BTC/USDT', 'p1-1')).toMatchObject({ clientOrderId: 'p1-1', status: 'cancelled' });
    exchange.failNext('fetchOrder', Object.assign(new Error('not supported'), { name: 'NotSupported' }));
    expect(await venue.fetchOrder('BTC/USDT', 'p1-2')).toBeUndefined();
    expect(exchange.count('fetchClosedOrders')).toBe(2);
  });

  it('refuses a second order with an acknowledged client id without sending it', async () => {
    const { venue, exchange } = await setUp();
    await venue.placeOrder(limitBuy('p1-1'));
    const error = await venue.placeOrder(limitBuy('p1-1', { quantity: 0.2 })).catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('venue-rejected');
    expect(exchange.count('createOrder')).toBe(1);
  });

  it('a cancel of a finished order answers its final state; of an unknown one, venue-rejected', async () => {
    const { venue } = await setUp();
    await venue.placeOrder(limitBuy('p1-1'));
    expect((await venue.cancelOrder('BTC/USDT', 'p1-1')).status).toBe('cancelled');
    expect((await venue.cancelOrder('BTC/USDT', 'p1-1')).status).toBe('cancelled');
    const error = await venue.cancelOrder('BTC/USDT', 'never-1').catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('venue-rejected');
  });

  it('after a 429 every call backs off for the Retry-After, then resumes', async () => {
    const { venue, exchange, clock } = await setUp();
    exchange.failNext('createOrder', Object.assign(new Error('binance 429 Too Many Requests {"code":-1003,"msg":"Too many requests"}'), { name: 'DDoSProtection', trancheRetryAfterMs: 3_000 }));
    const error = (await venue.placeOrder(limitBuy('p1-1')).catch((caught: unknown) => caught)) as TrancheError;
    expect(error.kind).toBe('rate-limited');
    expect(error.retryAfterMs).toBe(3_000);
    const during = (await venue.balances().catch((caught: unknown) => caught)) as TrancheError;
    expect(during.kind).toBe('rate-limited');
    expect(exchange.count('fetchBalance')).toBe(0);
    clock.advanceBy(3_000);
    expect(await venue.balances()).toEqual([{ asset: 'USDT', free: 1_000, locked: 10 }]);
  });

  it('lists open orders and balances', async () => {
    const { venue } = await setUp();
    await venue.placeOrder(limitBuy('p1-1'));
    expect((await venue.openOrders()).map((order) => order.clientOrderId)).toEqual(['p1-1']);
  });

  it('without credentials, warns once and follows no order streams', async () => {
    const clock = new VirtualClock(0);
    const exchange = new FakeCcxtExchange();
    const logger = new CapturingLogger();
    const config = CcxtVenueConfigSchema.parse({ credentials: { env: { apiKey: 'NO_SUCH_VARIABLE_1', secret: 'NO_SUCH_VARIABLE_2' } } });
    const venue = new CcxtVenue(new CcxtConnection(config, clock, logger, () => exchange));
    await venue.initialize();
    await venue.placeOrder(limitBuy('p1-1'));
    expect(exchange.count('watchOrders')).toBe(0);
    expect(logger.lines.some((line) => line.includes('no API credentials'))).toBe(true);
    await venue.close();
  });
});
