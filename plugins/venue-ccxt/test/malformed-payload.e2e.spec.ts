import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrancheError, createTranche } from '@tranche/core';
import { testStrategies, type BinanceEmulator } from '@tranche/testkit';
import ccxtVenuePlugin from '../src/index.js';
import { CapturingLogger, emulatorConfig, startEmulator, venueOn } from './emulator-harness.js';

/**
 * The Binance emulator executes a request and answers it with every amount and price as
 * "NaN" (fault `malformed-payload`). ccxt fails on it while parsing (or hands a NaN
 * over, which venue-ccxt refuses naming the field): either way one clear, retryable
 * TrancheError, never an `internal` one that would abandon an order the exchange holds,
 * and never a NaN in a child order. Through the engine, the look-up by client id then finds the order, so each child is
 * still exactly one exchange order and the parent completes.
 */

let emulator: BinanceEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoMarket: { intervalMs: 100, driftBps: 1, seed: 5 } });
});
afterAll(async () => {
  await emulator.close();
});

describe('venue-ccxt on malformed exchange answers', () => {
  it('a submit answered with NaN amounts: an ambiguous, retryable error (not internal); the order is found by client id afterwards', async () => {
    const logger = new CapturingLogger();
    const venue = venueOn(emulator, logger, { orderStreams: false });
    await venue.initialize();
    try {
      emulator.setFaults({ rate: 1, kinds: ['malformed-payload'], seed: 1, scope: 'orders' });
      const error = await venue
        .placeOrder({ clientOrderId: 'malformed-1', parentId: 'malformed', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.001, price: 50_000, timeInForce: 'GTC' })
        .catch((caught: unknown) => caught);
      emulator.setFaults({ rate: 0, kinds: [] });
      expect(error).toBeInstanceOf(TrancheError);
      const failure = error as TrancheError;
      // ccxt itself fails on the NaN (its Precise arithmetic): the submit is ambiguous, so the router looks the order up before any re-send.
      expect(failure.kind).toBe('timeout-ambiguous');
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(/^the exchange's answer could not be read \(\w*Error\): Cannot convert NaN to a BigInt/);
      const found = await venue.fetchOrder('BTC/USDT', 'malformed-1');
      expect(found).toMatchObject({ clientOrderId: 'malformed-1', quantity: 0.001, price: 50_000, filledQuantity: 0, status: 'open' });
      expect(emulator.orders('BTCUSDT').filter((order) => order.clientOrderId === 'malformed-1')).toHaveLength(1);
      await venue.cancelOrder('BTC/USDT', 'malformed-1');
    } finally {
      await venue.close();
    }
  }, 30_000);

  it('a sliced parent with 30% malformed answers completes: one exchange order per child, no NaN anywhere', async () => {
    const tranche = createTranche({
      config: { max_retries: 10, asset_cache: { default_symbols: ['BTC/USDT'], refresh_interval: 1 }, 'venue-ccxt': emulatorConfig(emulator, { marketData: 'stream' }) },
      plugins: [ccxtVenuePlugin, testStrategies()],
      logger: new CapturingLogger(),
    });
    try {
      await tranche.manager.initialize();
      const before = new Set(emulator.orders('BTCUSDT').map((order) => order.clientOrderId));
      emulator.setFaults({ rate: 0.3, kinds: ['malformed-payload'], seed: 4, scope: 'private' });
      const report = await tranche.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 0.01, params: { durationMs: 2_000, slices: 8, style: 'marketable' } });
      emulator.setFaults({ rate: 0, kinds: [] });
      expect(emulator.faultLog().some((fault) => fault.kind === 'malformed-payload')).toBe(true);
      expect(report.status).toBe('filled');
      expect(report.filledQuantity).toBeCloseTo(0.01, 9);
      for (const value of [report.filledQuantity, report.averagePrice, report.fees, ...report.fills.flatMap((fill) => [fill.price, fill.quantity, fill.fee])]) expect(Number.isFinite(value)).toBe(true);
      const counts = new Map<string, number>();
      for (const order of emulator.orders('BTCUSDT').filter((candidate) => !before.has(candidate.clientOrderId))) counts.set(order.clientOrderId, (counts.get(order.clientOrderId) ?? 0) + 1);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      const exchangeFilled = emulator.fills('BTCUSDT').filter((fill) => counts.has(fill.clientOrderId)).reduce((sum, fill) => sum + fill.qty, 0);
      expect(exchangeFilled).toBeCloseTo(report.filledQuantity, 9);
    } finally {
      await tranche.close();
    }
  }, 60_000);
});
