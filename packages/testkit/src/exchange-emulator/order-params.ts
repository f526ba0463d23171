import type { NewOrderRequest, OrderLookup } from './engine-types.js';
import type { BinanceApiError } from './symbol-rules.js';

/** Binance's rule for client order ids. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Za-z0-9:/_-]{1,36}$/;
const DECIMAL_PATTERN = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;

/** A request's parameters (query string and form body, merged). */
export type RequestParams = Record<string, string>;

const mandatory = (name: string): BinanceApiError => ({
  code: -1102,
  msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
});
const notRequired = (name: string): BinanceApiError => ({ code: -1106, msg: `Parameter '${name}' sent when not required.` });

const isError = (value: unknown): value is BinanceApiError => typeof value === 'object' && value !== null && 'code' in value;

/** Parses a decimal parameter the way Binance validates it. */
export function decimalParam(params: RequestParams, name: string): number | BinanceApiError | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (!DECIMAL_PATTERN.test(raw)) {
    return { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.` };
  }
  return Number(raw);
}

/** Checks a client order id parameter (`newClientOrderId`, `origClientOrderId`). */
export function clientIdParam(params: RequestParams, name: string): string | BinanceApiError | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (!CLIENT_ORDER_ID_PATTERN.test(raw)) {
    return { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.` };
  }
  return raw;
}

/** Parses `POST /api/v3/order`; `generateId` makes a client id when none is sent. */
export function parseNewOrder(params: RequestParams, generateId: () => string): (NewOrderRequest & { respType: string }) | BinanceApiError {
  const symbol = params['symbol'];
  if (!symbol) return mandatory('symbol');
  const side = params['side'];
  if (!side) return mandatory('side');
  if (side !== 'BUY' && side !== 'SELL') return { code: -1117, msg: 'Invalid side.' };
  const type = params['type'];
  if (!type) return mandatory('type');
  if (!['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'].includes(type)) {
    return { code: -1116, msg: 'Invalid orderType.' };
  }
  if (type !== 'LIMIT' && type !== 'MARKET' && type !== 'LIMIT_MAKER') return { code: -1014, msg: 'Unsupported order combination.' };
  const quantity = decimalParam(params, 'quantity');
  const quoteOrderQty = decimalParam(params, 'quoteOrderQty');
  const price = decimalParam(params, 'price');
  for (const value of [quantity, quoteOrderQty, price]) if (isError(value)) return value;
  const clientOrderId = clientIdParam(params, 'newClientOrderId');
  if (isError(clientOrderId)) return clientOrderId;
  const timeInForce = params['timeInForce'];
  if (timeInForce !== undefined && !['GTC', 'IOC', 'FOK'].includes(timeInForce)) return { code: -1115, msg: 'Invalid timeInForce.' };
  const respType = params['newOrderRespType'] ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL');
  if (!['ACK', 'RESULT', 'FULL'].includes(respType)) return { code: -1100, msg: "Illegal characters found in parameter 'newOrderRespType'." };
  if (type === 'MARKET') {
    if (price !== undefined) return notRequired('price');
    if (timeInForce !== undefined) return notRequired('timeInForce');
    if (quantity === undefined && quoteOrderQty === undefined) {
      return { code: -1102, msg: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!" };
    }
    if (quantity !== undefined && quoteOrderQty !== undefined) return notRequired('quoteOrderQty');
  } else {
    if (price === undefined) return mandatory('price');
    if (quantity === undefined) return mandatory('quantity');
    if (quoteOrderQty !== undefined) return notRequired('quoteOrderQty');
    if (type === 'LIMIT' && timeInForce === undefined) return mandatory('timeInForce');
  }
  return {
    symbol,
    side,
    type,
    timeInForce: type === 'LIMIT' ? (timeInForce as 'GTC' | 'IOC' | 'FOK') : 'GTC',
    quantity: quantity as number | undefined,
    quoteOrderQty: quoteOrderQty as number | undefined,
    price: price as number | undefined,
    clientOrderId: clientOrderId ?? generateId(),
    respType,
  };
}

/** Parses `orderId` / `origClientOrderId` of an order query or cancel. */
export function parseLookup(params: RequestParams): OrderLookup | BinanceApiError {
  const rawId = params['orderId'];
  const origClientOrderId = clientIdParam(params, 'origClientOrderId');
  if (isError(origClientOrderId)) return origClientOrderId;
  if ((rawId === undefined || rawId === '') && origClientOrderId === undefined) {
    return { code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" };
  }
  if (rawId !== undefined && rawId !== '') {
    const orderId = Number(rawId);
    if (!Number.isInteger(orderId)) return { code: -1100, msg: "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'." };
    return { orderId };
  }
  return { origClientOrderId };
}
