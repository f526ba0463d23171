import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Subscription } from 'rxjs';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { accountPositionEvent, dec, executionReportEvent, ticker24hrBody, ticker24hrEvent } from './binance-format.js';
import type { EngineEvent } from './engine-types.js';
import type { FaultInjector } from './fault-injector.js';
import type { MatchingEngine } from './matching-engine.js';

/** What the stream server needs from the emulator. */
export interface StreamContext {
  engine: MatchingEngine;
  faults: FaultInjector;
  apiKey: string;
  apiSecret: string;
  now: () => number;
  listenKeys: ReadonlySet<string>;
}

interface MarketClient {
  streams: Set<string>;
  /** Combined-stream connections wrap every payload as `{ stream, data }`. */
  combined: boolean;
}

interface UserClient {
  /** WS API connections wrap events as `{ subscriptionId, event }`; listen-key connections send them raw. */
  subscriptionId?: number;
  wsApi: boolean;
}

type Outgoing = { stream: string; data: unknown };

/**
 * Binance spot's websocket side: market streams (`/ws`, `/stream/ws`, `/stream?streams=`)
 * with the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS protocol, the WS API
 * (`/ws-api/v3`: `userDataStream.subscribe.signature`, ping, time) and listen-key user
 * data streams (`/ws/<listenKey>`), all fed from the engine's events.
 */
