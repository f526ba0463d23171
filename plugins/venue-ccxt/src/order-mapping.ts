import type { Balance, ChildOrder, ChildOrderStatus, Fill, Liquidity, TimeInForce, VenueOrderRequest } from '@tranche/core';
import type { CcxtBalances, CcxtOrder, CcxtTrade } from './ccxt-exchange.js';
import { timestampOr } from './market-mapping.js';
import { payloadNumber } from './payload-checks.js';

/** Binance's rule for client order ids, the strictest common one: 1-36 characters of `[.A-Za-z0-9:/_-]`. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Za-z0-9:/_-]{1,36}$/;

/** True when `clientOrderId` can be sent to the exchange unchanged. */
export function isValidClientOrderId(clientOrderId: string): boolean {
  return CLIENT_ORDER_ID_PATTERN.test(clientOrderId);
}

/** The parent id of a deterministic client id `{parentId}-{n}` (the whole id otherwise). */
export function parentIdOf(clientOrderId: string): string {
  const match = /^(.*)-\d+$/.exec(clientOrderId);
  return match ? match[1]! : clientOrderId;
}

/** ccxt order status (plus filled amount) as a Tranche child-order status. */
export function toChildStatus(order: Pick<CcxtOrder, 'status' | 'filled' | 'amount'>): ChildOrderStatus {
  const filled = order.filled ?? 0;
  switch (order.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled' as CcxtOrder['status']:
      return 'cancelled';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    default:
      return filled > 0 ? 'partially_filled' : 'open';
  }
}

/** ccxt's time in force / post-only flag as a Tranche time in force. */
function timeInForceOf(order: CcxtOrder): TimeInForce {
  if (order.postOnly || order.timeInForce === 'PO') return 'GTX';
  return order.timeInForce === 'IOC' || order.timeInForce === 'FOK' || order.timeInForce === 'GTX' ? order.timeInForce : 'GTC';
}

/**
 * A ccxt order as a Tranche `ChildOrder`. The request it was placed with (when
 * known) supplies what ccxt may leave out (type, time in force, parent id).
 */
export function toChildOrder(order: CcxtOrder, now: number, request?: VenueOrderRequest): ChildOrder {
  const clientOrderId = request?.clientOrderId ?? order.clientOrderId ?? String(order.id);
  // A malformed number is an error naming it, never a NaN or a silent 0 in a child order.
  const what = `order ${clientOrderId}`;
  const filledQuantity = payloadNumber(order.filled, 'filled', what) ?? 0;
  const average = payloadNumber(order.average, 'average', what);
  const cost = payloadNumber(order.cost, 'cost', what);
  const amount = payloadNumber(order.amount, 'amount', what);
  const orderPrice = payloadNumber(order.price, 'price', what);
  const averagePrice = average && average > 0 ? average : filledQuantity > 0 && cost ? cost / filledQuantity : 0;
  const type = request?.type ?? (order.type === 'market' ? 'market' : 'limit');
  const price = request?.price ?? (orderPrice && orderPrice > 0 ? orderPrice : undefined);
  const status = toChildStatus(order);
  const createdAt = timestampOr(order.timestamp, now);
  const updatedAt = timestampOr(order.lastUpdateTimestamp ?? order.lastTradeTimestamp ?? order.timestamp, now);
  return {
    clientOrderId,
    parentId: request?.parentId ?? parentIdOf(clientOrderId),
    ...(order.id === undefined || order.id === null || order.id === '' ? {} : { venueOrderId: String(order.id) }),
    symbol: request?.symbol ?? order.symbol ?? '',
    side: request?.side ?? (order.side === 'sell' ? 'sell' : 'buy'),
    type,
    timeInForce: request?.timeInForce ?? timeInForceOf(order),
    ...(type === 'limit' && price !== undefined ? { price } : {}),
    quantity: amount && amount > 0 ? amount : (request?.quantity ?? filledQuantity),
    filledQuantity,
    averagePrice: Number.isFinite(averagePrice) ? averagePrice : 0,
    status,
    createdAt,
    updatedAt: Math.max(createdAt, updatedAt),
    ...(status === 'rejected' || status === 'expired' || status === 'cancelled' ? { reason: `${order.status ?? status} at the exchange` } : {}),
  };
}

/**
 * A ccxt trade of one of our orders as a Tranche `Fill`. `fillId` is the exchange's
 * trade id. `liquidity` is ccxt's `takerOrMaker`, else `assumed` (taker for fills in
 * the order's own response or of a market order, maker otherwise). `undefined` for a
 * trade without an id, price or amount (it cannot be de-duplicated safely); a malformed
 * price, amount or fee (NaN, a string, negative) is a `venue-unavailable` error naming it.
 */
export function toFill(trade: CcxtTrade, clientOrderId: string, now: number, assumed: Liquidity): Fill | undefined {
  const what = `trade ${String(trade.id)} of order ${clientOrderId}`;
  const price = payloadNumber(trade.price, 'price', what);
  const quantity = payloadNumber(trade.amount, 'amount', what);
  const fee = payloadNumber(trade.fee?.cost, 'fee.cost', what);
  if (trade.id === undefined || trade.id === null || trade.id === '' || price === undefined || !(price > 0) || quantity === undefined || !(quantity > 0)) return undefined;
  return {
    fillId: String(trade.id),
    clientOrderId,
    symbol: trade.symbol ?? '',
    side: trade.side === 'sell' ? 'sell' : 'buy',
    ts: timestampOr(trade.timestamp, now),
    price,
    quantity,
    fee: fee ?? 0,
    feeCurrency: trade.fee?.currency ?? '',
    liquidity: trade.takerOrMaker === 'maker' || trade.takerOrMaker === 'taker' ? trade.takerOrMaker : assumed,
  };
}

/** A ccxt balance structure as Tranche balances (assets with a non-zero total only); a malformed amount is an error naming the asset. */
export function toBalances(balances: CcxtBalances): Balance[] {
  const free = (balances.free ?? {}) as unknown as Record<string, number | undefined>;
  const used = (balances.used ?? {}) as unknown as Record<string, number | undefined>;
  const assets = new Set([...Object.keys(free), ...Object.keys(used)]);
  const result: Balance[] = [];
  for (const asset of [...assets].sort()) {
    const freeAmount = payloadNumber(free[asset], `free.${asset}`, 'balance') ?? 0;
    const locked = payloadNumber(used[asset], `used.${asset}`, 'balance') ?? 0;
    if (freeAmount > 0 || locked > 0) result.push({ asset, free: freeAmount, locked });
  }
  return result;
}
