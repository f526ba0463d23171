import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BinanceExchangeInfo } from './binance-fixtures.js';
import {
  accountBody, aggTradeBody, cancelBody, dec, depthBody, myTradeBody, newOrderBody, orderBody, ticker24hrBody, tradeBody,
} from './binance-format.js';
import type { FaultInjector } from './fault-injector.js';
import type { MatchingEngine } from './matching-engine.js';
import { parseLookup, parseNewOrder, type RequestParams } from './order-params.js';
import type { BinanceApiError } from './symbol-rules.js';
import type { OrderLookup } from './engine-types.js';

/** What the REST handler needs from the emulator. */
export interface RestContext {
  engine: MatchingEngine;
  faults: FaultInjector;
  apiKey: string;
  apiSecret: string;
  now: () => number;
  exchangeInfo: BinanceExchangeInfo;
  checkTimestamp: boolean;
  /** Listen keys handed out by `POST /api/v3/userDataStream`. */
  listenKeys: Set<string>;
  /** Requests held open by `timeout-after-execute` (destroyed on close). */
  hanging: Set<Socket>;
  /** Closes every websocket (the `ws-disconnect` fault). */
  disconnectWebSockets: () => void;
}

interface Outcome {
  status?: number;
  body: unknown;
  orderId?: number;
  clientOrderId?: string;
}

type Access = 'public' | 'apiKey' | 'signed';
type Route = { access: Access; handle: (params: RequestParams, ctx: RestContext) => Outcome | BinanceApiError };

const isError = (value: unknown): value is BinanceApiError =>
  typeof value === 'object' && value !== null && 'code' in value && 'msg' in value && Object.keys(value).length === 2;

