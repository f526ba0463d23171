import { describe, expect, it } from 'vitest';
import { TestBench, strategyContract, type InMemoryVenue } from '@tranche/testkit';
import limitStrategyPlugin from './index.js';

strategyContract('limit (passive, expiring)', {
  plugin: limitStrategyPlugin,
  type: 'limit',
  params: { expireAfterMs: 120_000 },
  price: (side, mid) => (side === 'buy' ? mid - 2 : mid + 2),
});
strategyContract('limit (crossing IOC)', {
  plugin: limitStrategyPlugin,
  type: 'limit',
  params: { timeInForce: 'IOC' },
  price: (side, mid) => (side === 'buy' ? mid + 10 : mid - 10),
});

describe('LimitStrategy', () => {
  it('requires a price, naming the field', async () => {
    const bench = await TestBench.create({ plugins: [limitStrategyPlugin] });
    await expect(bench.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 1 })).rejects.toThrow(/price is required/);
    expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
    await bench.close();
  });

  it('a limit that never crosses expires with nothing filled', async () => {
    const bench = await TestBench.create({ plugins: [limitStrategyPlugin] });
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 0.1, price: 50_000, params: { expireAfterMs: 60_000 } });
    expect(report.status).toBe('expired');
    expect(report.filledQuantity).toBe(0);
    expect(report.endedAt - report.startedAt).toBe(60_000);
    expect(report.childOrders).toHaveLength(1);
    expect(report.childOrders[0]?.status).toBe('cancelled');
    expect(await bench.venue.openOrders()).toHaveLength(0);
    await bench.close();
  });

  it('a GTC limit without expiry ends when the market data ends', async () => {
    const bench = await TestBench.create({ plugins: [limitStrategyPlugin], market: { durationMs: 30_000 } });
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'sell', type: 'limit', quantity: 0.1, price: 90_000 });
    expect(report.status).toBe('expired');
    expect(report.endReason).toMatch(/market data ended/);
    await bench.close();
  });

  it('a crossing limit takes liquidity only up to its price', async () => {
    const bench = await TestBench.create({ plugins: [limitStrategyPlugin] });
    const mid = bench.tranche.manager && 60_000;
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 3, price: mid + 3, params: { timeInForce: 'IOC' } });
    for (const fill of report.fills) expect(fill.price).toBeLessThanOrEqual(mid + 3);
    expect(report.fills.length).toBeGreaterThan(0);
    await bench.close();
  });

  it('rejects both expiry params together', async () => {
    const bench = await TestBench.create({ plugins: [limitStrategyPlugin] });
    await expect(
      bench.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity: 1, price: 1, params: { expireAfterMs: 1, expireAt: 2 } }),
    ).rejects.toThrow(/not both/);
    await bench.close();
  });
});
