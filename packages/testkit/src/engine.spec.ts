import fc from 'fast-check';
import { ContainerModule } from 'inversify';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ExecutionStrategy, TrancheError, definePlugin, type ExecutionContext, type StrategyAction } from '@tranche/core';
import { z } from 'zod';
import { InMemoryVenue } from './in-memory-venue.js';
import { expectConsistentReport } from './strategy-contract.js';
import { TestBench } from './test-bench.js';

/** A strategy that places the given orders at once (quantities may exceed the parent). */
function scriptedStrategy(orders: Array<{ type: 'market' | 'limit'; quantity: number; priceOffset?: number }>) {
  const strategy: ExecutionStrategy<Record<string, never>> = {
    id: 'scripted',
    description: 'places a fixed list of orders',
    paramsSchema: z.object({}).strict(),
    execute: (ctx: ExecutionContext<Record<string, never>>) =>
      new Observable<StrategyAction>((subscriber) => {
        const mid = ctx.book().mid();
        for (const order of orders) {
          subscriber.next({
            kind: 'place',
            clientOrderId: ctx.nextClientOrderId(),
            type: order.type,
            quantity: order.quantity,
            ...(order.type === 'limit' ? { price: mid + (order.priceOffset ?? 0), timeInForce: 'IOC' as const } : {}),
            reason: 'scripted',
          });
        }
        subscriber.complete();
      }),
  };
  return definePlugin({
    name: 'strategy-scripted',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(ExecutionStrategy).toConstantValue(strategy);
    }),
  });
}

const order = { symbol: 'BTC/USDT', side: 'buy', type: 'scripted', quantity: 1 };

describe('engine: OrderRouter and Execution', () => {
  it('retries a retryable failure and sends the order once', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([{ type: 'market', quantity: 1 }])] });
    const venue = bench.venue as InMemoryVenue;
    venue.failNext(new TrancheError('venue-unavailable', '503 Service Unavailable'));
    const report = await bench.execute(order);
    expect(report.status).toBe('filled');
    expect(venue.allOrders()).toHaveLength(1);
    expect(bench.events.filter((event) => event.type === 'child-order-error')).toHaveLength(1);
    await bench.close();
  });

  it('after an ambiguous timeout looks the order up instead of sending it again', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([{ type: 'market', quantity: 1 }])] });
    const venue = bench.venue as InMemoryVenue;
    venue.failNext(new TrancheError('timeout-ambiguous', 'request timed out'), { after: true });
    const report = await bench.execute(order);
    expect(report.status).toBe('filled');
    expect(venue.received).toHaveLength(1);
    expect(venue.allOrders()).toHaveLength(1);
    expect(report.filledQuantity).toBeCloseTo(1, 9);
    await bench.close();
  });

  it('does not retry a rejection and ends the parent rejected', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([{ type: 'market', quantity: 1 }])] });
    const venue = bench.venue as InMemoryVenue;
    venue.failNext(new TrancheError('insufficient-funds', 'account has insufficient balance'));
    const report = await bench.execute(order);
    expect(report.status).toBe('rejected');
    expect(report.errors[0]?.kind).toBe('insufficient-funds');
    expect(venue.received).toHaveLength(1);
    await bench.close();
  });

  it('gives up after max_retries', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([{ type: 'market', quantity: 1 }])], config: { max_retries: 2 } });
    const venue = bench.venue as InMemoryVenue;
    for (let attempt = 0; attempt < 3; attempt++) venue.failNext(new TrancheError('rate-limited', '429', { retryAfterMs: 1_000 }));
    const report = await bench.execute(order);
    expect(report.status).toBe('rejected');
    // first attempt + 2 retries, each retry preceded by a look-up that also consumed no injected error
    expect(venue.received.length).toBeLessThanOrEqual(3);
    await bench.close();
  });

  it('clips orders to the unallocated quantity: never overfills (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ type: fc.constantFrom<'market' | 'limit'>('market', 'limit'), quantity: fc.double({ min: 0.00001, max: 3, noNaN: true }), priceOffset: fc.double({ min: -20, max: 20, noNaN: true }) }), { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.constantFrom('buy', 'sell'),
        async (orders, quantity, side) => {
          const bench = await TestBench.create({ plugins: [scriptedStrategy(orders)], market: { durationMs: 20_000 } });
          const parentQuantity = Math.round(quantity * 100_000) / 100_000;
          const report = await bench.execute({ ...order, side, quantity: parentQuantity });
          expectConsistentReport(report, parentQuantity);
          const venue = bench.venue as InMemoryVenue;
          const filledAtVenue = venue.allOrders().reduce((sum, child) => sum + child.filledQuantity, 0);
          expect(filledAtVenue).toBeLessThanOrEqual(parentQuantity + 1e-9);
          expect(filledAtVenue).toBeCloseTo(report.filledQuantity, 9);
          const ids = venue.received.map((request) => request.clientOrderId);
          expect(new Set(ids).size).toBe(ids.length);
          await bench.close();
        },
      ),
      { numRuns: 40, seed: 20_240_808 },
    );
  });

  it('a parent limit price caps every child: a market child becomes a marketable limit', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([{ type: 'market', quantity: 5 }, { type: 'limit', quantity: 5, priceOffset: 50 }])] });
    const report = await bench.execute({ ...order, quantity: 5, params: {} , price: 60_002 });
    for (const child of report.childOrders) {
      expect(child.type).toBe('limit');
      expect(child.price).toBeLessThanOrEqual(60_002);
    }
    for (const fill of report.fills) expect(fill.price).toBeLessThanOrEqual(60_002);
    await bench.close();
  });

  it('rejects bad requests before anything reaches the venue, naming field and value', async () => {
    const bench = await TestBench.create({ plugins: [scriptedStrategy([])] });
    const cases: Array<[unknown, RegExp]> = [
      [{ ...order, quantity: -1 }, /quantity must be greater than 0, got -1/],
      [{ ...order, quantity: 0 }, /quantity must be greater than 0, got 0/],
      [{ ...order, quantity: Number.NaN }, /quantity .*NaN/],
      [{ ...order, quantity: 'ten' }, /quantity must be a number, got "ten"/],
      [{ ...order, side: 'hold' }, /side must be "buy" or "sell", got "hold"/],
      [{ ...order, type: 'teleport' }, /type "teleport" is not an installed strategy/],
      [{ ...order, symbol: 'DOGE/USDT' }, /symbol "DOGE\/USDT"/],
      [{ ...order, symbol: 'btc' }, /symbol must look like BASE\/QUOTE/],
      [{ ...order, extra: 1 }, /unknown key "extra"/],
      [{ ...order, params: { nope: true } }, /params\.nope|unknown key "nope"/],
    ];
    for (const [input, message] of cases) {
      const error = await bench.manager.executeOrder(input).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(input)).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).message).toMatch(message);
      expect((error as TrancheError).message.split('\n')).toHaveLength(1);
    }
    expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
    await bench.close();
  });
});
