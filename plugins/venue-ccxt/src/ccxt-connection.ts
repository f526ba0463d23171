import { inject, injectable, optional } from 'inversify';
import { Clock, Logger, TrancheError, type MarketInfo } from '@tranche/core';
import { CcxtExchangeFactory, type CcxtExchangeLike } from './ccxt-exchange.js';
import { CcxtVenueConfig } from './ccxt-venue-config.schema.js';
import { createCcxtExchange } from './create-ccxt-exchange.js';
import { loadCredentials, type ApiCredentials } from './load-credentials.js';
import { RETRY_AFTER_PROPERTY, mapCcxtError, parseRetryAfter, type CcxtOperation } from './map-ccxt-error.js';
import { toMarketInfo } from './market-mapping.js';
import { RedactingLogger, redactSecrets } from './redact-secrets.js';

/**
 * The one ccxt exchange instance of a container, shared by `CcxtVenue` and
 * `CcxtMarketDataSource`: it loads the credentials and the markets once, runs every
 * REST call through `call()` (errors mapped onto `TrancheError`s with secrets
 * redacted; after a 429 / 418 every call waits out the venue's `Retry-After` instead of
 * hammering it into a ban), and remembers the last price seen per symbol (the
 * reference of the min-notional check of market orders).
 */
@injectable()
export class CcxtConnection {
  /** The plugin's logger: every line has the secrets redacted. */
  readonly log: Logger;
  private credentials: ApiCredentials = {};
  private instance?: CcxtExchangeLike;
  private initializing?: Promise<void>;
  private marketList: MarketInfo[] = [];
  private readonly marketsBySymbol = new Map<string, MarketInfo>();
  private readonly lastPrices = new Map<string, number>();
  private blockedUntil = 0;
  private closed = false;

  constructor(
    @inject(CcxtVenueConfig) readonly config: CcxtVenueConfig,
    @inject(Clock) readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(CcxtExchangeFactory) @optional() private readonly factory?: CcxtExchangeFactory,
  ) {
    this.log = new RedactingLogger(logger.child({ component: 'venue', venue: 'ccxt', exchange: config.exchange }), () => this.secrets());
  }

  /** Loads credentials, builds the exchange and loads its markets; shared by concurrent callers. */
  initialize(): Promise<void> {
    this.initializing ??= this.connect().catch((error: unknown) => {
      this.initializing = undefined;
      throw this.mapError(error, 'query');
    });
    return this.initializing;
  }

  /** The exchange instance (after `initialize()`). */
  get exchange(): CcxtExchangeLike {
    if (!this.instance) throw new TrancheError('internal', 'venue-ccxt is not initialized: call initialize() first', { retryable: false });
    return this.instance;
  }

  /** True once credentials with a key and a secret are loaded. */
  get hasCredentials(): boolean {
    return this.credentials.apiKey !== undefined && this.credentials.secret !== undefined;
  }

  /** The values every log line, error message and report must not contain. */
  secrets(): readonly (string | undefined)[] {
    return [this.credentials.apiKey, this.credentials.secret, this.credentials.password];
  }

  /** Every market the exchange lists (as loaded at `initialize()`). */
  markets(): MarketInfo[] {
    return this.marketList.map((market) => ({ ...market }));
  }

  /** One market's rules, `undefined` for a symbol the exchange does not list. */
  findMarket(symbol: string): MarketInfo | undefined {
    const market = this.marketsBySymbol.get(symbol);
    return market && { ...market };
  }

  /** One market's rules; a validation error naming the symbol when the exchange does not list it. */
  market(symbol: string): MarketInfo {
    const market = this.findMarket(symbol);
    if (!market) {
      throw new TrancheError('validation', `unknown symbol "${symbol}" on ${this.config.exchange} (${this.marketList.length} markets loaded)`, {
        field: 'symbol',
        retryable: false,
      });
    }
    return market;
  }

  /** True once `close()` was called (stream loops end). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Remembers a price seen for a symbol (book, ticker, trade or fill). */
  notePrice(symbol: string, price: number | undefined): void {
    if (price !== undefined && Number.isFinite(price) && price > 0) this.lastPrices.set(symbol, price);
  }

