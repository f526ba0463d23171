import type { SchedulerLike } from 'rxjs';

/** A price level: `[price, quantity]`. */
export type EmulatorLevel = readonly [price: number, quantity: number];

/** The external liquidity of one symbol (what other traders rest on the book). */
export interface EmulatorBook {
  /** Bids, best (highest) first. */
  bids: readonly EmulatorLevel[];
  /** Asks, best (lowest) first. */
  asks: readonly EmulatorLevel[];
}

/** Fault kinds the emulator injects. */
export type EmulatorFaultKind =
  | 'timeout-after-execute'
  | '5xx'
  | '429'
  | '418'
  | 'drop-socket'
  | 'ws-disconnect'
  | 'drop-ws-fill'
  | 'malformed-payload';

/** Every fault kind, in a stable order. */
export const EMULATOR_FAULT_KINDS: readonly EmulatorFaultKind[] = [
  'timeout-after-execute',
  '5xx',
  '429',
  '418',
  'drop-socket',
  'ws-disconnect',
  'drop-ws-fill',
  'malformed-payload',
];

/** Seeded fault injection settings. */
export interface EmulatorFaultOptions {
  /** Probability in [0, 1] that a request (or, for `drop-ws-fill`, a fill event) is faulted. */
  rate: number;
  /** Kinds drawn from, uniformly. */
  kinds: readonly EmulatorFaultKind[];
  /** Seed of the fault generator (same seed, same sequence of faults). */
  seed?: number;
  /** `orders` (default): only POST/DELETE /api/v3/order; `private`: every signed endpoint. */
  scope?: 'orders' | 'private';
}

/** One injected fault, as recorded in `faultLog()`. */
export interface EmulatorFaultRecord {
  kind: EmulatorFaultKind;
  /** HTTP method and path of the faulted request, or `ws` for stream faults. */
  method: string;
  path: string;
  time: number;
  /** The order the request created or touched, when there is one. */
  orderId?: number;
  clientOrderId?: string;
}

/** The random-walk market the emulator runs on its scheduler. */
export interface EmulatorAutoMarketOptions {
  /** Milliseconds between two steps (default 200). */
  intervalMs?: number;
  /** Size of one mid-price step in basis points (default 2). */
  driftBps?: number;
  /** Quantity of the public trade printed each step, per symbol or for all (default ≈ 500 quote units). */
  tradeQuantity?: number | Record<string, number>;
  /** Seed of the walk (default 1). */
  seed?: number;
  /** Symbols that move (default: every symbol with a book). */
  symbols?: readonly string[];
}

/** Options of `startBinanceEmulator`. */
export interface BinanceEmulatorOptions {
  /** Interface to listen on; only `127.0.0.1` (or `localhost`) is accepted. */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** The API key clients must send in `X-MBX-APIKEY`. */
  apiKey: string;
  /** The HMAC-SHA256 secret signed requests are checked with. */
  apiSecret: string;
  /** Free balances per asset (default: 1,000,000 USDT, 10 BTC, 100 ETH, 1,000 BNB, 1,000 SOL). */
  balances?: Record<string, number>;
  /** Initial external books per Binance symbol id (`BTCUSDT`); others come from the fixtures. */
  book?: Record<string, EmulatorBook>;
  /** Run a seeded random-walk market (moves the book, prints public trades). */
  autoMarket?: EmulatorAutoMarketOptions;
  /** Fault injection from the start. */
  faults?: EmulatorFaultOptions;
  /** Scheduler of the auto market and the exchange clock (default `asyncScheduler`). */
  scheduler?: SchedulerLike;
  /** Commission rate of every fill (default 0.001 = 10 bps), charged in the received asset. */
  commissionRate?: number;
  /** Check `timestamp` / `recvWindow` of signed requests against the scheduler's clock (default true). */
  checkTimestamp?: boolean;
}

/** Binance order status. */
export type EmulatorOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** An order in the exchange's own log. */
export interface EmulatorOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
  timeInForce: 'GTC' | 'IOC' | 'FOK';
  /** Limit price (0 for market orders). */
  price: number;
  /** Ordered base quantity (0 for a market buy given as `quoteOrderQty`). */
  origQty: number;
  /** Quote amount of a `quoteOrderQty` market order (0 otherwise). */
  origQuoteOrderQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  status: EmulatorOrderStatus;
  /** Creation time (ms). */
  time: number;
  /** Time of the last change (ms). */
  updateTime: number;
}

/** A fill in the exchange's own log. */
export interface EmulatorFill {
  tradeId: number;
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  isMaker: boolean;
  time: number;
}

/** A public trade on the tape. */
export interface EmulatorPublicTrade {
  tradeId: number;
  symbol: string;
  price: number;
  qty: number;
  time: number;
  /** True when the buyer was the maker (the taker sold). */
  isBuyerMaker: boolean;
}
