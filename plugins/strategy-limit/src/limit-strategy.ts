import { injectable } from 'inversify';
import { Observable, filter, timer } from 'rxjs';
import {
  TERMINAL_CHILD_STATUSES,
  TrancheError,
  type ExecutionContext,
  type ExecutionStrategy,
  type MarketInfo,
  type OrderRequest,
  type StrategyAction,
} from '@tranche/core';
import { LimitParamsSchema, type LimitParams } from './limit-params.schema.js';

/**
 * One limit order at the request's `price` with a time in force and an optional
 * expiry. A resting order is cancelled when it expires, when the parent is cancelled
 * and when the engine closes; the parent ends `expired` (or `partially_filled`) at
 * expiry, `filled` when done.
 */
@injectable()
export class LimitStrategy implements ExecutionStrategy<LimitParams> {
  readonly id = 'limit';
  readonly description = 'One limit order at the given price, with time in force and optional expiry';
  readonly paramsSchema = LimitParamsSchema;

  validate(request: OrderRequest, params: LimitParams, market: MarketInfo): void {
    if (request.price === undefined) {
      throw new TrancheError('validation', 'invalid order: price is required for a limit order, got undefined', { field: 'price', retryable: false });
    }
    if (params.expireAfterMs !== undefined && params.expireAt !== undefined) {
      throw new TrancheError('validation', 'invalid order: give params.expireAfterMs or params.expireAt, not both', { field: 'params.expireAt', retryable: false });
    }
    // A price that rounds to nothing, or an order the venue would refuse as too small, would otherwise wait silently until the data ends.
    if (request.price < market.tickSize / 2) {
      throw new TrancheError('validation', `invalid order: price must be at least the tick size ${market.tickSize} of ${market.symbol}, got ${request.price}`, { field: 'price', retryable: false });
    }
    if (market.minNotional > 0 && request.price * request.quantity < market.minNotional) {
      throw new TrancheError(
        'validation',
        `invalid order: quantity ${request.quantity} at price ${request.price} is below the minimum notional ${market.minNotional} ${market.quote} of ${market.symbol}`,
        { field: 'price', retryable: false },
      );
    }
  }

  execute(ctx: ExecutionContext<LimitParams>): Observable<StrategyAction> {
    return new Observable<StrategyAction>((subscriber) => {
      const { params, request } = ctx;
      const price = ctx.roundPrice(request.price!);
      const quantity = ctx.roundQuantity(request.quantity);
      const clientOrderId = ctx.nextClientOrderId();
      const now = ctx.clock.now();
      const expiresAt = params.expireAt ?? (params.expireAfterMs === undefined ? undefined : now + params.expireAfterMs);
      const childEnded = ctx.childOrders$
        .pipe(filter((order) => order.clientOrderId === clientOrderId && TERMINAL_CHILD_STATUSES.has(order.status)))
        .subscribe((order) => {
          if (order.status !== 'filled') subscriber.next({ kind: 'note', message: `order ${clientOrderId} ended ${order.status}${order.reason ? `: ${order.reason}` : ''}` });
          subscriber.complete();
        });
      const book = ctx.book();
      const touch = request.side === 'buy' ? book.bestAsk() : book.bestBid();
      const crosses = Number.isFinite(touch) && (request.side === 'buy' ? price >= touch : price <= touch);
      subscriber.next({
        kind: 'place',
        clientOrderId,
        type: 'limit',
        price,
        quantity,
        timeInForce: params.timeInForce,
        reason: crosses
          ? `limit ${price} crosses the ${request.side === 'buy' ? 'ask' : 'bid'} ${touch}: takes liquidity up to the limit`
          : `rest at ${price} (${params.timeInForce}${expiresAt === undefined ? '' : `, expires at ${new Date(expiresAt).toISOString()}`})`,
      });
      if (expiresAt === undefined || params.timeInForce === 'IOC' || params.timeInForce === 'FOK') return () => childEnded.unsubscribe();
      const expiry = timer(Math.max(0, expiresAt - now), ctx.clock.scheduler).subscribe(() => {
        subscriber.next({ kind: 'finish', status: 'expired', reason: `the limit order expired at ${new Date(expiresAt).toISOString()}` });
      });
      return () => {
        childEnded.unsubscribe();
        expiry.unsubscribe();
      };
    });
  }
}
