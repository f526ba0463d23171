import { ContainerModule } from 'inversify';
import { Observable } from 'rxjs';
import { z } from 'zod';
import { ExecutionStrategy, definePlugin, type ExecutionContext, type StrategyAction } from '@tranche/core';

const PacedParamsSchema = z
  .object({ durationMs: z.number().int().positive(), slices: z.number().int().positive().default(10), style: z.enum(['alternate', 'marketable']).default('alternate'), spinMs: z.number().nonnegative().default(0) })
  .strict();
type PacedParams = z.infer<typeof PacedParamsSchema>;

/** Orders the `fixed` test strategy places at once: market orders or limit orders at an absolute price. */
export type FixedOrder = { type: 'market'; quantity: number } | { type: 'limit'; quantity: number; price: number };

/**
 * A plugin of small strategies for testing monitors and collectors: `fixed` places the
 * given orders at the start and completes; `resting` rests one limit order far from the
 * market and never ends; `paced` works the parent in equal slices on market events
 * (passive at the near touch in even slices, marketable IOC at the far touch in odd ones
 * and at the end), telling its schedule, optionally spinning `spinMs` of wall time per
 * decision for latency tests.
 */
export function testStrategies(fixed: readonly FixedOrder[] = []) {
  const fixedStrategy: ExecutionStrategy<Record<string, never>> = {
    id: 'fixed',
    description: 'places a fixed list of orders at the start',
    paramsSchema: z.object({}).strict(),
    execute: (ctx) =>
      new Observable<StrategyAction>((subscriber) => {
        for (const order of fixed) {
          subscriber.next({
            kind: 'place',
            clientOrderId: ctx.nextClientOrderId(),
            type: order.type,
            quantity: order.quantity,
            ...(order.type === 'limit' ? { price: order.price, timeInForce: 'GTC' as const } : {}),
            reason: 'fixed',
          });
        }
        subscriber.complete();
      }),
  };
  const restingStrategy: ExecutionStrategy<{ durationMs?: number; offset: number }> = {
    id: 'resting',
    description: 'rests one limit order `offset` below the bid (above the ask for a sell) and never ends',
    paramsSchema: z.object({ durationMs: z.number().int().positive().optional(), offset: z.number().positive().default(1_000) }).strict(),
    execute: (ctx) =>
      new Observable<StrategyAction>((subscriber) => {
        const book = ctx.book();
        const buy = ctx.request.side === 'buy';
        subscriber.next({
          kind: 'place',
          clientOrderId: ctx.nextClientOrderId(),
          type: 'limit',
          quantity: ctx.request.quantity,
          price: ctx.roundPrice(buy ? book.bestBid() - ctx.params.offset : book.bestAsk() + ctx.params.offset),
          timeInForce: 'GTC',
          reason: 'resting far away',
        });
      }),
  };
  const pacedStrategy: ExecutionStrategy<PacedParams> = {
    id: 'paced',
    description: 'equal slices on market events, alternating passive and marketable',
    paramsSchema: PacedParamsSchema,
    execute: (ctx: ExecutionContext<PacedParams>) =>
      new Observable<StrategyAction>((subscriber) => {
        const { durationMs, slices } = ctx.params;
        const start = ctx.clock.now();
        const quantity = ctx.request.quantity;
        const buy = ctx.request.side === 'buy';
        let slice = -1;
        const subscription = ctx.market$.subscribe(() => {
          const elapsed = ctx.clock.now() - start;
          const current = Math.min(slices - 1, Math.floor((elapsed * slices) / durationMs));
          const progress = ctx.progress();
          if (current !== slice) {
            slice = current;
            subscriber.next({ kind: 'schedule', scheduledQuantity: (quantity * (slice + 1)) / slices });
            for (const order of progress.workingOrders) subscriber.next({ kind: 'cancel', clientOrderId: order.clientOrderId, reason: 'new slice' });
            return;
          }
          const target = (quantity * (slice + 1)) / slices;
          const gap = ctx.roundQuantity(Math.min(target - progress.filledQuantity - progress.workingQuantity, progress.unallocatedQuantity));
          if (gap < ctx.market.minQuantity || progress.workingOrders.length > 0) return;
          const book = ctx.book();
          const passive = ctx.params.style === 'alternate' && slice % 2 === 0 && slice < slices - 1;
          const price = passive ? (buy ? book.bestBid() : book.bestAsk()) : buy ? book.bestAsk() + 5 * ctx.market.tickSize : book.bestBid() - 5 * ctx.market.tickSize;
          if (!Number.isFinite(price)) return;
          // A slow decision, for latency tests: busy-wait on the wall clock.
          const until = performance.now() + ctx.params.spinMs;
          while (performance.now() < until);
          subscriber.next({
            kind: 'place',
            clientOrderId: ctx.nextClientOrderId(),
            type: 'limit',
            quantity: gap,
            price: ctx.roundPrice(price),
            timeInForce: passive ? 'GTC' : 'IOC',
            reason: passive ? 'passive slice' : 'marketable slice',
          });
        });
        return () => subscription.unsubscribe();
      }),
  };
  return definePlugin({
    name: 'test-strategies',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(ExecutionStrategy).toConstantValue(fixedStrategy);
      bind(ExecutionStrategy).toConstantValue(restingStrategy);
      bind(ExecutionStrategy).toConstantValue(pacedStrategy);
    }),
  });
}
