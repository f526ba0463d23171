import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrancheError } from '@tranche/core';

/** What the server answers: the exposition text and its content type. */
export interface Exposition {
  contentType: string;
  body: string;
}

/** Options of a `MetricsServer`. */
export interface MetricsServerOptions {
  host: string;
  port: number;
  path: string;
  /** Builds the exposition at each scrape. */
  scrape: () => Promise<Exposition>;
}

/**
 * A small node:http server: `GET|HEAD <path>` answers the exposition (text format),
 * `GET /healthz` answers `ok`, anything else 404 (or 405 for other methods on those
 * paths). It does not keep the process alive by itself (`unref`).
 */
export class MetricsServer {
  private server?: Server;

  constructor(private readonly options: MetricsServerOptions) {}

  /** Starts listening; a port in use (or another listen error) rejects with a validation `TrancheError` naming the port. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const where = `${this.options.host}:${this.options.port}`;
        const why = error.code === 'EADDRINUSE' ? 'is already in use' : error.code === 'EACCES' ? 'may not be bound by this user' : `cannot be bound (${error.message})`;
        reject(new TrancheError('validation', `invalid config: metrics-prometheus port ${where} ${why}`, { field: 'metrics-prometheus.port', retryable: false }));
      };
      server.once('error', onError);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.unref();
    this.server = server;
  }

  /** The bound address (the real port when configured with 0); undefined before `start()`. */
  address(): { host: string; port: number } | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : undefined;
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    if (path !== this.options.path && path !== '/healthz') return this.reply(response, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return this.reply(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    }
    if (path === '/healthz') return this.reply(response, 200, 'text/plain; charset=utf-8', 'ok\n', method === 'HEAD');
    try {
      const exposition = await this.options.scrape();
      this.reply(response, 200, exposition.contentType, exposition.body, method === 'HEAD');
    } catch (error) {
      this.reply(response, 500, 'text/plain; charset=utf-8', `scrape failed: ${TrancheError.from(error).message}\n`);
    }
  }

  private reply(response: ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
    response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    response.end(headOnly ? undefined : body);
  }
}
