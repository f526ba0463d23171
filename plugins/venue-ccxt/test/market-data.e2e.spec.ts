import { describe, expect, it } from 'vitest';
import { LiveClock, type MarketEvent } from '@tranche/core';
import { CcxtConnection, CcxtMarketDataSource, CcxtVenueConfigSchema, type CcxtVenueConfigInput } from '../src/index.js';
import { CapturingLogger, emulatorConfig, startEmulator, waitFor } from './emulator-harness.js';

async function sourceOn(overrides: CcxtVenueConfigInput) {
  const emulator = await startEmulator({ autoMarket: { intervalMs: 50, driftBps: 2, seed: 3 } });
  const logger = new CapturingLogger();
  const config = CcxtVenueConfigSchema.parse(emulatorConfig(emulator, overrides));
  const source = new CcxtMarketDataSource(new CcxtConnection(config, new LiveClock(), logger));
  const events: MarketEvent[] = [];
  source.events$.subscribe((event) => events.push(event));
  await source.initialize();
  await source.start();
  return { emulator, logger, source, events };
}

describe('CcxtMarketDataSource on the Binance emulator (ccxt pro binance)', () => {
  it('streams a snapshot, deltas and trades; after a websocket disconnect it re-connects and re-snapshots', async () => {
    const { emulator, source, events } = await sourceOn({ marketData: 'stream', bookDepth: 10 });
    try {
      expect(await waitFor(() => events.some((event) => event.type === 'book-delta') && events.some((event) => event.type === 'trade'))).toBe(true);
      expect(events.find((event) => event.type === 'book-snapshot' || event.type === 'book-delta')!.type).toBe('book-snapshot');
      const snapshotsBefore = events.filter((event) => event.type === 'book-snapshot').length;
      emulator.disconnectWebSockets();
      expect(await waitFor(() => events.filter((event) => event.type === 'book-snapshot').length > snapshotsBefore, 8_000)).toBe(true);
      expect(source.stats()['BTC/USDT']!.reconnects).toBeGreaterThan(0);
      const tradeIds = events.filter((event) => event.type === 'trade').map((event) => (event as { tradeId: string }).tradeId);
      expect(new Set(tradeIds).size).toBe(tradeIds.length);
    } finally {
      await source.close();
      await emulator.close();
    }
  });

  it('polls book, trades and ticker when asked to', async () => {
    const { emulator, source, events, logger } = await sourceOn({ marketData: 'poll' });
    try {
      expect(await waitFor(() => events.filter((event) => event.type === 'book-snapshot').length >= 2 && events.some((event) => event.type === 'ticker'))).toBe(true);
      expect(source.stats()['BTC/USDT']!.mode).toBe('poll');
      expect(logger.lines.some((line) => line.includes('market data started'))).toBe(true);
    } finally {
      await source.close();
      await emulator.close();
    }
  });
});
