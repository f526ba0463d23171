import { injectable } from 'inversify';
import { defer, type Observable } from 'rxjs';
import {
  ParticipationTracker,
  SeededRandom,
  TrancheError,
  displayExecution,
  resolveAlgoWindow,
  seedFromText,
  type ExecutionContext,
  type ExecutionStrategy,
  type MarketInfo,
  type OrderRequest,
  type StrategyAction,
} from '@tranche/core';
import { IcebergParamsSchema, type IcebergParams } from './iceberg-params.schema.js';

/**
 * An iceberg: one order of at most `displayQuantity` shown at a time (randomized down
 * by `randomization`), refilled when it fills, repriced within the limit price when the
 * market moves away by more than `repriceTicks`, and priced at the far side when the
 * execution falls behind its window by more than the urgency allows. Built on core's
 * `displayExecution`.
 */
@injectable()
export class IcebergStrategy implements ExecutionStrategy<IcebergParams> {
  readonly id = 'iceberg';
  readonly description = 'Shows a small, randomized part of the order at a time, refilled on fill and repriced within the limit price';
  readonly paramsSchema = IcebergParamsSchema;

  validate(request: OrderRequest, params: IcebergParams, market: MarketInfo): void {
    const smallest = Math.max(market.minQuantity, market.stepSize);
    if (params.displayQuantity < smallest) {
      throw new TrancheError('validation', `invalid order: params.displayQuantity must be at least ${smallest} on ${market.symbol}, got ${params.displayQuantity}`, {
        field: 'params.displayQuantity',
        retryable: false,
      });
    }
    const price = request.price ?? params.limitPrice;
    if (price !== undefined && params.displayQuantity * price < market.minNotional) {
      throw new TrancheError(
        'validation',
        `invalid order: params.displayQuantity ${params.displayQuantity} at ${price} is below the minimum notional ${market.minNotional} ${market.quote} of ${market.symbol}`,
        { field: 'params.displayQuantity', retryable: false },
      );
    }
  }

  execute(ctx: ExecutionContext<IcebergParams>): Observable<StrategyAction> {
    return defer(() => {
      const { params } = ctx;
      const window = resolveAlgoWindow(params, ctx.clock.now());
      const seed = params.seed ?? seedFromText(ctx.executionId);
      return displayExecution(ctx, {
        params,
        window,
        tracker: new ParticipationTracker(window.startTime),
        random: new SeededRandom(seed).fork('display'),
        displayQuantity: params.displayQuantity,
        repriceTicks: params.repriceTicks,
        refillDelayMs: params.refillDelayMs,
        label: 'Iceberg',
      });
    });
  }
}