export class StreamServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly market = new Map<WebSocket, MarketClient>();
  private readonly users = new Map<WebSocket, UserClient>();
  private readonly subscription: Subscription;
  private nextSubscriptionId = 0;

  constructor(private readonly ctx: StreamContext) {
    this.subscription = ctx.engine.events$.subscribe((event) => this.dispatch(event));
  }

  /** Takes over an HTTP upgrade request; unknown paths are refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '');
    socket.on('error', () => undefined);
    const accept = (onOpen: (ws: WebSocket) => void) =>
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        onOpen(ws);
      });
    if (path === '/ws-api/v3') {
      return accept((ws) => {
        this.users.set(ws, { wsApi: true });
        ws.on('message', (data) => this.onWsApiMessage(ws, data));
        ws.on('close', () => this.users.delete(ws));
      });
    }
    if (path === '/stream') {
      const streams = (url.searchParams.get('streams') ?? '').split('/').filter(Boolean);
      return accept((ws) => this.openMarket(ws, streams, true));
    }
    const raw = /^(?:\/stream)?\/ws(?:\/(.*))?$/.exec(path);
    if (raw) {
      const tail = raw[1] ?? '';
      if (this.ctx.listenKeys.has(tail)) {
        return accept((ws) => {
          this.users.set(ws, { wsApi: false });
          ws.on('close', () => this.users.delete(ws));
        });
      }
      return accept((ws) => this.openMarket(ws, tail.includes('@') ? tail.split('/') : [], false));
    }
    socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    socket.destroy();
  }

  /** Closes every websocket connection (market and user data). */
  disconnectAll(): void {
    for (const ws of [...this.market.keys(), ...this.users.keys()]) ws.terminate();
  }

  /** Closes every connection and stops listening to the engine. */
  close(): void {
    this.subscription.unsubscribe();
    this.disconnectAll();
    this.wss.close();
  }

  private openMarket(ws: WebSocket, streams: string[], combined: boolean): void {
    this.market.set(ws, { streams: new Set(streams), combined });
    ws.on('message', (data) => this.onMarketMessage(ws, data));
    ws.on('close', () => this.market.delete(ws));
  }

  private onMarketMessage(ws: WebSocket, data: RawData): void {
    const client = this.market.get(ws);
    if (!client) return;
    let message: { method?: string; params?: unknown; id?: unknown };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      return this.send(ws, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } });
    }
    const id = message.id ?? null;
    const params = Array.isArray(message.params) ? message.params.map(String) : [];
    switch (message.method) {
      case 'SUBSCRIBE':
        for (const stream of params) client.streams.add(stream);
        return this.send(ws, { result: null, id });
      case 'UNSUBSCRIBE':
        for (const stream of params) client.streams.delete(stream);
        return this.send(ws, { result: null, id });
      case 'LIST_SUBSCRIPTIONS':
        return this.send(ws, { result: [...client.streams], id });
      default:
        return this.send(ws, { error: { code: 2, msg: `Invalid request: unknown variant '${String(message.method)}'` }, id });
    }
  }

  private onWsApiMessage(ws: WebSocket, data: RawData): void {
    const client = this.users.get(ws);
    if (!client) return;
    let message: { id?: unknown; method?: string; params?: Record<string, unknown> };
    try {
      message = JSON.parse(data.toString()) as typeof message;
    } catch {
      return this.send(ws, { id: null, status: 400, error: { code: -1000, msg: 'Malformed request.' } });
    }
    const id = message.id ?? null;
    const fail = (status: number, code: number, msg: string) => this.send(ws, { id, status, error: { code, msg } });
    const ok = (result: unknown) => this.send(ws, { id, status: 200, result, rateLimits: [] });
    switch (message.method) {
      case 'ping':
        return ok({});
      case 'time':
        return ok({ serverTime: this.ctx.now() });
      case 'userDataStream.subscribe.signature': {
        const params = message.params ?? {};
        if (params['apiKey'] !== this.ctx.apiKey) return fail(401, -2015, 'Invalid API-key, IP, or permissions for action.');
        const query = Object.keys(params)
          .filter((k) => k !== 'signature')
          .sort()
          .map((k) => `${k}=${String(params[k])}`)
          .join('&');
        const expected = createHmac('sha256', this.ctx.apiSecret).update(query).digest('hex');
        if (String(params['signature']).toLowerCase() !== expected) return fail(400, -1022, 'Signature for this request is not valid.');
        client.subscriptionId = this.nextSubscriptionId++;
        return ok({ subscriptionId: client.subscriptionId });
      }
      case 'userDataStream.unsubscribe':
        client.subscriptionId = undefined;
        return ok({});
      default:
        return fail(400, -1020, 'This operation is not supported.');
    }
  }

  private dispatch(event: EngineEvent): void {
    if (event.kind === 'execution') {
      if (event.execType === 'TRADE' && this.ctx.faults.dropFillEvent()) {
        this.ctx.faults.record({ kind: 'drop-ws-fill', method: 'ws', path: 'executionReport', time: event.time, orderId: event.order.orderId, clientOrderId: event.order.clientOrderId });
        return;
      }
      return this.toUsers(executionReportEvent(event.execType, event.order, event.fill, event.time));
    }
    if (event.kind === 'balance') return this.toUsers(accountPositionEvent(event.balances, event.time));
    const now = this.ctx.now();
    const out: Outgoing[] = [];
    if (event.kind === 'depth') {
      const name = event.symbol.toLowerCase();
      const data = {
        e: 'depthUpdate', E: event.time, s: event.symbol, U: event.firstUpdateId, u: event.lastUpdateId,
        b: event.bids.map(([p, q]) => [dec(p), dec(q)]), a: event.asks.map(([p, q]) => [dec(p), dec(q)]),
      };
      for (const suffix of ['@depth', '@depth@100ms', '@depth@1000ms']) out.push({ stream: name + suffix, data });
      const { bid, ask } = this.ctx.engine.bestBidAsk(event.symbol);
      out.push({
        stream: `${name}@bookTicker`,
        data: { u: event.lastUpdateId, s: event.symbol, b: dec(bid?.[0] ?? 0), B: dec(bid?.[1] ?? 0), a: dec(ask?.[0] ?? 0), A: dec(ask?.[1] ?? 0) },
      });
    } else {
      const { trade } = event;
      const name = trade.symbol.toLowerCase();
      out.push({ stream: `${name}@trade`, data: { e: 'trade', E: now, s: trade.symbol, t: trade.tradeId, p: dec(trade.price), q: dec(trade.qty), T: trade.time, m: trade.isBuyerMaker, M: true } });
      out.push({ stream: `${name}@aggTrade`, data: { e: 'aggTrade', E: now, s: trade.symbol, a: trade.tradeId, p: dec(trade.price), q: dec(trade.qty), f: trade.tradeId, l: trade.tradeId, T: trade.time, m: trade.isBuyerMaker, M: true } });
      const wantsTicker = [...this.market.values()].some((c) => c.streams.has(`${name}@ticker`) || c.streams.has(`${name}@miniTicker`));
      if (wantsTicker) {
        const { bid, ask } = this.ctx.engine.bestBidAsk(trade.symbol);
        const ticker = ticker24hrEvent(ticker24hrBody(trade.symbol, this.ctx.engine.stats(trade.symbol)!, bid, ask, now), now);
        out.push({ stream: `${name}@ticker`, data: ticker });
        const { e: _e, p: _p, P: _P, w: _w, x: _x, Q: _Q, b: _b, B: _B, a: _a, A: _A, O: _O, C: _C, F: _F, L: _L, n: _n, ...mini } = ticker;
        out.push({ stream: `${name}@miniTicker`, data: { e: '24hrMiniTicker', ...mini } });
      }
    }
    for (const [ws, client] of this.market) {
      for (const item of out) {
        if (client.streams.has(item.stream)) this.send(ws, client.combined ? item : item.data);
      }
    }
  }

  private toUsers(event: unknown): void {
    for (const [ws, client] of this.users) {
      if (!client.wsApi) this.send(ws, event);
      else if (client.subscriptionId !== undefined) this.send(ws, { subscriptionId: client.subscriptionId, event });
    }
  }

  private send(ws: WebSocket, payload: unknown): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }
}
