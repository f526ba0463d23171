import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { interval, type Subscription } from 'rxjs';
import { OrderRequestSchema, TrancheError, parseInput, type Clock } from '@tranche/core';
import type { DashboardFeed, DashboardMarket, DashboardPricePoint } from './dashboard-feed.js';
import { checkBindSecurity, isLoopbackHost, isLoopbackHostHeader, isSameOrigin, requestToken, tokensEqual } from './dashboard-auth.js';
import { renderDashboardHtml } from './dashboard-page.js';
import { KillRequestSchema } from './kill-request.schema.js';

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest backlog of unsent SSE bytes before a slow client is disconnected (it reconnects and gets a fresh snapshot). */
const MAX_SSE_BACKLOG_BYTES = 4 * 1024 * 1024;

/** Options of `DashboardServer`. */
export interface DashboardServerOptions {
  feed: DashboardFeed;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Port (default 8787; 0 picks a free one). */
  port?: number;
  /** Required on every request when set; required when `host` is not loopback. */
  token?: string;
  /** The wall clock for the SSE heartbeat and the market-update rate (a `LiveClock`; tests may pass another). */
  clock: Clock;
  /** SSE heartbeat period, ms (default 15 000). */
  heartbeatMs?: number;
  /** Market updates per symbol are sent at most once per this period, ms (default 500). */
  marketIntervalMs?: number;
  /** The collectors' metrics are sent once per this period, ms (default 2 000). */
  metricsIntervalMs?: number;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/** Headers of every response: nothing loaded from elsewhere, not framed, no referrer (a `?token=` stays here). */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The dashboard's HTTP server (node:http): the page, a JSON API and a Server-Sent Events
 * stream over a `DashboardFeed`. Bound to loopback by default; with a token every request
 * must carry it (`Authorization: Bearer`, or `?token=` on the page load and the event
 * stream, which browsers cannot give a header). State-changing requests must be JSON from
 * the page's own origin.
 */
export class DashboardServer {
  private readonly server: Server;
  private readonly streams = new Set<{ response: ServerResponse; subscription: Subscription }>();
  private readonly host: string;
  private readonly page: string;

  constructor(private readonly options: DashboardServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    checkBindSecurity(this.host, options.token);
    this.page = renderDashboardHtml();
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
  }

