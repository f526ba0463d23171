import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TrancheError } from '@tranche/core';
import { asyncScheduler, type Subscription } from 'rxjs';
import { startAutoMarket } from './auto-market.js';
import { loadBinanceBtcUsdtDepth, loadBinanceExchangeInfo, synthesizeBook, syntheticMid } from './binance-fixtures.js';
import type {
  BinanceEmulatorOptions,
  EmulatorBook,
  EmulatorFaultOptions,
  EmulatorFaultRecord,
  EmulatorFill,
  EmulatorOrder,
  EmulatorPublicTrade,
} from './emulator-types.js';
import type { BalanceRow } from './engine-types.js';
import { FaultInjector } from './fault-injector.js';
import { MatchingEngine } from './matching-engine.js';
import { handleRestRequest } from './rest-handler.js';
import { StreamServer } from './stream-server.js';
import { symbolRules } from './symbol-rules.js';

/** A running Binance spot emulator. */
export interface BinanceEmulator {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:PORT` (paths are `/api/v3/...`). */
  readonly restUrl: string;
  /** Market streams and listen-key user data streams: `ws://127.0.0.1:PORT/stream/ws`. */
  readonly wsUrl: string;
  /** The WS API (user data stream via `userDataStream.subscribe.signature`): `ws://127.0.0.1:PORT/ws-api/v3`. */
  readonly wsApiUrl: string;
  /** The port listened on (127.0.0.1 only). */
  readonly port: number;
  /** Every order the exchange ever created, oldest first. */
  orders(symbol?: string): EmulatorOrder[];
  /** Every fill the exchange made for the account, oldest first. */
  fills(symbol?: string): EmulatorFill[];
  /** The public trade tape of a symbol (Binance id, e.g. `BTCUSDT`). */
  publicTrades(symbol: string): EmulatorPublicTrade[];
  /** The account's balances. */
  balances(): BalanceRow[];
  /** Every fault injected so far. */
  faultLog(): EmulatorFaultRecord[];
  /** Replaces the fault settings (and reseeds). `{ rate: 0, kinds: [] }` turns faults off. */
  setFaults(faults: EmulatorFaultOptions): void;
  /** Prints a public trade; resting orders at or through its price fill as makers. */
  trade(symbol: string, price: number, quantity: number, takerSide: 'buy' | 'sell' | 'BUY' | 'SELL'): void;
  /** Replaces a symbol's external liquidity (resting orders it crosses fill; depth diffs are published). */
  setBook(symbol: string, book: EmulatorBook): void;
  /** Drops every websocket connection now (what the `ws-disconnect` fault does). */
  disconnectWebSockets(): void;
  /** Stops the auto market, drops every connection and stops listening. */
  close(): Promise<void>;
}

const DEFAULT_BALANCES: Record<string, number> = { USDT: 1_000_000, BTC: 10, ETH: 100, BNB: 1_000, SOL: 1_000 };

function validate(options: BinanceEmulatorOptions): void {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new TrancheError('validation', `the exchange emulator listens on 127.0.0.1 only, not '${host}'`, { field: 'host' });
  }
  if (!options.apiKey || !options.apiSecret) {
    throw new TrancheError('validation', 'the exchange emulator needs an apiKey and an apiSecret', { field: options.apiKey ? 'apiSecret' : 'apiKey' });
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new TrancheError('validation', `port must be an integer in [0, 65535], got ${options.port}`, { field: 'port' });
  }
  const auto = options.autoMarket;
  if (auto && ((auto.intervalMs !== undefined && !(auto.intervalMs > 0)) || (auto.driftBps !== undefined && !(auto.driftBps >= 0)))) {
    throw new TrancheError('validation', 'autoMarket.intervalMs must be > 0 and autoMarket.driftBps >= 0', { field: 'autoMarket' });
  }
  if (options.commissionRate !== undefined && !(options.commissionRate >= 0 && options.commissionRate < 1)) {
    throw new TrancheError('validation', 'commissionRate must be in [0, 1)', { field: 'commissionRate' });
  }
}

/**
 * Starts a local Binance spot exchange on 127.0.0.1 that ccxt's `binance` class can trade
 * against: the recorded `exchangeInfo` and BTCUSDT book, Binance's filters and error codes,
 * HMAC-signed REST, market streams and the user data stream, an optional random-walk
 * market and seeded fault injection. See the package README for the ccxt configuration.
 */
export async function startBinanceEmulator(options: BinanceEmulatorOptions): Promise<BinanceEmulator> {
  validate(options);
  const scheduler = options.scheduler ?? asyncScheduler;
  const now = () => scheduler.now();
  const exchangeInfo = loadBinanceExchangeInfo();
  const rules = exchangeInfo.symbols.map(symbolRules);
  const books = new Map<string, EmulatorBook & { lastUpdateId?: number }>();
  books.set('BTCUSDT', loadBinanceBtcUsdtDepth());
  for (const rule of rules) {
    const mid = syntheticMid(rule.symbol);
    if (mid !== undefined) books.set(rule.symbol, synthesizeBook(mid, rule.tickSize, rule.stepSize));
  }
  for (const [symbol, book] of Object.entries(options.book ?? {})) books.set(symbol, book);
  const engine = new MatchingEngine(rules, books, options.balances ?? DEFAULT_BALANCES, now, options.commissionRate ?? 0.001);
  const faults = new FaultInjector(options.faults);
  const listenKeys = new Set<string>();
  const hanging = new Set<Socket>();
  const streams = new StreamServer({ engine, faults, apiKey: options.apiKey, apiSecret: options.apiSecret, now, listenKeys });
  const restContext = {
    engine, faults, apiKey: options.apiKey, apiSecret: options.apiSecret, now, exchangeInfo,
    checkTimestamp: options.checkTimestamp ?? true, listenKeys, hanging,
    disconnectWebSockets: () => streams.disconnectAll(),
  };
  const server = createServer((req, res) => handleRestRequest(req, res, restContext));
  server.on('upgrade', (req, socket, head) => streams.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let market: Subscription | undefined = options.autoMarket ? startAutoMarket(engine, options.autoMarket, scheduler) : undefined;
  const base = `127.0.0.1:${port}`;
  return {
    restUrl: `http://${base}`,
    wsUrl: `ws://${base}/stream/ws`,
    wsApiUrl: `ws://${base}/ws-api/v3`,
    port,
    orders: (symbol) => engine.orders(symbol),
    fills: (symbol) => engine.fills(symbol),
    publicTrades: (symbol) => engine.publicTrades(symbol),
    balances: () => engine.balances(),
    faultLog: () => faults.faults(),
    setFaults: (settings) => faults.configure(settings),
    trade: (symbol, price, quantity, takerSide) => engine.printTrade(symbol, price, quantity, takerSide.toUpperCase() as 'BUY' | 'SELL'),
    setBook: (symbol, book) => engine.setBook(symbol, book),
    disconnectWebSockets: () => streams.disconnectAll(),
    close: async () => {
      market?.unsubscribe();
      market = undefined;
      streams.close();
      for (const socket of hanging) socket.destroy();
      hanging.clear();
      engine.events$.complete();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
