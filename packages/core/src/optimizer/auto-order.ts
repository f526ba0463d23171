import type { ExecutionStrategy } from '../contracts/execution-strategy.js';
import { TrancheError } from '../errors/tranche-error.js';
import { zodErrorToTrancheError } from '../errors/validation.js';
import type { MarketInfo, TradeEvent } from '../model/market.schema.js';
import type { OrderRequest } from '../model/order.schema.js';
import type { OrderDetails } from './order-details.schema.js';

/** How far back recent trades count for the market-volume estimate of a `type: "auto"` order. */
export const AUTO_VOLUME_LOOKBACK_MS = 3_600_000;
/** Below this much covered trade history the market volume is unknown. */
export const AUTO_MIN_VOLUME_SPAN_MS = 10_000;

/** A candidate strategy fitted to a `type: "auto"` order: the request and params it would run with. */
export type FittedAutoOrder =
  | { ok: true; request: OrderRequest; params: unknown; droppedKeys: string[] }
  | { ok: false; reason: string };

/**
 * Fits a `type: "auto"` order to one candidate strategy. The order's params are hints
 * for every candidate: each gets the keys its `paramsSchema` knows (unknown keys such as
 * `urgent`, or `durationMs` for `market`, are dropped). `params.limitPrice` is the
 * parent's price guard for every candidate: one that does not take it as a param gets
 * it as the request's `price`. A candidate whose required params are missing, or whose
 * `validate` rejects the order, is not eligible (`ok: false` with the reason).
 */
export function fitAutoOrder(request: OrderRequest, strategy: ExecutionStrategy<unknown>, market: MarketInfo): FittedAutoOrder {
  const hints = { ...(request.params ?? {}) };
  let result = strategy.paramsSchema.safeParse(hints);
  const droppedKeys: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) if (issue.code === 'unrecognized_keys' && issue.path.length === 0) droppedKeys.push(...issue.keys);
  }
  if (droppedKeys.length > 0) {
    const kept = Object.fromEntries(Object.entries(hints).filter(([key]) => !droppedKeys.includes(key)));
    result = strategy.paramsSchema.safeParse(kept);
  }
  if (!result.success) {
    const error = zodErrorToTrancheError(result.error, hints, 'params', (path) => ['params', ...path].map(String).join('.'));
    return { ok: false, reason: error.message.replace(/^invalid params: /, '') };
  }
  let fitted: OrderRequest = { ...request, type: strategy.id };
  const limitPrice = hints['limitPrice'];
  if (droppedKeys.includes('limitPrice') && request.price === undefined && typeof limitPrice === 'number' && limitPrice > 0) {
    fitted = { ...fitted, price: limitPrice };
  }
  try {
    strategy.validate?.(fitted, result.data, market);
  } catch (error) {
    return { ok: false, reason: TrancheError.from(error).message.replace(/^invalid order: /, '') };
  }
  return { ok: true, request: { ...fitted, type: request.type }, params: result.data, droppedKeys };
}

/**
 * The order details the engine gives the optimizer for a `type: "auto"` order: its
 * quantity and side, the market volume expected over its horizon (`params.durationMs`,
 * `params.endTime`, else one hour) from the rate of recent trades (up to the last hour;
 * unknown below 10 s of trades), urgency (`params.urgent: true` or `params.urgency:
 * "high"`) and the deadline its window implies.
 */
export function autoOrderDetails(request: OrderRequest, recentTrades: readonly TradeEvent[], nowMs: number): OrderDetails {
  const params = request.params ?? {};
  const durationMs = typeof params['durationMs'] === 'number' && params['durationMs'] > 0 ? params['durationMs'] : undefined;
  const endTime = typeof params['endTime'] === 'number' && params['endTime'] > nowMs ? params['endTime'] : undefined;
  const startTime = typeof params['startTime'] === 'number' && params['startTime'] > nowMs ? params['startTime'] : nowMs;
  const deadline = endTime ?? (durationMs === undefined ? undefined : startTime + durationMs);
  const horizonMs = deadline === undefined ? AUTO_VOLUME_LOOKBACK_MS : Math.max(1, deadline - nowMs);
  let volume = 0;
  let oldest = Number.POSITIVE_INFINITY;
  for (const trade of recentTrades) {
    if (trade.ts < nowMs - AUTO_VOLUME_LOOKBACK_MS || trade.ts > nowMs) continue;
    volume += trade.quantity;
    oldest = Math.min(oldest, trade.ts);
  }
  const coveredMs = nowMs - oldest;
  const marketVolume = Number.isFinite(coveredMs) && coveredMs >= AUTO_MIN_VOLUME_SPAN_MS ? (volume / coveredMs) * horizonMs : null;
  return {
    quantity: request.quantity,
    marketVolume,
    urgent: params['urgent'] === true || params['urgency'] === 'high',
    side: request.side,
    symbol: request.symbol,
    ...(deadline === undefined ? {} : { deadline }),
  };
}
