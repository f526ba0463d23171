import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBinanceEmulator } from '../src/index.js';
import { API_KEY, API_SECRET, rejection, startHarness, type EmulatorHarness } from './binance-emulator-harness.js';

let harness: EmulatorHarness | undefined;
const start = async (...args: Parameters<typeof startHarness>) => (harness = await startHarness(...args));
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Binance emulator through ccxt pro binance: streams', () => {
  it('watchOrderBook syncs a REST snapshot with depthUpdate diffs from the auto market; watchTrades and watchTicker see its prints', async () => {
    const { exchange } = await start({ autoMarket: { intervalMs: 40, driftBps: 1, seed: 3 } });
    const first = await exchange.watchOrderBook('BTC/USDT');
    const firstNonce = first.nonce as number;
    let book = first;
    while ((book.nonce as number) < firstNonce + 3) book = await exchange.watchOrderBook('BTC/USDT');
    const rest = await exchange.fetchOrderBook('BTC/USDT', 5);
    expect(book.bids[0]![0]).toBeLessThan(book.asks[0]![0]!);
    expect(Math.abs(rest.bids[0]![0]! - book.bids[0]![0]!)).toBeLessThan(100);
    const trades = await exchange.watchTrades('BTC/USDT');
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.at(-1)).toMatchObject({ symbol: 'BTC/USDT' });
    const ticker = await exchange.watchTicker('BTC/USDT');
    expect(ticker.symbol).toBe('BTC/USDT');
    expect(ticker.last).toBeGreaterThan(0);
  });

  it('watchOrders and watchMyTrades receive executionReports over the WS API user data stream', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    const firstUpdate = exchange.watchOrders('BTC/USDT');
    const myTrade = exchange.watchMyTrades('BTC/USDT');
    await exchange.sleep(300); // the WS API subscription (userDataStream.subscribe.signature) is in place
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.002, 60_000, { clientOrderId: 'ws-order-1' });
    const updates = await firstUpdate;
    expect(updates.at(-1)).toMatchObject({ id: order.id, clientOrderId: 'ws-order-1', status: 'open' });
    const filled = exchange.watchOrders('BTC/USDT');
    emulator.trade('BTCUSDT', 59_999, 0.002, 'sell');
    expect((await filled).at(-1)).toMatchObject({ id: order.id, status: 'closed', filled: 0.002 });
    expect((await myTrade).at(-1)).toMatchObject({ order: order.id, price: 60_000, amount: 0.002, takerOrMaker: 'maker' });
  }, 15_000);

  it('drop-ws-fill: the fill happens but its executionReport is not sent (REST shows it)', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    const opened = exchange.watchOrders('BTC/USDT');
    await exchange.sleep(300);
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.002, 60_000, { clientOrderId: 'ws-drop-1' });
    await opened;
    emulator.setFaults({ rate: 1, kinds: ['drop-ws-fill'] });
    let lastSeen = 'open';
    const watching = exchange
      .watchOrders('BTC/USDT')
      .then((orders) => (lastSeen = orders.at(-1)!.status!))
      .catch(() => undefined); // rejected with ExchangeClosedByUser when the test closes ccxt
    emulator.trade('BTCUSDT', 59_999, 0.002, 'sell');
    await exchange.sleep(300);
    expect(lastSeen).toBe('open');
    expect((await exchange.fetchOrder(order.id!, 'BTC/USDT')).status).toBe('closed');
    expect(emulator.faultLog()).toMatchObject([{ kind: 'drop-ws-fill', orderId: Number(order.id) }]);
    void watching;
  });

  it('ws-disconnect: the order is executed, then every websocket is dropped and pending watches reject', async () => {
    const { exchange, emulator } = await start();
    await exchange.loadMarkets();
    await exchange.watchOrderBook('BTC/USDT');
    const pendingTrades = exchange.watchTrades('BTC/USDT');
    await exchange.sleep(100);
    emulator.setFaults({ rate: 1, kinds: ['ws-disconnect'] });
    const order = await exchange.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60_000, { clientOrderId: 'ws-cut-1' });
    expect(order.status).toBe('open');
    const { name } = await rejection(pendingTrades);
    expect(name).toBe('NetworkError');
    expect(emulator.faultLog()).toMatchObject([{ kind: 'ws-disconnect', clientOrderId: 'ws-cut-1' }]);
  });
});

describe('Binance emulator: auto market on an injected scheduler', () => {
  it('fills a resting order in virtual time', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 20_000);
    const { exchange, emulator } = await start({ scheduler, checkTimestamp: false, autoMarket: { intervalMs: 1_000, driftBps: 5, seed: 11, symbols: ['ETHUSDT'] } });
    const order = await exchange.createOrder('ETH/USDT', 'limit', 'buy', 0.01, 3399.99, { clientOrderId: 'twap-1-1' });
    expect(order.status).toBe('open');
    scheduler.flush(); // twenty one-second steps of the random walk
    expect(await exchange.fetchOrder(order.id!, 'ETH/USDT')).toMatchObject({ status: 'closed', filled: 0.01 });
    expect(emulator.fills()).toMatchObject([{ clientOrderId: 'twap-1-1', isMaker: true, price: 3399.99 }]);
  });

  it('walks the same way for the same seed', async () => {
    const run = async () => {
      const scheduler = new VirtualTimeScheduler(undefined, 20_000);
      const emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, scheduler, autoMarket: { intervalMs: 1_000, driftBps: 2, seed: 11, symbols: ['ETHUSDT'] } });
      try {
        scheduler.flush();
        return emulator.publicTrades('ETHUSDT').map((t) => t.price);
      } finally {
        await emulator.close();
      }
    };
    const first = await run();
    expect(first.length).toBe(20);
    expect(new Set(first).size).toBeGreaterThan(3);
    expect(await run()).toEqual(first);
  });
});