  /** The last price seen for a symbol, if any. */
  lastPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol);
  }

  /** Milliseconds left of a rate-limit back-off (0 when calls may go out). */
  backoffRemainingMs(): number {
    return Math.max(0, this.blockedUntil - this.clock.now());
  }

  /**
   * Runs one exchange call: refused at once (rate-limited, with the wait left) during a
   * back-off, errors mapped onto `TrancheError`s; a rate-limit answer starts a back-off
   * for every later call.
   */
  async call<T>(operation: CcxtOperation, label: string, run: (exchange: CcxtExchangeLike) => Promise<T>): Promise<T> {
    if (this.closed) throw new TrancheError('venue-unavailable', `venue-ccxt is closed (${label})`, { retryable: false });
    const remaining = this.backoffRemainingMs();
    if (remaining > 0) {
      throw new TrancheError('rate-limited', `${label} not sent: backing off ${remaining} ms after the exchange's rate limit`, { retryAfterMs: remaining });
    }
    try {
      return await run(this.exchange);
    } catch (error) {
      const mapped = this.mapError(error, operation);
      if (mapped.kind === 'rate-limited') {
        const waitMs = mapped.retryAfterMs ?? this.config.rateLimit.backoffMs;
        this.blockedUntil = Math.max(this.blockedUntil, this.clock.now() + waitMs);
        this.log.warn('rate limited by the exchange: backing off', { call: label, waitMs });
      } else {
        this.log.debug('exchange call failed', { call: label, kind: mapped.kind, message: mapped.message });
      }
      throw mapped;
    }
  }

  /** Maps an error of this exchange onto a `TrancheError` (secrets redacted). */
  mapError(error: unknown, operation: CcxtOperation): TrancheError {
    return mapCcxtError(error, {
      operation,
      now: this.clock.now(),
      secrets: this.secrets(),
      backoffMs: this.config.rateLimit.backoffMs,
      banBackoffMs: this.config.rateLimit.banBackoffMs,
    });
  }

  /** Redacts the secrets from a text. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets());
  }

  /** Closes the exchange's websocket connections; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.instance?.close?.();
    } catch (error) {
      this.log.debug('closing the exchange failed', { error: this.redact(String((error as Error)?.message ?? error)) });
    }
  }

  private async connect(): Promise<void> {
    const config = this.config;
    this.credentials = await loadCredentials(config.credentials, this.log);
    const factory = this.factory ?? createCcxtExchange;
    const exchange = await factory({
      exchange: config.exchange,
      sandbox: config.sandbox,
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
      ...(config.wsUrl === undefined ? {} : { wsUrl: config.wsUrl }),
      timeoutMs: config.timeoutMs,
      rateLimit: { enabled: config.rateLimit.enabled, ...(config.rateLimit.intervalMs === undefined ? {} : { intervalMs: config.rateLimit.intervalMs }) },
      options: config.options,
      credentials: this.credentials,
    });
    this.captureRetryAfter(exchange);
    this.handleOrphanFutures(exchange);
    this.instance = exchange;
    const markets = await exchange.loadMarkets();
    this.marketList = [];
    this.marketsBySymbol.clear();
    for (const market of Object.values(markets)) {
      if (!market || typeof market.symbol !== 'string' || market.active === false) continue;
      try {
        const info = toMarketInfo(market, exchange.precisionMode);
        this.marketList.push(info);
        this.marketsBySymbol.set(info.symbol, info);
      } catch (error) {
        this.log.warn('market skipped: the exchange described it with malformed fields', { symbol: market.symbol, error: TrancheError.from(error).message });
      }
    }
    this.log.info('exchange connected', {
      markets: this.marketList.length,
      sandbox: config.sandbox,
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
      ...(config.wsUrl === undefined ? {} : { wsUrl: config.wsUrl }),
      credentials: this.hasCredentials ? 'loaded' : 'none',
    });
  }

  /**
   * ccxt pro rejects some websocket futures nobody awaits (Binance's user-data subscribe
   * creates one ahead of its request and rejects it when the signature is refused): an
   * unhandled rejection that would end the process. Every future of every websocket
   * client gets a handler that logs the rejection (redacted) at debug level; callers that
   * await a future still get its rejection.
   */
  private handleOrphanFutures(exchange: CcxtExchangeLike): void {
    const withClients = exchange as unknown as { client?: (url: string) => { future?: (hash: string) => unknown; trancheFutures?: boolean } };
    const clientOf = withClients.client?.bind(exchange);
    if (!clientOf) return;
    withClients.client = (url: string) => {
      const client = clientOf(url);
      const future = client.future?.bind(client);
      if (future && !client.trancheFutures) {
        client.trancheFutures = true;
        client.future = (hash: string) => {
          const created = future(hash) as Promise<unknown> | undefined;
          created?.catch?.((error: unknown) => this.log.debug('websocket request failed', { hash, error: TrancheError.from(error).message }));
          return created;
        };
      }
      return client;
    };
  }

  /**
   * Wraps ccxt's `handleErrors` hook so that an error raised for a response with a
   * `Retry-After` header carries the wait (ccxt drops the headers from its errors).
   */
  private captureRetryAfter(exchange: CcxtExchangeLike): void {
    const handleErrors = exchange.handleErrors?.bind(exchange);
    const handleHttpStatusCode = exchange.handleHttpStatusCode?.bind(exchange);
    if (!handleErrors) return;
    exchange.handleErrors = (...args: unknown[]): unknown => {
      const [code, reason, url, method, headers, body] = args;
      const retryAfterMs = retryAfterHeader(headers, this.clock.now());
      try {
        const handled = handleErrors(...args);
        // Without a Retry-After to attach, ccxt's own status handling follows as usual.
        if (handled === undefined && retryAfterMs !== undefined && handleHttpStatusCode) handleHttpStatusCode(code, reason, url, method, body);
        return handled;
      } catch (error) {
        if (retryAfterMs !== undefined && error !== null && typeof error === 'object') (error as Record<string, unknown>)[RETRY_AFTER_PROPERTY] = retryAfterMs;
        throw error;
      }
    };
  }
}

/** The `Retry-After` of a ccxt headers dictionary, in milliseconds. */
function retryAfterHeader(headers: unknown, now: number): number | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (name.toLowerCase() === 'retry-after') return parseRetryAfter(value, now);
  }
  return undefined;
}
