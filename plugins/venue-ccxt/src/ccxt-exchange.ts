import type { Order as CcxtOrder, Trade as CcxtTrade, OrderBook as CcxtOrderBook, Ticker as CcxtTicker, MarketInterface as CcxtMarket, Balances as CcxtBalances } from 'ccxt';

/** ccxt's unified structures (order, trade, book, ticker, market, balances), under names that say where they come from. */
export type { CcxtOrder, CcxtTrade, CcxtOrderBook, CcxtTicker, CcxtMarket, CcxtBalances };

/** ccxt's precision modes (`exchange.precisionMode`). */
export const PRECISION_MODE = { DECIMAL_PLACES: 2, SIGNIFICANT_DIGITS: 3, TICK_SIZE: 4 } as const;

/** Extra, exchange-specific parameters of a ccxt call. */
export type CcxtParams = Record<string, unknown>;
type Params = CcxtParams;

/**
 * The part of a ccxt (pro) exchange instance the plugin uses. A real
 * `new ccxt.pro.binance(…)` satisfies it; tests pass a fake through
 * `CcxtExchangeFactory`.
 */
export interface CcxtExchangeLike {
  readonly id: string;
  /** Which unified methods the exchange has (`watchOrders`, `fetchOrderTrades`, …). */
  has: Record<string, boolean | string | undefined>;
  options: Record<string, unknown>;
  /** `PRECISION_MODE` value of the exchange's market precisions. */
  precisionMode?: number;
  apiKey?: string;
  secret?: string;
  password?: string;
  timeout?: number;
  enableRateLimit?: boolean;
  rateLimit?: number;
  urls?: Record<string, unknown>;
  loadMarkets(reload?: boolean, params?: Params): Promise<Record<string, CcxtMarket>>;
  market(symbol: string): CcxtMarket;
  amountToPrecision(symbol: string, amount: number): string;
  priceToPrecision(symbol: string, price: number): string;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Params): Promise<CcxtOrder>;
  cancelOrder(id: string | undefined, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchOrder(id: string | undefined, symbol?: string, params?: Params): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  fetchClosedOrders?(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  fetchOrders?(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  fetchOrderTrades?(id: string, symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  fetchBalance(params?: Params): Promise<CcxtBalances>;
  fetchOrderBook(symbol: string, limit?: number, params?: Params): Promise<CcxtOrderBook>;
  fetchTicker(symbol: string, params?: Params): Promise<CcxtTicker>;
  fetchTrades(symbol: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  watchOrders?(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtOrder[]>;
  watchMyTrades?(symbol?: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  watchOrderBook?(symbol: string, limit?: number, params?: Params): Promise<CcxtOrderBook>;
  watchTrades?(symbol: string, since?: number, limit?: number, params?: Params): Promise<CcxtTrade[]>;
  watchTicker?(symbol: string, params?: Params): Promise<CcxtTicker>;
  /** ccxt's error hook, wrapped to capture `Retry-After`. */
  handleErrors?(...args: unknown[]): unknown;
  handleHttpStatusCode?(...args: unknown[]): unknown;
  /** Needed before non-TLS `ws://` streams. */
  loadHttpProxyAgent?(): Promise<unknown>;
  setSandboxMode?(enabled: boolean): void;
  close?(): Promise<unknown>;
}

/** Everything a factory needs to build a configured exchange instance. */
export interface CcxtExchangeSettings {
  exchange: string;
  sandbox: boolean;
  baseUrl?: string;
  wsUrl?: string;
  timeoutMs: number;
  rateLimit: { enabled: boolean; intervalMs?: number };
  options: Record<string, unknown>;
  credentials: { apiKey?: string; secret?: string; password?: string };
}

/** Builds the ccxt exchange instance (the default uses the installed ccxt; tests inject a fake). */
export type CcxtExchangeFactory = (settings: CcxtExchangeSettings) => CcxtExchangeLike | Promise<CcxtExchangeLike>;
/** Token of the `CcxtExchangeFactory`; rebind it to inject a fake or a pre-built exchange. */
export const CcxtExchangeFactory = Symbol.for('tranche.venue-ccxt.CcxtExchangeFactory');
