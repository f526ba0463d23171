import { describe, expect, it } from 'vitest';
import { createTranche, type ExecutionEvent, type Fill } from '@tranche/core';
import { testStrategies, type EmulatorFaultKind } from '@tranche/testkit';
import ccxtVenuePlugin, { CcxtMarketDataSource, CcxtVenue } from '../src/index.js';
import { CapturingLogger, TEST_API_KEY, TEST_API_SECRET, emulatorConfig, startEmulator } from './emulator-harness.js';

describe('a sliced parent order through the engine and venue-ccxt on a faulty Binance emulator', () => {
  async function runScenario(kinds: readonly EmulatorFaultKind[], seed: number, style: 'marketable' | 'alternate'): Promise<void> {
    const emulator = await startEmulator({ autoMarket: { intervalMs: 100, driftBps: 1, seed: 7 } });
    const logger = new CapturingLogger();
    const tranche = createTranche({
      config: {
        max_retries: 10,
        asset_cache: { default_symbols: ['BTC/USDT'], refresh_interval: 1 },
        'venue-ccxt': emulatorConfig(emulator, { marketData: 'stream' }),
      },
      plugins: [ccxtVenuePlugin, testStrategies()],
      logger,
    });
    const events: ExecutionEvent[] = [];
    try {
      await tranche.manager.initialize();
      expect(tranche.get(CcxtMarketDataSource)).toBeInstanceOf(CcxtMarketDataSource);
      tranche.manager.events$.subscribe((event) => events.push(event));
      emulator.setFaults({ rate: 0.2, kinds, seed, scope: 'private' });
      const report = await tranche.manager.executeOrder({
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'paced',
        quantity: 0.04,
        params: { durationMs: 4_000, slices: 20, style },
      });
      emulator.setFaults({ rate: 0, kinds: [] });
      await new Promise((resolve) => setTimeout(resolve, 500));

      expect(report.status).toBe('filled');
      expect(report.filledQuantity).toBeCloseTo(0.04, 9);
      const faults = emulator.faultLog();
      expect(faults.length).toBeGreaterThan(0);

      // Exactly one exchange order per child client id, and every acknowledged child is one of them.
      const exchangeOrders = emulator.orders('BTCUSDT');
      const byClientId = new Map<string, number>();
      for (const order of exchangeOrders) byClientId.set(order.clientOrderId, (byClientId.get(order.clientOrderId) ?? 0) + 1);
      expect([...byClientId.values()].every((count) => count === 1)).toBe(true);
      for (const child of report.childOrders.filter((order) => order.filledQuantity > 0)) expect(byClientId.get(child.clientOrderId)).toBe(1);

      // The fills reported are the exchange's own fill log: same trade ids, quantities and prices, none twice.
      const reported = events.filter((event): event is Extract<ExecutionEvent, { type: 'fill' }> => event.type === 'fill').map((event) => event.fill as Fill);
      const exchangeFills = emulator.fills('BTCUSDT');
      expect(reported.map((fill) => fill.fillId).sort()).toEqual(exchangeFills.map((fill) => String(fill.tradeId)).sort());
      const byId = new Map(exchangeFills.map((fill) => [String(fill.tradeId), fill]));
      for (const fill of reported) {
        expect(fill.quantity).toBeCloseTo(byId.get(fill.fillId)!.qty, 12);
        expect(fill.price).toBeCloseTo(byId.get(fill.fillId)!.price, 9);
      }
      const filledOnExchange = exchangeFills.reduce((sum, fill) => sum + fill.qty, 0);
      expect(filledOnExchange).toBeCloseTo(report.filledQuantity, 9);

      // The credentials never reached a log line.
      const text = logger.lines.join('\n');
      expect(text).not.toContain(TEST_API_KEY);
      expect(text).not.toContain(TEST_API_SECRET);
      expect(tranche.get(CcxtVenue).syncStats().polls).toBeGreaterThan(0);
    } finally {
      await tranche.close();
      await emulator.close();
    }
  }

  it('completes with one exchange order per child and the fills of the exchange log, with 20% timeouts, 5xx and 429 on every signed request', async () => {
    await runScenario(['timeout-after-execute', '5xx', '429'], 22, 'marketable');
  }, 90_000);

  it('the same with dropped sockets, websocket disconnects and dropped websocket fills, passive and marketable slices', async () => {
    await runScenario(['drop-socket', 'ws-disconnect', 'drop-ws-fill', 'timeout-after-execute'], 8, 'alternate');
  }, 90_000);
});
