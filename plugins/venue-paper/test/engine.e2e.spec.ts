import { ContainerModule, injectable } from 'inversify';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ExecutionStrategy, definePlugin, type ExecutionContext, type StrategyAction } from '@tranche/core';
import { TestBench, expectConsistentReport } from '@tranche/testkit';
import { PaperVenue } from '../src/index.js';

const NoParamsSchema = z.object({}).strict();

/** Sends one child order for the whole quantity and stops: market, or a limit at the best bid/ask. */
@injectable()
class OneShotStrategy implements ExecutionStrategy<Record<string, never>> {
  readonly id: string = 'one-shot';
  readonly description = 'one child order for the whole quantity (tests)';
  readonly paramsSchema = NoParamsSchema as unknown as z.ZodType<Record<string, never>>;

  constructor(private readonly passive = false) {}

  execute(ctx: ExecutionContext<Record<string, never>>): Observable<StrategyAction> {
    return new Observable<StrategyAction>((subscriber) => {
      const quantity = ctx.roundQuantity(ctx.request.quantity);
      if (this.passive) {
        const book = ctx.book();
        const price = ctx.request.side === 'buy' ? book.bestBid() : book.bestAsk();
        subscriber.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'limit', timeInForce: 'GTC', price, quantity, reason: 'join the best level' });
      } else {
        subscriber.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity, reason: 'take now' });
      }
      subscriber.complete();
    });
  }
}

@injectable()
class PassiveStrategy extends OneShotStrategy {
  override readonly id = 'one-shot-passive';
  constructor() {
    super(true);
  }
}

const strategies = definePlugin({
  name: 'test-strategies',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(ExecutionStrategy).toConstantValue(new OneShotStrategy());
    bind(ExecutionStrategy).to(PassiveStrategy);
  }),
});

async function bench(): Promise<TestBench> {
  return TestBench.create({
    plugins: [strategies],
    market: { midPrice: 60_000, seed: 7 },
    venue: (clock, source) => PaperVenue.create({ clock, source, config: { latencyMs: 20 } }),
  });
}

describe('PaperVenue under the engine (TestBench, synthetic market, virtual time)', () => {
  it('fills a market parent order against the book, 20 ms after the decision', async () => {
    const testBench = await bench();
    const startedAt = testBench.clock.now();
    const report = await testBench.execute({ id: 'mkt', symbol: 'BTC/USDT', side: 'buy', type: 'one-shot', quantity: 0.5 });
    expect(report.status).toBe('filled');
    expectConsistentReport(report, 0.5);
    expect(report.fills.every((fill) => fill.liquidity === 'taker' && fill.ts === startedAt + 20)).toBe(true);
    expect(report.fees).toBeCloseTo(report.notional * 0.001, 6);
    const venue = testBench.venue as PaperVenue;
    const btc = (await venue.balances()).find((balance) => balance.asset === 'BTC')!;
    expect(btc.free).toBeCloseTo(1_000.5, 9);
    await testBench.close();
  });

  it('works a passive parent order as maker through the recorded trades, identically on every run', async () => {
    const runOnce = async () => {
      const testBench = await bench();
      const report = await testBench.execute({ id: 'passive', symbol: 'BTC/USDT', side: 'buy', type: 'one-shot-passive', quantity: 0.3 });
      await testBench.close();
      return report;
    };
    const report = await runOnce();
    expectConsistentReport(report, 0.3);
    expect(report.filledQuantity).toBeGreaterThan(0);
    expect(report.fills.every((fill) => fill.liquidity === 'maker')).toBe(true);
    const limit = report.childOrders[0]!.price!;
    expect(report.fills.every((fill) => fill.price === limit)).toBe(true);
    expect(JSON.stringify(await runOnce())).toBe(JSON.stringify(report));
  });
});
