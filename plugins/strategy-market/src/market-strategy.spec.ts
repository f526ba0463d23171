import { describe, expect, it } from 'vitest';
import { TestBench, strategyContract, type InMemoryVenue } from '@tranche/testkit';
import marketStrategyPlugin from './index.js';

strategyContract('market', { plugin: marketStrategyPlugin, type: 'market' });
strategyContract('market with slippage protection', {
  plugin: marketStrategyPlugin,
  type: 'market',
  params: { maxSlippageBps: 5 },
});

describe('MarketStrategy', () => {
  it('fills a buy against the visible asks, best first, with slippage matching its fills', async () => {
    const bench = await TestBench.create({ plugins: [marketStrategyPlugin] });
    const book = bench.tranche.manager;
    expect(book).toBeDefined();
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 });
    expect(report.status).toBe('filled');
    const prices = report.fills.map((fill) => fill.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const average = report.fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0) / report.filledQuantity;
    expect(report.slippageBps).toBeCloseTo(((average - report.arrivalPrice!) / report.arrivalPrice!) * 10_000, 9);
    expect(report.fills.every((fill) => fill.liquidity === 'taker')).toBe(true);
    await bench.close();
  });

  it('sweeps the remainder at the next book update when the visible depth runs out', async () => {
    const bench = await TestBench.create({ plugins: [marketStrategyPlugin] });
    // The synthetic book shows 20 levels of 0.2–1.7 each: 40 BTC cannot fill at once.
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'sell', type: 'market', quantity: 40, params: { maxOrders: 3 } });
    expect(report.childOrders.length).toBeGreaterThan(1);
    expect(report.childOrders.length).toBeLessThanOrEqual(3);
    expect(report.filledQuantity).toBeLessThanOrEqual(40);
    expect((bench.venue as InMemoryVenue).received.map((order) => order.clientOrderId)).toEqual(report.childOrders.map((child) => child.clientOrderId));
    await bench.close();
  });

  it('never trades beyond maxSlippageBps from the arrival mid', async () => {
    const bench = await TestBench.create({ plugins: [marketStrategyPlugin] });
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 5, params: { maxSlippageBps: 1, maxOrders: 1 } });
    const cap = report.arrivalPrice! * (1 + 1 / 10_000);
    for (const fill of report.fills) expect(fill.price).toBeLessThanOrEqual(cap);
    expect(report.childOrders[0]?.type).toBe('limit');
    expect(report.status).toBe('partially_filled');
    await bench.close();
  });
});
