import * as ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { loadBinanceBtcUsdtDepth, startBinanceEmulator } from '../src/index.js';
import { API_KEY, API_SECRET, rejection, startHarness, type EmulatorHarness } from './binance-emulator-harness.js';

let harness: EmulatorHarness | undefined;
const start = async (...args: Parameters<typeof startHarness>) => (harness = await startHarness(...args));
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Binance emulator through ccxt binance: market data and orders', () => {
  it('loads the recorded spot markets with their real precision and limits', async () => {
    const { exchange } = await start();
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BNB/USDT', 'BTC/USDT', 'ETH/BTC', 'ETH/USDT', 'SOL/USDT']);
    const btc = markets['BTC/USDT']!;
    expect(btc.id).toBe('BTCUSDT');
    expect(btc.spot).toBe(true);
    expect(btc.precision).toMatchObject({ amount: 0.00001, price: 0.01 });
    expect(btc.limits.amount).toMatchObject({ min: 0.00001, max: 9000 });
    expect(btc.limits.cost?.min).toBe(10);
  });

  it('serves the recorded BTCUSDT book, public trades, ticker and balances', async () => {
    const { exchange, emulator } = await start();
    const recorded = loadBinanceBtcUsdtDepth();
    const book = await exchange.fetchOrderBook('BTC/USDT', 10);
    expect(book.bids[0]).toEqual([recorded.bids[0]![0], recorded.bids[0]![1]]);
    expect(book.asks[0]).toEqual([recorded.asks[0]![0], recorded.asks[0]![1]]);
    expect(book.nonce).toBe(recorded.lastUpdateId);
    emulator.trade('BTCUSDT', 61837.64, 0.5, 'buy');
    const trades = await exchange.fetchTrades('BTC/USDT');
    expect(trades.at(-1)).toMatchObject({ price: 61837.64, amount: 0.5, side: 'buy' });
    const ticker = await exchange.fetchTicker('BTC/USDT');
    expect(ticker).toMatchObject({ last: 61837.64, bid: recorded.bids[0]![0], ask: recorded.asks[0]![0] });
    const balance = await exchange.fetchBalance();
    expect(balance['USDT']).toMatchObject({ free: 1_000_000, used: 0 });
  });

  it('places, finds by client id, lists and cancels a limit order, and logs it', async () => {
    const { exchange, emulator } = await start();
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'parent-1-1' });
    expect(order).toMatchObject({ clientOrderId: 'parent-1-1', status: 'open', price: 60_000, amount: 0.001 });
    const found = await exchange.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'parent-1-1' });
    expect(found.id).toBe(order.id);
    expect((await exchange.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toEqual([order.id]);
    expect((await exchange.fetchBalance())['USDT']).toMatchObject({ used: 60 });
    const canceled = await exchange.cancelOrder(order.id!, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect(emulator.orders()).toMatchObject([{ orderId: Number(order.id), clientOrderId: 'parent-1-1', status: 'CANCELED', price: 60_000, origQty: 0.001 }]);
  });

  it('fills a market order against the book with 10 bps commission, and a resting order through a public trade', async () => {
    const { exchange, emulator } = await start();
    const market = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'parent-2-1' });
    expect(market).toMatchObject({ status: 'closed', filled: 0.01, clientOrderId: 'parent-2-1' });
    expect(market.fee).toMatchObject({ currency: 'BTC', cost: 0.00001 });
    const resting = await exchange.createOrder('BTC/USDT', 'limit', 'sell', 0.002, 61_900, { clientOrderId: 'parent-2-2' });
    emulator.trade('BTCUSDT', 61_905, 1, 'buy');
    expect(await exchange.fetchOrder(resting.id!, 'BTC/USDT')).toMatchObject({ status: 'closed', filled: 0.002, average: 61_900 });
    const fills = emulator.fills();
    expect(fills.map((f) => [f.clientOrderId, f.isMaker])).toEqual([['parent-2-1', false], ['parent-2-2', true]]);
    const myTrades = await exchange.fetchMyTrades('BTC/USDT');
    expect(myTrades.map((t) => Number(t.id))).toEqual(fills.map((f) => f.tradeId));
    expect((await exchange.fetchBalance())['BTC']!.free).toBeCloseTo(10 + 0.01 - 0.00001 - 0.002, 8);
  });

  it('rejects with Binance codes: the ccxt error class of each (against a non-binance.com host)', async () => {
    const { exchange } = await start({ balances: { USDT: 100, BTC: 0 } });
    await exchange.loadMarkets();
    const seen = {
      priceFilter: await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 2_000_000)),
      lotSize: await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 9_001, 60_000)),
      minNotional: await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.0001, 60_000)),
      insufficient: await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60_000)),
      postOnlyCross: await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.0002, 62_000, { postOnly: true })),
      unknownCancel: await rejection(exchange.cancelOrder('123', 'BTC/USDT')),
      unknownOrder: await rejection(exchange.fetchOrder('123', 'BTC/USDT')),
    };
    expect(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.name]))).toEqual({
      priceFilter: 'InvalidOrder',
      lotSize: 'InvalidOrder',
      minNotional: 'BadRequest',
      insufficient: 'InsufficientFunds',
      postOnlyCross: 'OrderImmediatelyFillable',
      unknownCancel: 'OrderNotFound',
      unknownOrder: 'OrderNotFound',
    });
    expect(seen.priceFilter.error.message).toContain('"code":-1013');
    expect(seen.minNotional.error.message).toContain('Filter failure: MIN_NOTIONAL');
  });

  it('refuses a client id that is still open and accepts it again once the first order is closed', async () => {
    const { exchange, emulator } = await start();
    const first = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'dup-1' });
    const duplicate = await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'dup-1' }));
    expect(duplicate.name).toBe('InvalidOrder');
    expect(duplicate.error.message).toContain('Duplicate order sent.');
    await exchange.cancelOrder(first.id!, 'BTC/USDT');
    const second = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'dup-1' });
    expect(second.id).not.toBe(first.id);
    expect(emulator.orders().map((o) => o.clientOrderId)).toEqual(['dup-1', 'dup-1']);
    const bad = await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'has space' }));
    expect(bad.error.message).toContain('"code":-1100');
  });

  it('checks the HMAC signature (-1022) and the API key (-2015)', async () => {
    const { exchange } = await start({}, 'wrong-secret');
    await exchange.loadMarkets();
    const badSignature = await rejection(exchange.fetchBalance());
    expect(badSignature.name).toBe('AuthenticationError');
    expect(badSignature.error.message).toContain('-1022');
    exchange.apiKey = 'someone-else';
    expect((await rejection(exchange.fetchBalance())).error.message).toContain('-2015');
  });

  it('refuses bad options with a TrancheError and listens on 127.0.0.1 only', async () => {
    await expect(startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, host: '0.0.0.0' })).rejects.toBeInstanceOf(TrancheError);
    await expect(startBinanceEmulator({ apiKey: '', apiSecret: API_SECRET })).rejects.toBeInstanceOf(TrancheError);
    await expect(startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, faults: { rate: 2, kinds: ['5xx'] } })).rejects.toBeInstanceOf(TrancheError);
    const { emulator } = await start();
    expect(emulator.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('Binance emulator through ccxt binance: injected faults', () => {
  it('429 → DDoSProtection (not RateLimitExceeded), 418 → DDoSProtection, 503 → OperationFailed (not a NetworkError); nothing executed', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    const classes: Record<string, string> = {};
    for (const kind of ['429', '418', '5xx'] as const) {
      emulator.setFaults({ rate: 1, kinds: [kind] });
      const { name, error } = await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: `f-${kind}` }));
      classes[kind] = name;
      if (kind === '5xx') expect(error).not.toBeInstanceOf(ccxt.NetworkError);
      else {
        expect(error).toBeInstanceOf(ccxt.DDoSProtection);
        expect(error).not.toBeInstanceOf(ccxt.RateLimitExceeded);
        const headers = exchange.last_response_headers as Record<string, string>;
        expect(headers['retry-after'] ?? headers['Retry-After']).toBe(kind === '429' ? '1' : '2');
      }
    }
    expect(classes).toEqual({ '429': 'DDoSProtection', '418': 'DDoSProtection', '5xx': 'OperationFailed' });
    expect(emulator.orders()).toEqual([]);
    expect(emulator.faultLog().map((f) => f.kind)).toEqual(['429', '418', '5xx']);
  });

  it('drop-socket → NetworkError with nothing executed; timeout-after-execute → RequestTimeout with the order on the exchange', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    emulator.setFaults({ rate: 1, kinds: ['drop-socket'] });
    const dropped = await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'drop-1' }));
    expect(dropped.name).toBe('NetworkError');
    expect(emulator.orders()).toEqual([]);
    emulator.setFaults({ rate: 1, kinds: ['timeout-after-execute'] });
    const timedOut = await rejection(exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'late-1' }));
    expect(timedOut.name).toBe('RequestTimeout');
    emulator.setFaults({ rate: 0, kinds: [] });
    expect(emulator.orders()).toMatchObject([{ clientOrderId: 'late-1', status: 'NEW' }]);
    const found = await exchange.fetchOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'late-1' });
    expect(found.status).toBe('open');
    expect(emulator.faultLog()).toMatchObject([{ kind: 'drop-socket' }, { kind: 'timeout-after-execute', clientOrderId: 'late-1', orderId: Number(found.id) }]);
  });

  it('reproduces the blind re-send pitfall: after a timeout on an order that filled, the same client id executes again', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    emulator.setFaults({ rate: 1, kinds: ['timeout-after-execute'] });
    expect((await rejection(exchange.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'resend-1' }))).name).toBe('RequestTimeout');
    emulator.setFaults({ rate: 0, kinds: [] });
    const resent = await exchange.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'resend-1' });
    expect(resent.status).toBe('closed');
    expect(emulator.orders().map((o) => [o.clientOrderId, o.status])).toEqual([['resend-1', 'FILLED'], ['resend-1', 'FILLED']]);
  });

  it("scope 'private' faults every signed endpoint (a query that times out is a RequestTimeout too)", async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    emulator.setFaults({ rate: 1, kinds: ['timeout-after-execute'], scope: 'private' });
    expect((await rejection(exchange.fetchOpenOrders('BTC/USDT'))).name).toBe('RequestTimeout');
    expect(emulator.faultLog()).toMatchObject([{ kind: 'timeout-after-execute', method: 'GET', path: '/api/v3/openOrders' }]);
  });

  it('draws faults from its seed: the same seed gives the same faults', async () => {
    const { exchange, emulator } = await start({ faults: { rate: 0.5, kinds: ['5xx', '429'], seed: 7 } });
    await exchange.loadMarkets();
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: `seed-${i}` });
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as Error).constructor.name);
      }
    }
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(emulator.orders().length);
    expect(emulator.faultLog()).toHaveLength(6 - emulator.orders().length);
    emulator.setFaults({ rate: 0.5, kinds: ['5xx', '429'], seed: 7 });
    const replay: string[] = [];
    for (let i = 0; i < 6; i++) {
      try {
        await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: `seed-again-${i}` });
        replay.push('ok');
      } catch (error) {
        replay.push((error as Error).constructor.name);
      }
    }
    expect(replay).toEqual(outcomes);
  });
});
