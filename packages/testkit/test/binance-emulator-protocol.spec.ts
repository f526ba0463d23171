import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBinanceEmulator, type BinanceEmulator } from '../src/index.js';
import { API_KEY, API_SECRET } from './binance-emulator-harness.js';

let emulator: BinanceEmulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await emulator?.close();
  emulator = undefined;
});

/** A signed REST call the way Binance documents it (HMAC of the query string). */
async function signed(method: string, path: string, params: Record<string, string | number>) {
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), timestamp: String(Date.now()) }).toString();
  const signature = createHmac('sha256', API_SECRET).update(query).digest('hex');
  const response = await fetch(`${emulator!.restUrl}${path}?${query}&signature=${signature}`, { method, headers: { 'X-MBX-APIKEY': API_KEY } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
}

/** Opens a websocket and collects its JSON messages. */
async function open(url: string): Promise<{ ws: WebSocket; messages: unknown[]; next: () => Promise<unknown> }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const messages: unknown[] = [];
  let waiting: ((m: unknown) => void) | undefined;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as unknown;
    messages.push(message);
    waiting?.(message);
    waiting = undefined;
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, messages, next: () => new Promise((resolve) => (waiting = resolve)) };
}

describe('Binance emulator: wire protocol', () => {
  it('executes IOC, FOK, quoteOrderQty market and LIMIT_MAKER orders the way Binance does', async () => {
    emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, book: { ETHUSDT: { bids: [[3399, 1]], asks: [[3401, 0.5], [3402, 1]] } } });
    const ioc = await signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '1', price: '3401', newClientOrderId: 'ioc-1' });
    expect(ioc.body).toMatchObject({ status: 'EXPIRED', executedQty: '0.50000000', fills: [{ price: '3401.00000000', qty: '0.50000000', commissionAsset: 'ETH' }] });
    const fok = await signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', quantity: '2', price: '3402' });
    expect(fok.body).toMatchObject({ status: 'EXPIRED', executedQty: '0.00000000', fills: [] });
    const quote = await signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quoteOrderQty: '340.2' });
    expect(quote.body).toMatchObject({ status: 'FILLED', executedQty: '0.10000000', cummulativeQuoteQty: '340.20000000' });
    const maker = await signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT_MAKER', quantity: '0.01', price: '3405' });
    expect(Object.keys(maker.body).sort()).toEqual(['clientOrderId', 'orderId', 'orderListId', 'symbol', 'transactTime']);
    const all = await signed('GET', '/api/v3/allOrders', { symbol: 'ETHUSDT' });
    expect(all.body.map((o) => o['status'])).toEqual(['EXPIRED', 'EXPIRED', 'FILLED', 'NEW']);
    const missing = await signed('POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', quantity: '1', price: '3000' });
    expect(missing).toEqual({ status: 400, body: { code: -1102, msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." } });
  });

  it('serves combined streams, LIST_SUBSCRIPTIONS and the listen-key user data stream', async () => {
    emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET });
    const combined = await open(`${emulator.restUrl.replace('http', 'ws')}/stream?streams=btcusdt@trade/btcusdt@depth`);
    const market = await open(`${emulator.wsUrl}/0`);
    market.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade'], id: 7 }));
    expect(await market.next()).toEqual({ result: null, id: 7 });
    market.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 8 }));
    expect(await market.next()).toEqual({ result: ['ethusdt@aggTrade'], id: 8 });
    const listenKey = (await (await fetch(`${emulator.restUrl}/api/v3/userDataStream`, { method: 'POST', headers: { 'X-MBX-APIKEY': API_KEY } })).json()) as { listenKey: string };
    const user = await open(`${emulator.wsUrl}/${listenKey.listenKey}`);
    const trade = combined.next();
    const aggTrade = market.next();
    emulator.trade('BTCUSDT', 61_000, 0.1, 'sell');
    emulator.trade('ETHUSDT', 3_400, 0.2, 'buy');
    expect(await trade).toMatchObject({ stream: 'btcusdt@trade', data: { e: 'trade', s: 'BTCUSDT', p: '61000.00000000', m: true } });
    expect(await aggTrade).toMatchObject({ e: 'aggTrade', s: 'ETHUSDT', q: '0.20000000', m: false });
    const report = user.next();
    await signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '60000', newClientOrderId: 'lk-1' });
    expect(await report).toMatchObject({ e: 'executionReport', c: 'lk-1', x: 'NEW', X: 'NEW', p: '60000.00000000' });
    const hasDepth = () => combined.messages.some((m) => (m as { stream: string }).stream === 'btcusdt@depth');
    for (let i = 0; i < 100 && !hasDepth(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hasDepth()).toBe(true);
  });
});
