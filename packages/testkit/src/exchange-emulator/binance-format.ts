import type { EmulatorFill, EmulatorLevel, EmulatorOrder, EmulatorPublicTrade } from './emulator-types.js';
import type { BalanceRow, SymbolStats } from './engine-types.js';

/** Binance's decimal strings: 8 decimals. */
export const dec = (value: number): string => value.toFixed(8);

const levels = (rows: readonly EmulatorLevel[]) => rows.map(([p, q]) => [dec(p), dec(q)]);

/** `GET /api/v3/depth` body. */
export function depthBody(book: { lastUpdateId: number; bids: EmulatorLevel[]; asks: EmulatorLevel[] }) {
  return { lastUpdateId: book.lastUpdateId, bids: levels(book.bids), asks: levels(book.asks) };
}

/** `GET /api/v3/order` (and openOrders, allOrders) element. */
export function orderBody(order: EmulatorOrder) {
  return {
    symbol: order.symbol,
    orderId: order.orderId,
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: dec(order.price),
    origQty: dec(order.origQty),
    executedQty: dec(order.executedQty),
    cummulativeQuoteQty: dec(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    stopPrice: dec(0),
    icebergQty: dec(0),
    time: order.time,
    updateTime: order.updateTime,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: dec(order.origQuoteOrderQty),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** `POST /api/v3/order` body for `newOrderRespType` ACK, RESULT or FULL. */
export function newOrderBody(order: EmulatorOrder, fills: readonly EmulatorFill[], respType: string) {
  const ack = { symbol: order.symbol, orderId: order.orderId, orderListId: -1, clientOrderId: order.clientOrderId, transactTime: order.time };
  if (respType === 'ACK') return ack;
  const result = {
    ...ack,
    price: dec(order.price),
    origQty: dec(order.origQty),
    executedQty: dec(order.executedQty),
    origQuoteOrderQty: dec(order.origQuoteOrderQty),
    cummulativeQuoteQty: dec(order.cummulativeQuoteQty),
    status: order.status,
    timeInForce: order.timeInForce,
    type: order.type,
    side: order.side,
    workingTime: order.time,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
  if (respType === 'RESULT') return result;
  return {
    ...result,
    fills: fills.map((f) => ({ price: dec(f.price), qty: dec(f.qty), commission: dec(f.commission), commissionAsset: f.commissionAsset, tradeId: f.tradeId })),
  };
}

/** `DELETE /api/v3/order` body. */
export function cancelBody(order: EmulatorOrder, cancelClientOrderId: string) {
  const { symbol, orderId, orderListId, price, origQty, executedQty, cummulativeQuoteQty, status, timeInForce, type, side, selfTradePreventionMode, origQuoteOrderQty } = orderBody(order);
  return {
    symbol,
    origClientOrderId: order.clientOrderId,
    orderId,
    orderListId,
    clientOrderId: cancelClientOrderId,
    transactTime: order.updateTime,
    price,
    origQty,
    executedQty,
    origQuoteOrderQty,
    cummulativeQuoteQty,
    status,
    timeInForce,
    type,
    side,
    selfTradePreventionMode,
  };
}

/** `GET /api/v3/myTrades` element. */
export function myTradeBody(fill: EmulatorFill) {
  return {
    symbol: fill.symbol,
    id: fill.tradeId,
    orderId: fill.orderId,
    orderListId: -1,
    price: dec(fill.price),
    qty: dec(fill.qty),
    quoteQty: dec(fill.quoteQty),
    commission: dec(fill.commission),
    commissionAsset: fill.commissionAsset,
    time: fill.time,
    isBuyer: fill.side === 'BUY',
    isMaker: fill.isMaker,
    isBestMatch: true,
  };
}

/** `GET /api/v3/trades` element. */
export function tradeBody(trade: EmulatorPublicTrade) {
  return { id: trade.tradeId, price: dec(trade.price), qty: dec(trade.qty), quoteQty: dec(trade.price * trade.qty), time: trade.time, isBuyerMaker: trade.isBuyerMaker, isBestMatch: true };
}

/** `GET /api/v3/aggTrades` element (one aggregate per trade). */
export function aggTradeBody(trade: EmulatorPublicTrade) {
  return { a: trade.tradeId, p: dec(trade.price), q: dec(trade.qty), f: trade.tradeId, l: trade.tradeId, T: trade.time, m: trade.isBuyerMaker, M: true };
}

/** `GET /api/v3/ticker/24hr` element. */
export function ticker24hrBody(symbol: string, stats: SymbolStats, bid: EmulatorLevel | undefined, ask: EmulatorLevel | undefined, now: number) {
  const change = stats.lastPrice - stats.openPrice;
  return {
    symbol,
    priceChange: dec(change),
    priceChangePercent: (stats.openPrice > 0 ? (change / stats.openPrice) * 100 : 0).toFixed(3),
    weightedAvgPrice: dec(stats.volume > 0 ? stats.quoteVolume / stats.volume : stats.lastPrice),
    prevClosePrice: dec(stats.openPrice),
    lastPrice: dec(stats.lastPrice),
    lastQty: dec(stats.lastQty),
    bidPrice: dec(bid?.[0] ?? 0),
    bidQty: dec(bid?.[1] ?? 0),
    askPrice: dec(ask?.[0] ?? 0),
    askQty: dec(ask?.[1] ?? 0),
    openPrice: dec(stats.openPrice),
    highPrice: dec(stats.highPrice),
    lowPrice: dec(stats.lowPrice),
    volume: dec(stats.volume),
    quoteVolume: dec(stats.quoteVolume),
    openTime: stats.openTime,
    closeTime: now,
    firstId: stats.firstId,
    lastId: stats.lastId,
    count: stats.count,
  };
}

/** The `24hrTicker` websocket event built from the REST body. */
export function ticker24hrEvent(body: ReturnType<typeof ticker24hrBody>, eventTime: number) {
  return {
    e: '24hrTicker', E: eventTime, s: body.symbol, p: body.priceChange, P: body.priceChangePercent, w: body.weightedAvgPrice,
    x: body.prevClosePrice, c: body.lastPrice, Q: body.lastQty, b: body.bidPrice, B: body.bidQty, a: body.askPrice, A: body.askQty,
    o: body.openPrice, h: body.highPrice, l: body.lowPrice, v: body.volume, q: body.quoteVolume, O: body.openTime, C: body.closeTime,
    F: body.firstId, L: body.lastId, n: body.count,
  };
}

/** `GET /api/v3/account` body. */
export function accountBody(balances: readonly BalanceRow[], now: number) {
  return {
    makerCommission: 10, takerCommission: 10, buyerCommission: 0, sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true, canWithdraw: true, canDeposit: true, brokered: false, requireSelfTradePrevention: false, preventSor: false,
    updateTime: now, accountType: 'SPOT',
    balances: balances.map((b) => ({ asset: b.asset, free: dec(b.free), locked: dec(b.locked) })),
    permissions: ['SPOT'], uid: 354937868,
  };
}

/** The `executionReport` user data event. */
export function executionReportEvent(execType: string, order: EmulatorOrder, fill: EmulatorFill | undefined, eventTime: number) {
  return {
    e: 'executionReport', E: eventTime, s: order.symbol, c: order.clientOrderId, S: order.side, o: order.type, f: order.timeInForce,
    q: dec(order.origQty), p: dec(order.price), P: dec(0), F: dec(0), g: -1, C: '', x: execType, X: order.status, r: 'NONE',
    i: order.orderId, l: dec(fill?.qty ?? 0), z: dec(order.executedQty), L: dec(fill?.price ?? 0), n: dec(fill?.commission ?? 0),
    N: fill?.commissionAsset ?? null, T: fill?.time ?? order.updateTime, t: fill?.tradeId ?? -1, I: fill?.tradeId ?? order.orderId,
    w: order.status === 'NEW' || order.status === 'PARTIALLY_FILLED', m: fill?.isMaker ?? false, M: false, O: order.time,
    Z: dec(order.cummulativeQuoteQty), Y: dec(fill?.quoteQty ?? 0), Q: dec(order.origQuoteOrderQty), W: order.time, V: 'EXPIRE_MAKER',
  };
}

/** The `outboundAccountPosition` user data event. */
export function accountPositionEvent(balances: readonly BalanceRow[], eventTime: number) {
  return { e: 'outboundAccountPosition', E: eventTime, u: eventTime, B: balances.map((b) => ({ a: b.asset, f: dec(b.free), l: dec(b.locked) })) };
}
