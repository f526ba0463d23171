import type { CcxtExchangeLike, CcxtMarket, CcxtOrder, CcxtTrade } from '../src/index.js';

type Params = Record<string, unknown>;

/** A ccxt-shaped Binance-like market (TICK_SIZE precision). */
export const BTC_USDT_MARKET = {
  id: 'BTCUSDT',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  active: true,
  type: 'spot',
  spot: true,
  precision: { amount: 0.00001, price: 0.01 },
  limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5 }, price: {}, leverage: {} },
  maker: 0.001,
  taker: 0.001,
} as unknown as CcxtMarket;

/** A pending `watch*` call the test resolves or rejects by hand. */
export class Pushable<T> {
  private waiting: { resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  /** Calls made so far. */
  calls = 0;
  next(): Promise<T> {
    this.calls++;
    return new Promise<T>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  push(value: T): void {
    for (const waiter of this.waiting.splice(0)) waiter.resolve(value);
  }
  fail(error: unknown): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

/**
 * A scriptable stand-in for a ccxt pro exchange: it keeps orders and trades, answers
 * REST calls from them, and exposes its streams as `Pushable`s. `failNext` makes the
 * next call of a method throw.
 */
export class FakeCcxtExchange implements CcxtExchangeLike {
  readonly id = 'fakebinance';
  has: Record<string, boolean> = { watchOrders: true, watchMyTrades: true, watchOrderBook: true, watchTrades: true, watchTicker: true, fetchOrderTrades: true, fetchTicker: true, fetchClosedOrders: true };
  options: Record<string, unknown> = {};
  precisionMode = 4;
  apiKey?: string;
  secret?: string;
  urls = { api: { public: 'https://api.fake.com/api/v3' } };
  readonly orders = new Map<string, CcxtOrder>();
  readonly trades: CcxtTrade[] = [];
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly failures = new Map<string, unknown[]>();
  readonly ordersStream = new Pushable<CcxtOrder[]>();
  readonly tradesStream = new Pushable<CcxtTrade[]>();
  readonly bookStream = new Pushable<{ bids: [number, number][]; asks: [number, number][]; nonce?: number; timestamp?: number }>();
  readonly publicTradesStream = new Pushable<CcxtTrade[]>();
  readonly tickerStream = new Pushable<Record<string, unknown>>();
  /** What `createOrder` answers: the order's fills at once (a marketable order) or nothing. */
  fillOnCreate: { price: number; tradeIds: string[] } | undefined;
  private sequence = 100;

  failNext(method: string, error: unknown): void {
    const list = this.failures.get(method) ?? [];
    list.push(error);
    this.failures.set(method, list);
  }

  async loadMarkets(): Promise<Record<string, CcxtMarket>> {
    this.record('loadMarkets', []);
    return { 'BTC/USDT': BTC_USDT_MARKET };
  }

  market(): CcxtMarket {
    return BTC_USDT_MARKET;
  }

  amountToPrecision(_symbol: string, amount: number): string {
    const value = Math.floor(amount / 0.00001 + 1e-9) * 0.00001;
    if (value <= 0) throw new Error('amount must be greater than minimum amount precision');
    return value.toFixed(5);
  }

  priceToPrecision(_symbol: string, price: number): string {
    return (Math.round(price / 0.01) * 0.01).toFixed(2);
  }

  async createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params: Params = {}): Promise<CcxtOrder> {
    this.record('createOrder', [symbol, type, side, amount, price, params]);
    const id = String(++this.sequence);
    const clientOrderId = params['clientOrderId'] as string;
    const fills = this.fillOnCreate;
    const trades: CcxtTrade[] = (fills?.tradeIds ?? []).map((tradeId) => ({
      id: tradeId,
      order: id,
      symbol,
      side,
      price: fills!.price,
      amount: amount / fills!.tradeIds.length,
      timestamp: 1_000,
      fee: { cost: 0.01, currency: 'USDT' },
      info: {},
    })) as unknown as CcxtTrade[];
    this.trades.push(...trades);
    const filled = trades.reduce((sum, trade) => sum + (trade.amount ?? 0), 0);
    const order = {
      id,
      clientOrderId,
      symbol,
      type,
      side,
      amount,
      price,
      filled,
      average: filled > 0 ? fills!.price : undefined,
      status: filled >= amount ? 'closed' : 'open',
      timestamp: 1_000,
      trades,
      info: {},
    } as unknown as CcxtOrder;
    this.orders.set(clientOrderId, { ...order, trades: [] });
    return order;
  }

  /** Fills an open order as a maker at `price` with one trade (not pushed to any stream). */
  fill(clientOrderId: string, quantity: number, price: number, tradeId: string): CcxtTrade {
    const order = this.orders.get(clientOrderId)!;
    const filled = (order.filled ?? 0) + quantity;
    const trade = { id: tradeId, order: order.id, symbol: order.symbol, side: order.side, price, amount: quantity, timestamp: 2_000, takerOrMaker: 'maker', fee: { cost: 0.001, currency: 'USDT' }, info: {} } as unknown as CcxtTrade;
    this.trades.push(trade);
    this.orders.set(clientOrderId, { ...order, filled, average: price, status: filled >= (order.amount ?? 0) - 1e-12 ? 'closed' : 'open' } as CcxtOrder);
    return trade;
  }

  async cancelOrder(id: string | undefined, symbol?: string, params: Params = {}): Promise<CcxtOrder> {
    this.record('cancelOrder', [id, symbol, params]);
    const order = this.find(id, params);
    if (!order || order.status !== 'open') throw Object.assign(new Error('binance {"code":-2011,"msg":"Unknown order sent."}'), { name: 'OrderNotFound' });
    const cancelled = { ...order, status: 'canceled' } as CcxtOrder;
    this.orders.set(order.clientOrderId!, cancelled);
    return cancelled;
  }

  async fetchOrder(id: string | undefined, symbol?: string, params: Params = {}): Promise<CcxtOrder> {
    this.record('fetchOrder', [id, symbol, params]);
    const order = this.find(id, params);
    if (!order) throw Object.assign(new Error('binance {"code":-2013,"msg":"Order does not exist."}'), { name: 'OrderNotFound' });
    return { ...order };
  }

  async fetchOpenOrders(symbol?: string): Promise<CcxtOrder[]> {
    this.record('fetchOpenOrders', [symbol]);
    return [...this.orders.values()].filter((order) => order.status === 'open');
  }

  async fetchClosedOrders(symbol?: string): Promise<CcxtOrder[]> {
    this.record('fetchClosedOrders', [symbol]);
    return [...this.orders.values()].filter((order) => order.status !== 'open');
  }

  async fetchOrderTrades(id: string, symbol?: string): Promise<CcxtTrade[]> {
    this.record('fetchOrderTrades', [id, symbol]);
    return this.trades.filter((trade) => trade.order === id);
  }

  async fetchMyTrades(symbol?: string, since?: number): Promise<CcxtTrade[]> {
    this.record('fetchMyTrades', [symbol, since]);
    return [...this.trades];
  }

  async fetchBalance(): Promise<never> {
    this.record('fetchBalance', []);
    return { free: { USDT: 1_000, BTC: 0 }, used: { USDT: 10, BTC: 0 }, total: {} } as never;
  }

  async fetchOrderBook(symbol: string, limit?: number): Promise<never> {
    this.record('fetchOrderBook', [symbol, limit]);
    return { bids: [[100, 1], [99, 2]], asks: [[101, 1], [102, 2]], nonce: undefined, timestamp: 5_000 } as never;
  }

  async fetchTicker(symbol: string): Promise<never> {
    this.record('fetchTicker', [symbol]);
    return { symbol, bid: 100, ask: 101, bidVolume: 1, askVolume: 1, last: 100.5, timestamp: 5_000 } as never;
  }

  async fetchTrades(symbol: string, since?: number, limit?: number): Promise<CcxtTrade[]> {
    this.record('fetchTrades', [symbol, since, limit]);
    return [{ id: '7', symbol, side: 'buy', price: 100.5, amount: 0.1, timestamp: 4_000, info: {} } as unknown as CcxtTrade];
  }

  watchOrders(): Promise<CcxtOrder[]> {
    this.record('watchOrders', []);
    return this.ordersStream.next();
  }

  watchMyTrades(): Promise<CcxtTrade[]> {
    this.record('watchMyTrades', []);
    return this.tradesStream.next();
  }

  watchOrderBook(): Promise<never> {
    this.record('watchOrderBook', []);
    return this.bookStream.next() as Promise<never>;
  }

  watchTrades(): Promise<CcxtTrade[]> {
    this.record('watchTrades', []);
    return this.publicTradesStream.next();
  }

  watchTicker(): Promise<never> {
    this.record('watchTicker', []);
    return this.tickerStream.next() as Promise<never>;
  }

  async close(): Promise<void> {
    const closed = Object.assign(new Error('connection closed by the user'), { name: 'ExchangeClosedByUser' });
    for (const stream of [this.ordersStream, this.tradesStream, this.bookStream, this.publicTradesStream, this.tickerStream] as Pushable<unknown>[]) stream.fail(closed);
  }

  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  private find(id: string | undefined, params: Params): CcxtOrder | undefined {
    const clientOrderId = params['clientOrderId'] as string | undefined;
    if (clientOrderId !== undefined) return this.orders.get(clientOrderId);
    return [...this.orders.values()].find((order) => order.id === id);
  }

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    const queued = this.failures.get(method);
    if (queued && queued.length > 0) throw queued.shift();
  }
}