const symbolOf = (params: RequestParams, ctx: RestContext, required: boolean): string | BinanceApiError | undefined => {
  const symbol = params['symbol'];
  if (!symbol) return required ? { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." } : undefined;
  return ctx.engine.rules(symbol) ? symbol : { code: -1121, msg: 'Invalid symbol.' };
};

/** The symbol and the order look-up (orderId or origClientOrderId) of a query or cancel, or the error to answer. */
const orderTargetOf = (params: RequestParams, ctx: RestContext): { symbol: string; lookup: OrderLookup } | BinanceApiError => {
  const symbol = symbolOf(params, ctx, true);
  if (isError(symbol)) return symbol;
  const lookup = parseLookup(params);
  if (isError(lookup)) return lookup;
  return { symbol: symbol!, lookup };
};

const symbolsOf = (params: RequestParams, ctx: RestContext): string[] | BinanceApiError => {
  const one = symbolOf(params, ctx, false);
  if (isError(one)) return one;
  if (one !== undefined) return [one];
  if (params['symbols']) {
    const list = JSON.parse(params['symbols']) as string[];
    const unknown = list.find((s) => !ctx.engine.rules(s));
    return unknown ? { code: -1121, msg: 'Invalid symbol.' } : list;
  }
  return ctx.engine.symbolIds();
};

const limitOf = (params: RequestParams, fallback: number, max: number): number =>
  Math.min(max, Math.max(1, Number(params['limit'] ?? fallback) || fallback));

let generatedIds = 0;
const generateClientId = (now: number) => `emu${now.toString(36)}${(++generatedIds).toString(36).padStart(6, '0')}`.slice(0, 36);

const routes: Record<string, Route> = {
  'GET /api/v3/ping': { access: 'public', handle: () => ({ body: {} }) },
  'GET /api/v3/time': { access: 'public', handle: (_p, ctx) => ({ body: { serverTime: ctx.now() } }) },
  'GET /api/v3/exchangeInfo': {
    access: 'public',
    handle: (params, ctx) => {
      const symbols = symbolsOf(params, ctx);
      if (isError(symbols)) return symbols;
      return { body: { ...ctx.exchangeInfo, serverTime: ctx.now(), symbols: ctx.exchangeInfo.symbols.filter((s) => symbols.includes(s.symbol)) } };
    },
  },
  'GET /api/v3/depth': {
    access: 'public',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, true);
      if (isError(symbol)) return symbol;
      return { body: depthBody(ctx.engine.depth(symbol!, limitOf(params, 100, 5000))!) };
    },
  },
  'GET /api/v3/trades': { access: 'public', handle: (params, ctx) => tape(params, ctx, tradeBody) },
  'GET /api/v3/historicalTrades': { access: 'apiKey', handle: (params, ctx) => tape(params, ctx, tradeBody) },
  'GET /api/v3/aggTrades': { access: 'public', handle: (params, ctx) => tape(params, ctx, aggTradeBody) },
  'GET /api/v3/ticker/24hr': { access: 'public', handle: (params, ctx) => tickers(params, ctx, (s) => ticker24hrBody(s, ctx.engine.stats(s)!, ctx.engine.bestBidAsk(s).bid, ctx.engine.bestBidAsk(s).ask, ctx.now())) },
  'GET /api/v3/ticker/bookTicker': {
    access: 'public',
    handle: (params, ctx) => tickers(params, ctx, (s) => {
      const { bid, ask } = ctx.engine.bestBidAsk(s);
      return { symbol: s, bidPrice: dec(bid?.[0] ?? 0), bidQty: dec(bid?.[1] ?? 0), askPrice: dec(ask?.[0] ?? 0), askQty: dec(ask?.[1] ?? 0) };
    }),
  },
  'GET /api/v3/ticker/price': { access: 'public', handle: (params, ctx) => tickers(params, ctx, (s) => ({ symbol: s, price: dec(ctx.engine.stats(s)!.lastPrice) })) },
  'GET /api/v3/avgPrice': {
    access: 'public',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, true);
      if (isError(symbol)) return symbol;
      return { body: { mins: 5, price: dec(ctx.engine.stats(symbol!)!.lastPrice), closeTime: ctx.now() } };
    },
  },
  'POST /api/v3/order': {
    access: 'signed',
    handle: (params, ctx) => {
      const request = parseNewOrder(params, () => generateClientId(ctx.now()));
      if (isError(request)) return request;
      const result = ctx.engine.placeOrder(request);
      if (isError(result)) return result;
      return { body: newOrderBody(result.order, result.fills, request.respType), orderId: result.order.orderId, clientOrderId: result.order.clientOrderId };
    },
  },
  'POST /api/v3/order/test': { access: 'signed', handle: () => ({ body: {} }) },
  'GET /api/v3/order': {
    access: 'signed',
    handle: (params, ctx) => {
      const target = orderTargetOf(params, ctx);
      if (isError(target)) return target;
      const order = ctx.engine.findOrder(target.symbol, target.lookup);
      return order ? { body: orderBody(order), orderId: order.orderId, clientOrderId: order.clientOrderId } : { code: -2013, msg: 'Order does not exist.' };
    },
  },
  'DELETE /api/v3/order': {
    access: 'signed',
    handle: (params, ctx) => {
      const target = orderTargetOf(params, ctx);
      if (isError(target)) return target;
      const order = ctx.engine.cancelOrder(target.symbol, target.lookup);
      if (isError(order)) return order;
      return { body: cancelBody(order, params['newClientOrderId'] ?? generateClientId(ctx.now())), orderId: order.orderId, clientOrderId: order.clientOrderId };
    },
  },
  'GET /api/v3/openOrders': {
    access: 'signed',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, false);
      if (isError(symbol)) return symbol;
      return { body: ctx.engine.openOrders(symbol).map(orderBody) };
    },
  },
  'DELETE /api/v3/openOrders': {
    access: 'signed',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, true);
      if (isError(symbol)) return symbol;
      const open = ctx.engine.openOrders(symbol);
      if (open.length === 0) return { code: -2011, msg: 'Unknown order sent.' };
      return { body: open.map((o) => cancelBody(ctx.engine.cancelOrder(symbol!, { orderId: o.orderId }) as typeof o, generateClientId(ctx.now()))) };
    },
  },
  'GET /api/v3/allOrders': {
    access: 'signed',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, true);
      if (isError(symbol)) return symbol;
      const from = Number(params['orderId'] ?? 0);
      const start = Number(params['startTime'] ?? 0);
      const end = Number(params['endTime'] ?? Number.MAX_SAFE_INTEGER);
      const orders = ctx.engine.orders(symbol).filter((o) => o.orderId >= from && o.time >= start && o.time <= end);
      return { body: (params['orderId'] ? orders.slice(0, limitOf(params, 500, 1000)) : orders.slice(-limitOf(params, 500, 1000))).map(orderBody) };
    },
  },
  'GET /api/v3/myTrades': {
    access: 'signed',
    handle: (params, ctx) => {
      const symbol = symbolOf(params, ctx, true);
      if (isError(symbol)) return symbol;
      const from = Number(params['fromId'] ?? 0);
      const start = Number(params['startTime'] ?? 0);
      const end = Number(params['endTime'] ?? Number.MAX_SAFE_INTEGER);
      const orderId = params['orderId'] === undefined ? undefined : Number(params['orderId']);
      const fills = ctx.engine.fills(symbol).filter((f) => f.tradeId >= from && f.time >= start && f.time <= end && (orderId === undefined || f.orderId === orderId));
      return { body: (params['fromId'] ? fills.slice(0, limitOf(params, 500, 1000)) : fills.slice(-limitOf(params, 500, 1000))).map(myTradeBody) };
    },
  },
  'GET /api/v3/account': { access: 'signed', handle: (_p, ctx) => ({ body: accountBody(ctx.engine.balances(), ctx.now()) }) },
  'POST /api/v3/userDataStream': {
    access: 'apiKey',
    handle: (_p, ctx) => {
      const listenKey = `emulator${ctx.listenKeys.size + 1}`.padEnd(60, 'x');
      ctx.listenKeys.add(listenKey);
      return { body: { listenKey } };
    },
  },
  'PUT /api/v3/userDataStream': { access: 'apiKey', handle: (params, ctx) => (ctx.listenKeys.has(params['listenKey'] ?? '') ? { body: {} } : { code: -1125, msg: 'This listenKey does not exist.' }) },
  'DELETE /api/v3/userDataStream': { access: 'apiKey', handle: (params, ctx) => (ctx.listenKeys.delete(params['listenKey'] ?? '') ? { body: {} } : { code: -1125, msg: 'This listenKey does not exist.' }) },
};