  /** Starts listening; resolves with the page's URL (the bound port filled in). A port in use or an address not on this machine is a validation error. */
  listen(): Promise<string> {
    const port = this.options.port ?? 8787;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        if (error.code === 'EADDRINUSE') reject(new TrancheError('validation', `invalid --port: ${port} is already in use on ${this.host}`, { field: '--port', retryable: false }));
        else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new TrancheError('validation', `invalid --host: ${JSON.stringify(this.host)} is not an address of this machine`, { field: '--host', retryable: false }));
        else reject(error);
      };
      this.server.once('error', onError);
      this.server.listen(port, this.host, () => {
        this.server.off('error', onError);
        const { port } = this.server.address() as AddressInfo;
        const shown = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
        resolve(`http://${shown}:${port}/`);
      });
    });
  }

  /** Ends every event stream and stops the server. */
  async close(): Promise<void> {
    for (const stream of this.streams) {
      stream.subscription.unsubscribe();
      stream.response.end();
    }
    this.streams.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    // Bound to loopback without a token: refuse names other than loopback ones (DNS rebinding).
    if (this.options.token === undefined && isLoopbackHost(this.host) && !isLoopbackHostHeader(request.headers.host)) {
      throw new HttpError(421, `the dashboard answers only to loopback host names, got Host ${JSON.stringify(request.headers.host ?? '')}`);
    }
    if (this.options.token !== undefined) {
      const given = requestToken(request, url, method === 'GET' && (path === '/' || path === '/api/events'));
      if (given === undefined || !tokensEqual(given, this.options.token)) {
        throw new HttpError(401, 'a valid token is required (Authorization: Bearer <token>, or ?token= on the page URL)');
      }
    }
    if (method === 'GET' || method === 'HEAD') {
      switch (path) {
        case '/':
          return this.send(response, 200, this.page, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        case '/api/state':
          return this.sendJson(response, 200, this.options.feed.snapshot());
        case '/api/history':
          return this.sendJson(response, 200, await this.options.feed.history(parseLimit(url.searchParams.get('limit'))));
        case '/api/events':
          return this.stream(request, response);
        default:
          throw new HttpError(404, `no such resource: ${method} ${path}`);
      }
    }
    if (method !== 'POST') throw new HttpError(405, `method ${method} is not allowed`);
    if (!isSameOrigin(request)) throw new HttpError(403, 'cross-origin requests are refused');
    const cancel = /^\/api\/executions\/([A-Za-z0-9_-]{1,64})\/cancel$/.exec(path);
    if (path === '/api/executions') {
      // The request's shape is checked here for every feed; strategy params and the market are the feed's to check.
      const order = parseInput(OrderRequestSchema, await readJson(request), 'order');
      return this.sendJson(response, 202, await this.options.feed.submitOrder(order));
    }
    if (cancel) {
      await readJson(request);
      const report = await this.options.feed.cancelExecution(cancel[1]!);
      return this.sendJson(response, 200, { executionId: report.id, status: report.status, filledQuantity: report.filledQuantity, report });
    }
    if (path === '/api/kill') {
      const body = parseInput(KillRequestSchema, await readJson(request), 'kill request');
      const result = await this.options.feed.engageKillSwitch(body.reason ?? 'engaged from the dashboard');
      return this.sendJson(response, 200, { engaged: true, ...result });
    }
    throw new HttpError(404, `no such resource: ${method} ${path}`);
  }

  private stream(request: IncomingMessage, response: ServerResponse): void {
    const { feed, clock } = this.options;
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (event: string, data: unknown): void => {
      if (response.writableLength > MAX_SSE_BACKLOG_BYTES) {
        response.destroy();
        return;
      }
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // The client reconnects by itself after a drop; each connect starts with a full snapshot, so nothing is missed.
    response.write('retry: 2000\n\n');
    send('snapshot', feed.snapshot());
    const pendingMarkets = new Map<string, { market: DashboardMarket; points: DashboardPricePoint[] }>();
    const subscription = feed.executionUpdates$.subscribe((update) => send('execution', update));
    subscription.add(feed.killSwitchUpdates$.subscribe((update) => send('kill-switch', update)));
    subscription.add(
      feed.marketUpdates$.subscribe(({ market, point }) => {
        const pending = pendingMarkets.get(market.symbol);
        const points = pending?.points ?? [];
        if (point) points.push(point);
        pendingMarkets.set(market.symbol, { market, points });
      }),
    );
    // At most one market message per symbol per period (wall time): the book moves far faster than a page can draw.
    // It carries the latest market and the price points added since the last one, so the chart misses none.
    subscription.add(
      interval(this.options.marketIntervalMs ?? 500, clock.scheduler).subscribe(() => {
        for (const { market, points } of pendingMarkets.values()) send('market', { ...market, points });
        pendingMarkets.clear();
      }),
    );
    subscription.add(interval(this.options.metricsIntervalMs ?? 2_000, clock.scheduler).subscribe(() => send('metrics', feed.metrics())));
    subscription.add(interval(this.options.heartbeatMs ?? 15_000, clock.scheduler).subscribe(() => send('heartbeat', { ts: clock.now() })));
    const stream = { response, subscription };
    this.streams.add(stream);
    request.on('close', () => {
      subscription.unsubscribe();
      this.streams.delete(stream);
    });
  }

  private sendJson(response: ServerResponse, status: number, body: unknown): void {
    this.send(response, status, JSON.stringify(body), JSON_HEADERS);
  }

  private send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
    response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof HttpError) {
      this.sendJson(response, error.status, { error: error.message, ...(error.field === undefined ? {} : { field: error.field }) });
      return;
    }
    const failure = TrancheError.from(error);
    const status =
      failure.kind === 'validation' ? (failure.field === 'executionId' ? 404 : 400) : failure.kind === 'risk' ? 409 : failure.kind === 'venue-unavailable' || failure.kind === 'rate-limited' ? 503 : 500;
    this.sendJson(response, status, { error: failure.message.split('\n')[0], kind: failure.kind, ...(failure.field === undefined ? {} : { field: failure.field }) });
  }
}

function parseLimit(value: string | null): number {
  if (value === null) return 50;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) throw new HttpError(400, `invalid limit: must be an integer from 1 to 1000, got ${JSON.stringify(value)}`, 'limit');
  return limit;
}

/** Reads a JSON request body: `application/json` only (no form posts from other sites), at most `MAX_BODY_BYTES`. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, `invalid request: Content-Type must be application/json, got ${JSON.stringify(request.headers['content-type'] ?? '')}`, 'Content-Type');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `invalid request: body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `invalid request: malformed JSON (${(error as Error).message})`, 'body');
  }
}
