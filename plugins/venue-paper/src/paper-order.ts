import type { ChildOrder, ChildOrderStatus, ChildOrderType, MarketInfo, OrderSide, TimeInForce } from '@tranche/core';

/** The venue's own record of an order (mutable; callers only ever see `ChildOrder` copies). */
export interface PaperOrder {
  readonly clientOrderId: string;
  readonly parentId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: ChildOrderType;
  readonly timeInForce: TimeInForce;
  readonly price: number | undefined;
  readonly quantity: number;
  readonly market: MarketInfo;
  /** Arrival order at the matching engine: time priority among our own orders. */
  readonly sequence: number;
  readonly createdAt: number;
  filledQuantity: number;
  /** Σ price × quantity of the fills. */
  filledNotional: number;
  status: ChildOrderStatus;
  updatedAt: number;
  reason?: string;
  /** Visible quantity ahead of this order at its price level (resting orders). */
  queueAhead: number;
  /** Asset locked for this order, the amount still locked, and how much one unit filled releases. */
  readonly reservedAsset: string;
  reserved: number;
  readonly reservedPerUnit: number;
}

/** The plain, serializable view of an order that callers see. */
export function toChildOrder(order: PaperOrder): ChildOrder {
  return {
    clientOrderId: order.clientOrderId,
    parentId: order.parentId,
    venueOrderId: order.venueOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    ...(order.price === undefined ? {} : { price: order.price }),
    quantity: order.quantity,
    filledQuantity: order.filledQuantity,
    averagePrice: order.filledQuantity > 0 ? order.filledNotional / order.filledQuantity : 0,
    status: order.status,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    ...(order.reason === undefined ? {} : { reason: order.reason }),
  };
}
