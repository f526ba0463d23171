import { injectable } from 'inversify';
import { Observable, filter } from 'rxjs';
import { TERMINAL_CHILD_STATUSES, type ExecutionContext, type ExecutionStrategy, type StrategyAction } from '@tranche/core';
import { MarketParamsSchema, type MarketParams } from './market-params.schema.js';

/**
 * Takes liquidity now: one market order for the whole quantity, walking the visible
 * book. If the book was too thin, the remainder is swept at the next book update, up
 * to `maxOrders` child orders. With `maxSlippageBps` (or a parent `price`) the child
 * orders are marketable limit IOCs that never trade beyond that price.
 */
@injectable()
export class MarketStrategy implements ExecutionStrategy<MarketParams> {
  readonly id = 'market';
  readonly description = 'Immediate execution against the visible book, sweeping any remainder at the next book update';
  readonly paramsSchema = MarketParamsSchema;

  execute(ctx: ExecutionContext<MarketParams>): Observable<StrategyAction> {
    return new Observable<StrategyAction>((subscriber) => {
      const { params, request } = ctx;
      const protectionPrice =
        params.maxSlippageBps !== undefined && ctx.arrivalPrice !== null
          ? ctx.roundPrice(ctx.arrivalPrice * (1 + ((request.side === 'buy' ? 1 : -1) * params.maxSlippageBps) / 10_000))
          : undefined;
      let sent = 0;
      let waitingForBook = false;

      const send = (): void => {
        const progress = ctx.progress();
        if (progress.workingQuantity > 0) return;
        const quantity = ctx.roundQuantity(progress.unallocatedQuantity);
        if (quantity <= 0) return subscriber.complete();
        if (sent >= params.maxOrders) {
          subscriber.next({ kind: 'note', message: `stopping after ${sent} orders (maxOrders); ${quantity} left unfilled` });
          return subscriber.complete();
        }
        sent++;
        const reason =
          sent === 1
            ? `take ${quantity} now against the visible book (best ${request.side === 'buy' ? 'ask' : 'bid'} ${request.side === 'buy' ? ctx.book().bestAsk() : ctx.book().bestBid()})`
            : `the visible depth ran out; sweep the remaining ${quantity} at the refreshed book (order ${sent} of at most ${params.maxOrders})`;
        if (protectionPrice !== undefined) {
          subscriber.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'limit', timeInForce: 'IOC', price: protectionPrice, quantity, reason: `${reason}, no worse than ${protectionPrice} (${params.maxSlippageBps} bps from arrival)` });
        } else {
          subscriber.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity, reason });
        }
      };

      const childEnded = ctx.childOrders$.pipe(filter((order) => TERMINAL_CHILD_STATUSES.has(order.status))).subscribe(() => {
        if (ctx.progress().workingQuantity === 0) waitingForBook = true;
      });
      const bookUpdates = ctx.market$.pipe(filter((event) => event.type !== 'trade')).subscribe(() => {
        if (!waitingForBook) return;
        waitingForBook = false;
        send();
      });
      send();
      return () => {
        childEnded.unsubscribe();
        bookUpdates.unsubscribe();
      };
    });
  }
}