function tape(params: RequestParams, ctx: RestContext, format: (t: ReturnType<MatchingEngine['publicTrades']>[number]) => unknown): Outcome | BinanceApiError {
  const symbol = symbolOf(params, ctx, true);
  if (isError(symbol)) return symbol;
  const start = Number(params['startTime'] ?? 0);
  const end = Number(params['endTime'] ?? Number.MAX_SAFE_INTEGER);
  const trades = ctx.engine.publicTrades(symbol!).filter((t) => t.time >= start && t.time <= end);
  return { body: trades.slice(-limitOf(params, 500, 1000)).map(format) };
}

function tickers(params: RequestParams, ctx: RestContext, format: (symbol: string) => unknown): Outcome | BinanceApiError {
  const symbols = symbolsOf(params, ctx);
  if (isError(symbols)) return symbols;
  return { body: params['symbol'] ? format(symbols[0]) : symbols.map(format) };
}

/** Strips `signature=` from a query string or form body, keeping the rest byte for byte. */
const withoutSignature = (raw: string) => raw.split('&').filter((part) => part !== '' && !part.startsWith('signature=')).join('&');

function authenticate(access: Access, req: IncomingMessage, params: RequestParams, rawQuery: string, rawBody: string, ctx: RestContext): { status: number; error: BinanceApiError } | undefined {
  if (access === 'public') return undefined;
  const key = req.headers['x-mbx-apikey'];
  if (typeof key !== 'string' || key === '') return { status: 401, error: { code: -2014, msg: 'API-key format invalid.' } };
  if (key !== ctx.apiKey) return { status: 401, error: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } };
  if (access === 'apiKey') return undefined;
  const signature = params['signature'];
  if (!signature) return { status: 400, error: { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." } };
  const expected = createHmac('sha256', ctx.apiSecret).update(withoutSignature(rawQuery) + withoutSignature(rawBody)).digest('hex');
  const given = Buffer.from(signature.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    return { status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } };
  }
  const timestamp = Number(params['timestamp']);
  if (!params['timestamp'] || !Number.isFinite(timestamp)) return { status: 400, error: { code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." } };
  const recvWindow = Number(params['recvWindow'] ?? 5000);
  if (!(recvWindow > 0 && recvWindow <= 60000)) return { status: 400, error: { code: -1131, msg: 'recvWindow must be less than 60000' } };
  if (ctx.checkTimestamp) {
    const now = ctx.now();
    if (timestamp >= now + 1000) return { status: 400, error: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." } };
    if (now - timestamp > recvWindow) return { status: 400, error: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } };
  }
  return undefined;
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
};

/** Serves Binance spot's REST API (`/api/v3/...`) from the emulator's engine, with signature checks and injected faults. */
export function handleRestRequest(req: IncomingMessage, res: ServerResponse, ctx: RestContext): void {
  const chunks: Buffer[] = [];
  // A client that aborts (timeouts, dropped sockets) must not crash the emulator.
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const params: RequestParams = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
    for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
    const method = req.method ?? 'GET';
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return send(res, 404, { code: -1000, msg: `The emulator does not serve ${method} ${url.pathname}.` });
    const denied = authenticate(route.access, req, params, rawQuery, rawBody, ctx);
    if (denied) return send(res, denied.status, denied.error);
    const fault = ctx.faults.eligible(method, url.pathname, route.access === 'signed') ? ctx.faults.drawRequestFault() : undefined;
    const record = (extra: { orderId?: number; clientOrderId?: string } = {}) =>
      fault && ctx.faults.record({ kind: fault, method, path: url.pathname, time: ctx.now(), clientOrderId: params['newClientOrderId'] ?? params['origClientOrderId'], ...extra });
    switch (fault) {
      case '5xx':
        record();
        return send(res, 503, { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' });
      case '429':
        record();
        return send(res, 429, { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API.' }, { 'Retry-After': '1' });
      case '418':
        record();
        return send(res, 418, { code: -1003, msg: `Way too many requests; IP(127.0.0.1) banned until ${ctx.now() + 2000}. Please use WebSocket Streams for live updates to avoid bans.` }, { 'Retry-After': '2' });
      case 'drop-socket':
        record();
        req.socket.destroy();
        return;
      default:
        break;
    }
    let outcome: Outcome | BinanceApiError;
    try {
      outcome = route.handle(params, ctx);
    } catch (error) {
      outcome = { code: -1100, msg: `Illegal parameter: ${(error as Error).message}` };
    }
    if (fault === 'timeout-after-execute') {
      record(isError(outcome) ? {} : { orderId: outcome.orderId, clientOrderId: outcome.clientOrderId });
      ctx.hanging.add(req.socket);
      req.socket.once('close', () => ctx.hanging.delete(req.socket));
      return;
    }
    if (fault === 'malformed-payload' && !isError(outcome)) {
      // Executed, then answered with every amount and price as "NaN": the client must refuse the numbers, not trust them.
      record({ orderId: outcome.orderId, clientOrderId: outcome.clientOrderId });
      return send(res, outcome.status ?? 200, malformedNumbers(outcome.body));
    }
    if (isError(outcome)) send(res, 400, outcome);
    else send(res, outcome.status ?? 200, outcome.body);
    if (fault === 'ws-disconnect') {
      record(isError(outcome) ? {} : { orderId: outcome.orderId, clientOrderId: outcome.clientOrderId });
      ctx.disconnectWebSockets();
    }
  });
}

/** Number fields of Binance answers (orders, fills, trades, balances) a `malformed-payload` fault turns into "NaN". */
const NUMBER_FIELDS = new Set(['price', 'origQty', 'executedQty', 'cummulativeQuoteQty', 'qty', 'quoteQty', 'commission', 'free', 'locked', 'stopPrice', 'icebergQty']);

/** A deep copy of `body` with every number field of `NUMBER_FIELDS` set to "NaN". */
function malformedNumbers(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(malformedNumbers);
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, NUMBER_FIELDS.has(key) ? 'NaN' : malformedNumbers(value)]));
}
