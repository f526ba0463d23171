import { afterEach, describe, expect, it } from 'vitest';
import { TrancheError, type ChildOrder, type Fill } from '@tranche/core';
import { venueContract, type BinanceEmulator } from '@tranche/testkit';
import type { CcxtVenue } from '../src/index.js';
import { CapturingLogger, TEST_API_KEY, TEST_API_SECRET, pause, startEmulator, venueOn, waitFor } from './emulator-harness.js';

let run = 0;

venueContract('venue-ccxt on the Binance emulator', async () => {
  const emulator = await startEmulator();
  const venue = venueOn(emulator, new CapturingLogger());
  await venue.initialize();
  return {
    venue,
    symbol: 'BTC/USDT',
    clientOrderIdPrefix: `vc${++run}`,
    passiveBuyPrice: async () => {
      const book = await venue.fetchOrderBook('BTC/USDT', 5);
      return book.bids[0]![0] * 0.95;
    },
    settle: () => pause(20),
    close: async () => {
      await venue.close();
      await emulator.close();
    },
  };
});

describe('venue-ccxt through ccxt binance on the emulator', () => {
  let emulator: BinanceEmulator | undefined;
  let venue: CcxtVenue | undefined;
  const logger = new CapturingLogger();

  afterEach(async () => {
    await venue?.close();
    await emulator?.close();
    venue = undefined;
    emulator = undefined;
  });

  async function setUp(): Promise<{ emulator: BinanceEmulator; venue: CcxtVenue; fills: Fill[]; updates: ChildOrder[] }> {
    emulator = await startEmulator();
    venue = venueOn(emulator, logger);
    await venue.initialize();
    const fills: Fill[] = [];
    const updates: ChildOrder[] = [];
    venue.fills$.subscribe((fill) => fills.push(fill));
    venue.orderUpdates$.subscribe((order) => updates.push(order));
    return { emulator, venue, fills, updates };
  }

  it('reads Binance rules from the recorded exchangeInfo: tick, step, minimums and fees', async () => {
    const { venue } = await setUp();
    const market = await venue.market('BTC/USDT');
    expect(market).toMatchObject({ symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001 });
    expect(market.minNotional).toBeGreaterThan(0);
    expect(market.takerFeeBps).toBeCloseTo(10, 9);
  });

  it('places a resting limit order, sees it filled by a public trade (maker), then a cancel is harmless', async () => {
    const { emulator, venue, fills, updates } = await setUp();
    const book = await venue.fetchOrderBook('BTC/USDT', 5);
    const price = Math.round(book.bids[0]![0] * 0.99 * 100) / 100;
    const ack = await venue.placeOrder({ clientOrderId: 'rest-1', parentId: 'rest', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.002, price, timeInForce: 'GTC' });
    expect(ack.status).toBe('open');
    emulator.trade('BTCUSDT', price, 0.01, 'sell');
    expect(await waitFor(() => updates.some((order) => order.clientOrderId === 'rest-1' && order.status === 'filled'))).toBe(true);
    expect(await waitFor(() => fills.filter((fill) => fill.clientOrderId === 'rest-1').length > 0)).toBe(true);
    const own = fills.filter((fill) => fill.clientOrderId === 'rest-1');
    expect(own.reduce((sum, fill) => sum + fill.quantity, 0)).toBeCloseTo(0.002, 12);
    expect(own.every((fill) => fill.liquidity === 'maker')).toBe(true);
    expect(own.map((fill) => fill.fillId)).toEqual(emulator.fills().filter((fill) => fill.clientOrderId === 'rest-1').map((fill) => String(fill.tradeId)));
    const cancelled = await venue.cancelOrder('BTC/USDT', 'rest-1');
    expect(cancelled.status).toBe('filled');
  });

  it('rejects post-only orders that would take, and never turns a market buy into quoteOrderQty', async () => {
    const { emulator, venue } = await setUp();
    const book = await venue.fetchOrderBook('BTC/USDT', 5);
    const error = await venue
      .placeOrder({ clientOrderId: 'gtx-1', parentId: 'gtx', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.001, price: book.asks[0]![0], timeInForce: 'GTX' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).kind).toBe('venue-rejected');
    await venue.placeOrder({ clientOrderId: 'mkt-1', parentId: 'mkt', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.003, timeInForce: 'IOC' });
    const sent = emulator.orders().find((order) => order.clientOrderId === 'mkt-1')!;
    expect(sent.origQty).toBeCloseTo(0.003, 12);
    expect(sent.origQuoteOrderQty).toBe(0);
  });

  it('checks min notional before sending: a clear rejection naming the rule, nothing reaches the exchange', async () => {
    const { emulator, venue } = await setUp();
    const error = await venue
      .placeOrder({ clientOrderId: 'tiny-1', parentId: 'tiny', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.00002, price: 100, timeInForce: 'GTC' })
      .catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('venue-rejected');
    expect((error as TrancheError).message).toMatch(/NOTIONAL/);
    expect(emulator.orders()).toHaveLength(0);
  });

  it('recovers by polling a fill whose websocket message was dropped', async () => {
    const { emulator, venue, fills } = await setUp();
    const book = await venue.fetchOrderBook('BTC/USDT', 5);
    const price = Math.round(book.bids[0]![0] * 0.99 * 100) / 100;
    await venue.placeOrder({ clientOrderId: 'lost-1', parentId: 'lost', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.001, price, timeInForce: 'GTC' });
    emulator.setFaults({ rate: 1, kinds: ['drop-ws-fill'], seed: 3 });
    emulator.trade('BTCUSDT', price, 0.01, 'sell');
    expect(await waitFor(() => fills.some((fill) => fill.clientOrderId === 'lost-1'))).toBe(true);
    expect(emulator.faultLog().some((fault) => fault.kind === 'drop-ws-fill')).toBe(true);
    expect(venue.syncStats().fillsRecoveredByPolling).toBeGreaterThan(0);
    expect(fills.map((fill) => fill.fillId)).toEqual(emulator.fills().map((fill) => String(fill.tradeId)));
  });

  it('maps a 429 onto rate-limited with the Retry-After wait, and backs off every call meanwhile', async () => {
    const { emulator, venue } = await setUp();
    emulator.setFaults({ rate: 1, kinds: ['429'], seed: 1 });
    const error = await venue
      .placeOrder({ clientOrderId: 'rl-1', parentId: 'rl', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001, timeInForce: 'IOC' })
      .catch((caught: unknown) => caught);
    emulator.setFaults({ rate: 0, kinds: [] });
    expect((error as TrancheError).kind).toBe('rate-limited');
    expect((error as TrancheError).retryAfterMs).toBe(1_000);
    const during = await venue.balances().catch((caught: unknown) => caught);
    expect((during as TrancheError).kind).toBe('rate-limited');
    expect(emulator.orders()).toHaveLength(0);
  });

  it('reports a timeout after the exchange executed as timeout-ambiguous; the look-up by client id finds the order', async () => {
    const { emulator, venue } = await setUp();
    emulator.setFaults({ rate: 1, kinds: ['timeout-after-execute'], seed: 1 });
    const error = await venue
      .placeOrder({ clientOrderId: 'amb-1', parentId: 'amb', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001, timeInForce: 'IOC' })
      .catch((caught: unknown) => caught);
    emulator.setFaults({ rate: 0, kinds: [] });
    expect((error as TrancheError).kind).toBe('timeout-ambiguous');
    expect((error as TrancheError).retryable).toBe(true);
    // The router waits out what is left of the 1.2 s receive window (if anything) before its look-up.
    expect((error as TrancheError).retryAfterMs ?? 0).toBeLessThanOrEqual(1_200);
    const found = await venue.fetchOrder('BTC/USDT', 'amb-1');
    expect(found?.status).toBe('filled');
    expect(emulator.orders().filter((order) => order.clientOrderId === 'amb-1')).toHaveLength(1);
  });

  it('never writes the API key, the secret or a signature into a log line or an error message', async () => {
    const { emulator, venue } = await setUp();
    const errors: string[] = [];
    emulator.setFaults({ rate: 1, kinds: ['timeout-after-execute', '5xx', '429', 'drop-socket'], seed: 5, scope: 'private' });
    for (let index = 1; index <= 6; index++) {
      await venue.placeOrder({ clientOrderId: `leak-${index}`, parentId: 'leak', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.001, timeInForce: 'IOC' }).catch((caught: unknown) => {
        errors.push(String((caught as Error).message));
      });
      await venue.balances().catch((caught: unknown) => errors.push(String((caught as Error).message)));
      await pause(1_050);
    }
    emulator.setFaults({ rate: 0, kinds: [] });
    const text = [...logger.lines, ...errors].join('\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(TEST_API_SECRET);
    expect(text).not.toMatch(/signature=[0-9a-f]{8}/);
  }, 30_000);
});
