import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinanceEmulator } from '@tranche/testkit';
import { CapturingLogger, SECRET_VARIABLE, TEST_API_KEY, TEST_API_SECRET, pause, startEmulator, venueOn } from './emulator-harness.js';

/**
 * With a secret the exchange refuses, ccxt pro's Binance user-data subscription rejects
 * a websocket future nobody awaits. venue-ccxt handles such futures, so the process sees
 * no unhandled rejection (which would end it), and nothing secret is logged.
 */

let emulator: BinanceEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  process.env[SECRET_VARIABLE] = TEST_API_SECRET;
  await emulator.close();
});

describe('venue-ccxt with a refused signature and order streams on', () => {
  it('no unhandled rejection while the order streams fail; the failures are logged redacted', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const wrongSecret = 'wrongSECRET-0a1b2c3d4e5f6a7b8c9d';
    process.env[SECRET_VARIABLE] = wrongSecret;
    const logger = new CapturingLogger();
    const venue = venueOn(emulator, logger, { orderStreams: true, marketData: 'poll' });
    try {
      await venue.initialize();
      const refused = await venue
        .placeOrder({ clientOrderId: 'wrong-1', parentId: 'wrong', symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.001, price: 50_000, timeInForce: 'GTC' })
        .catch((error: unknown) => error);
      expect(String(refused)).toMatch(/Signature for this request is not valid/);
      await pause(1_000);
      expect(unhandled.map(String)).toEqual([]);
      const text = logger.lines.join('\n');
      expect(text).not.toContain(wrongSecret);
      expect(text).not.toContain(TEST_API_KEY);
    } finally {
      await venue.close();
      await pause(100);
      process.off('unhandledRejection', onUnhandled);
    }
  }, 20_000);
});
