import { describe, expect, it } from 'vitest';
import { ExecutionReportSchema, type ExecutionReport } from '@tranche/core';
import { main } from '../src/index.js';
import { captureIo } from './capture-io.js';

async function execute(order: Record<string, unknown>): Promise<ExecutionReport> {
  const io = captureIo();
  const code = await main(['execute', '--order', JSON.stringify(order), '--json'], io);
  expect(code, io.err.text).toBe(0);
  return ExecutionReportSchema.parse(JSON.parse(io.out.text));
}

/** The invariants every algorithm's report must satisfy on the paper venue. */
function expectInvariants(report: ExecutionReport, limitPrice?: number): void {
  expect(report.filledQuantity).toBeLessThanOrEqual(report.requestedQuantity + 1e-9);
  const fillSum = report.fills.reduce((sum, fill) => sum + fill.quantity, 0);
  expect(fillSum).toBeCloseTo(report.filledQuantity, 9);
  const childSum = report.childOrders.reduce((sum, child) => sum + child.filledQuantity, 0);
  expect(childSum).toBeCloseTo(report.filledQuantity, 9);
  const ids = report.childOrders.map((child) => child.clientOrderId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const child of report.childOrders) expect(['filled', 'cancelled', 'rejected', 'expired']).toContain(child.status);
  if (limitPrice !== undefined) {
    for (const fill of report.fills) {
      if (report.side === 'buy') expect(fill.price).toBeLessThanOrEqual(limitPrice);
      else expect(fill.price).toBeGreaterThanOrEqual(limitPrice);
    }
  }
  expect(report.schedule?.length ?? 0).toBeGreaterThan(1);
  expect(report.marketVwap).toBeGreaterThan(0);
}

describe('algorithms on the paper venue over the bundled Binance data', () => {
  for (const side of ['buy', 'sell'] as const) {
    it(`twap ${side}s 2 BTC over 5 minutes`, async () => {
      const report = await execute({ symbol: 'BTC/USDT', side, type: 'twap', quantity: 2, params: { durationMs: 300_000, randomization: 0.5, seed: 3 } });
      expect(report.status).toBe('filled');
      expectInvariants(report);
      expect(report.completion?.outcome).toMatch(/completed|swept/);
    });

    it(`vwap ${side}s 2 BTC over 5 minutes, within a 5% participation cap`, async () => {
      const report = await execute({ symbol: 'BTC/USDT', side, type: 'vwap', quantity: 2, params: { durationMs: 300_000, maxParticipation: 0.05, completion: 'best-effort' } });
      expectInvariants(report);
      expect(report.vwapSlippageBps).not.toBeNull();
    });

    it(`iceberg ${side}s 3 ETH showing 0.5 at a time, within a limit price`, async () => {
      const limitPrice = side === 'buy' ? 2_800 : 2_400;
      const report = await execute({ symbol: 'ETH/USDT', side, type: 'iceberg', quantity: 3, params: { durationMs: 240_000, displayQuantity: 0.5, limitPrice } });
      expectInvariants(report, limitPrice);
      for (const child of report.childOrders) expect(child.quantity).toBeLessThanOrEqual(0.5 + 1e-9);
    });
  }

  it('an order smaller than its slices still completes (0.003 BTC over 10 slices)', async () => {
    const report = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.003, params: { durationMs: 300_000, slices: 10 } });
    expect(report.status).toBe('filled');
    expectInvariants(report);
  });

  it('a TWAP runs identically every time with the same seed', async () => {
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 240_000, randomization: 0.8, seed: 11 } };
    expect(JSON.stringify(await execute(order))).toBe(JSON.stringify(await execute(order)));
  });
});
