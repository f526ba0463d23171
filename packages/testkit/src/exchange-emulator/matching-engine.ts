import { Subject } from 'rxjs';
import type { EmulatorBook, EmulatorFill, EmulatorLevel, EmulatorOrder, EmulatorPublicTrade } from './emulator-types.js';
import type { BalanceRow, EngineEvent, NewOrderRequest, OrderLookup, SymbolStats } from './engine-types.js';
import {
  checkNotional,
  checkPrice,
  checkQuantity,
  floorToStep,
  round8,
  type BinanceApiError,
  type SymbolRules,
} from './symbol-rules.js';

interface SymbolState {
  rules: SymbolRules;
  bids: Map<number, number>;
  asks: Map<number, number>;
  lastUpdateId: number;
  resting: EmulatorOrder[];
  tape: EmulatorPublicTrade[];
  stats: SymbolStats;
  touched: { bids: Set<number>; asks: Set<number> };
}

const TAPE_LIMIT = 1000;
const insufficient: BinanceApiError = { code: -2010, msg: 'Account has insufficient balance for requested action.' };

const sortedLevels = (side: Map<number, number>, descending: boolean): EmulatorLevel[] =>
  [...side.entries()].filter(([, q]) => q > 0).sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));

/**
 * The emulated exchange: external liquidity per symbol (the recorded or synthesized book),
 * the account's orders resting on it, balances with locks, and the order and fill logs.
 * Incoming orders take external liquidity; resting orders fill when a public trade prints
 * at or through their price or when the external book moves through them.
 */
export class MatchingEngine {
  /** Everything that happens, in order. */
  readonly events$ = new Subject<EngineEvent>();
  private readonly symbols = new Map<string, SymbolState>();
  private readonly orderLog: EmulatorOrder[] = [];
  private readonly fillLog: EmulatorFill[] = [];
  private readonly free = new Map<string, number>();
  private readonly locked = new Map<string, number>();
  private nextOrderId = 1_000_001;
  private nextTradeId = 5_000_001;
  /** Whether balances changed since the last `outboundAccountPosition`. */
  private balancesChanged = false;

  constructor(
    allRules: readonly SymbolRules[],
    books: ReadonlyMap<string, EmulatorBook & { lastUpdateId?: number }>,
    balances: Record<string, number>,
    private readonly now: () => number,
    private readonly commissionRate: number,
  ) {
    for (const rules of allRules) {
      const book = books.get(rules.symbol) ?? { bids: [], asks: [] };
      const mid = book.bids[0] && book.asks[0] ? (book.bids[0][0] + book.asks[0][0]) / 2 : 0;
      const stats = { openPrice: mid, highPrice: mid, lowPrice: mid, lastPrice: mid, lastQty: 0, volume: 0, quoteVolume: 0, count: 0, firstId: -1, lastId: -1, openTime: now() };
      this.symbols.set(rules.symbol, {
        rules,
        bids: new Map(book.bids.map(([p, q]) => [p, q])),
        asks: new Map(book.asks.map(([p, q]) => [p, q])),
        lastUpdateId: book.lastUpdateId ?? 1_000,
        resting: [],
        tape: [],
        stats,
        touched: { bids: new Set(), asks: new Set() },
      });
    }
    for (const [asset, amount] of Object.entries(balances)) this.free.set(asset, amount);
  }

  /** The rules of a symbol, or undefined for an unknown symbol. */
  rules(symbol: string): SymbolRules | undefined {
    return this.symbols.get(symbol)?.rules;
  }

  /** Every symbol the engine trades. */
  symbolIds(): string[] {
    return [...this.symbols.keys()];
  }

  /** Places an order; returns the order and the fills it made at once, or Binance's error. */
  placeOrder(request: NewOrderRequest): { order: EmulatorOrder; fills: EmulatorFill[] } | BinanceApiError {
    const state = this.symbols.get(request.symbol);
    if (!state) return { code: -1121, msg: 'Invalid symbol.' };
    const { rules } = state;
    if (state.resting.some((o) => o.clientOrderId === request.clientOrderId)) return { code: -2010, msg: 'Duplicate order sent.' };
    const isMarket = request.type === 'MARKET';
    const quantity = request.quantity ?? 0;
    const price = request.price ?? 0;
    const reference = this.referencePrice(state);
    const ruleError = isMarket
      ? request.quoteOrderQty !== undefined
        ? checkNotional(rules, 1, request.quoteOrderQty, true)
        : (checkQuantity(rules, quantity, true) ?? checkNotional(rules, reference, quantity, true))
      : (checkPrice(rules, price) ?? checkQuantity(rules, quantity, false) ?? checkNotional(rules, price, quantity, false));
    if (ruleError) return ruleError;
    const bestOpposite = request.side === 'BUY' ? sortedLevels(state.asks, false)[0] : sortedLevels(state.bids, true)[0];
    if (request.type === 'LIMIT_MAKER' && bestOpposite && (request.side === 'BUY' ? price >= bestOpposite[0] : price <= bestOpposite[0])) {
      return { code: -2010, msg: 'Order would immediately match and take.' };
    }
    const need = request.side === 'BUY'
      ? isMarket
        ? (request.quoteOrderQty ?? this.marketBuyCost(state, quantity))
        : price * quantity
      : isMarket && request.quoteOrderQty !== undefined
        ? request.quoteOrderQty / Math.max(reference, 1e-12)
        : quantity;
    const payAsset = request.side === 'BUY' ? rules.quoteAsset : rules.baseAsset;
    if ((this.free.get(payAsset) ?? 0) + 1e-9 < need) return insufficient;

    const time = this.now();
    const order: EmulatorOrder = {
      orderId: this.nextOrderId++,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.timeInForce ?? 'GTC',
      price: isMarket ? 0 : price,
      origQty: quantity,
      origQuoteOrderQty: request.quoteOrderQty ?? 0,
      executedQty: 0,
      cummulativeQuoteQty: 0,
      status: 'NEW',
      time,
      updateTime: time,
    };
    this.orderLog.push(order);
    if (!isMarket) this.adjust(payAsset, -need, need);
    this.emitExecution('NEW', order);

    const fills: EmulatorFill[] = [];
    const limit = isMarket ? undefined : price;
    if (order.timeInForce === 'FOK' && this.available(state, order.side, limit) + 1e-12 < quantity) {
      this.finish(order, 'EXPIRED');
    } else if (request.type !== 'LIMIT_MAKER') {
      this.take(state, order, limit, request.quoteOrderQty, fills);
    }
    const remaining = round8(order.origQty - order.executedQty);
    if (order.status === 'NEW' || order.status === 'PARTIALLY_FILLED') {
      if (isMarket) {
        if (request.quoteOrderQty !== undefined) order.origQty = order.executedQty;
        this.finish(order, order.executedQty > 0 && request.quoteOrderQty !== undefined ? 'FILLED' : 'EXPIRED');
      } else if (remaining > 0 && order.timeInForce !== 'GTC') {
        this.finish(order, 'EXPIRED');
      } else if (remaining > 0) {
        state.resting.push(order);
        this.touch(state, order.side, order.price);
      }
    }
    this.flush(state);
    this.emitBalances();
    return { order: { ...order }, fills };
  }

  /** Cancels an open order, or returns -2011 "Unknown order sent.". */
  cancelOrder(symbol: string, lookup: OrderLookup): EmulatorOrder | BinanceApiError {
    const state = this.symbols.get(symbol);
    if (!state) return { code: -1121, msg: 'Invalid symbol.' };
    const order = state.resting.find((o) =>
      lookup.orderId !== undefined ? o.orderId === lookup.orderId : o.clientOrderId === lookup.origClientOrderId,
    );
    if (!order) return { code: -2011, msg: 'Unknown order sent.' };
    this.finish(order, 'CANCELED');
    this.flush(state);
    this.emitBalances();
    return { ...order };
  }

  /** Finds an order by id, or by client id (the most recent order with that client id). */
  findOrder(symbol: string, lookup: OrderLookup): EmulatorOrder | undefined {
    for (let i = this.orderLog.length - 1; i >= 0; i--) {
      const order = this.orderLog[i];
      if (order.symbol !== symbol) continue;
      if (lookup.orderId !== undefined ? order.orderId === lookup.orderId : order.clientOrderId === lookup.origClientOrderId) {
        return { ...order };
      }
    }
    return undefined;
  }

  /** Open orders of a symbol, or of every symbol. */
  openOrders(symbol?: string): EmulatorOrder[] {
    return this.orderLog.filter((o) => (symbol === undefined || o.symbol === symbol) && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).map((o) => ({ ...o }));
  }

  /** The order log (copies). */
  orders(symbol?: string): EmulatorOrder[] {
    return this.orderLog.filter((o) => symbol === undefined || o.symbol === symbol).map((o) => ({ ...o }));
  }

  /** The fill log (copies). */
  fills(symbol?: string): EmulatorFill[] {
    return this.fillLog.filter((f) => symbol === undefined || f.symbol === symbol).map((f) => ({ ...f }));
  }

  /** Recent public trades of a symbol, oldest first. */
  publicTrades(symbol: string): EmulatorPublicTrade[] {
    return [...(this.symbols.get(symbol)?.tape ?? [])];
  }

  /** 24-hour statistics of a symbol. */
  stats(symbol: string): SymbolStats | undefined {
    const state = this.symbols.get(symbol);
    return state ? { ...state.stats } : undefined;
  }

  /** Balances of every asset the account ever held. */
  balances(): BalanceRow[] {
    const assets = new Set([...this.free.keys(), ...this.locked.keys()]);
    return [...assets].sort().map((asset) => ({ asset, free: round8(this.free.get(asset) ?? 0), locked: round8(this.locked.get(asset) ?? 0) }));
  }

  /** The book as clients see it: external liquidity plus the account's resting orders. */
  depth(symbol: string, limit = 100): { lastUpdateId: number; bids: EmulatorLevel[]; asks: EmulatorLevel[] } | undefined {
    const state = this.symbols.get(symbol);
    if (!state) return undefined;
    const bids = new Map(state.bids);
    const asks = new Map(state.asks);
    for (const order of state.resting) {
      const side = order.side === 'BUY' ? bids : asks;
      side.set(order.price, round8((side.get(order.price) ?? 0) + order.origQty - order.executedQty));
    }
    return { lastUpdateId: state.lastUpdateId, bids: sortedLevels(bids, true).slice(0, limit), asks: sortedLevels(asks, false).slice(0, limit) };
  }

  /** Best bid and ask of the visible book. */
  bestBidAsk(symbol: string): { bid?: EmulatorLevel; ask?: EmulatorLevel } {
    const book = this.depth(symbol, 1);
    return { bid: book?.bids[0], ask: book?.asks[0] };
  }

  /** Replaces the external liquidity of a symbol (resting orders it crosses fill as makers). */
  setBook(symbol: string, book: EmulatorBook): void {
    const state = this.symbols.get(symbol);
    if (!state) return;
    for (const p of state.bids.keys()) state.touched.bids.add(p);
    for (const p of state.asks.keys()) state.touched.asks.add(p);
    state.bids = new Map(book.bids.map(([p, q]) => [p, q]));
    state.asks = new Map(book.asks.map(([p, q]) => [p, q]));
    for (const [p] of book.bids) state.touched.bids.add(p);
    for (const [p] of book.asks) state.touched.asks.add(p);
    this.sweep(state);
    this.flush(state);
    this.emitBalances();
  }

  /** Sets external levels (quantity 0 removes one), then fills resting orders the book crossed. */
  updateLevels(symbol: string, changes: ReadonlyArray<{ side: 'bid' | 'ask'; price: number; quantity: number }>): void {
    const state = this.symbols.get(symbol);
    if (!state) return;
    for (const change of changes) {
      const side = change.side === 'bid' ? state.bids : state.asks;
      if (change.quantity > 0) side.set(change.price, change.quantity);
      else side.delete(change.price);
      (change.side === 'bid' ? state.touched.bids : state.touched.asks).add(change.price);
    }
    this.sweep(state);
    this.flush(state);
    this.emitBalances();
  }

  /** Prints a public trade; resting orders at or through its price fill (as makers) up to its quantity. */
  printTrade(symbol: string, price: number, quantity: number, takerSide: 'BUY' | 'SELL'): void {
    const state = this.symbols.get(symbol);
    if (!state) return;
    this.record(state, price, quantity, takerSide === 'SELL');
    let left = quantity;
    const makers = state.resting
      .filter((o) => (takerSide === 'SELL' ? o.side === 'BUY' && o.price >= price : o.side === 'SELL' && o.price <= price))
      .sort((a, b) => (takerSide === 'SELL' ? b.price - a.price : a.price - b.price) || a.time - b.time);
    for (const order of makers) {
      if (left <= 1e-12) break;
      const qty = round8(Math.min(left, order.origQty - order.executedQty));
      this.fill(order, order.price, qty, true);
      this.touch(state, order.side, order.price);
      left = round8(left - qty);
    }
    this.flush(state);
    this.emitBalances();
  }

  private referencePrice(state: SymbolState): number {
    const bid = sortedLevels(state.bids, true)[0];
    const ask = sortedLevels(state.asks, false)[0];
    if (bid && ask) return (bid[0] + ask[0]) / 2;
    return bid?.[0] ?? ask?.[0] ?? state.stats.lastPrice;
  }

  private marketBuyCost(state: SymbolState, quantity: number): number {
    let left = quantity;
    let cost = 0;
    let last = this.referencePrice(state);
    for (const [price, qty] of sortedLevels(state.asks, false)) {
      const take = Math.min(left, qty);
      cost += take * price;
      last = price;
      left -= take;
      if (left <= 1e-12) break;
    }
    return cost + Math.max(left, 0) * last;
  }

  private available(state: SymbolState, side: 'BUY' | 'SELL', limit: number | undefined): number {
    const levels = side === 'BUY' ? sortedLevels(state.asks, false) : sortedLevels(state.bids, true);
    return levels.filter(([p]) => limit === undefined || (side === 'BUY' ? p <= limit : p >= limit)).reduce((sum, [, q]) => sum + q, 0);
  }

  private take(state: SymbolState, order: EmulatorOrder, limit: number | undefined, quoteBudget: number | undefined, fills: EmulatorFill[]): void {
    const book = order.side === 'BUY' ? state.asks : state.bids;
    let budget = quoteBudget;
    for (const [price, levelQty] of order.side === 'BUY' ? sortedLevels(book, false) : sortedLevels(book, true)) {
      if (limit !== undefined && (order.side === 'BUY' ? price > limit : price < limit)) break;
      let qty: number;
      if (budget !== undefined) {
        qty = Math.min(levelQty, floorToStep(budget / price, state.rules.stepSize));
        if (qty <= 0) break;
      } else {
        qty = round8(Math.min(levelQty, order.origQty - order.executedQty));
        if (qty <= 0) break;
      }
      if (budget !== undefined) {
        budget = round8(budget - qty * price);
        order.origQty = round8(order.executedQty + qty);
      }
      book.set(price, round8(levelQty - qty));
      if ((book.get(price) ?? 0) <= 0) book.delete(price);
      this.touch(state, order.side === 'BUY' ? 'SELL' : 'BUY', price);
      fills.push(this.fill(order, price, qty, false));
      this.record(state, price, qty, order.side === 'SELL');
    }
  }

  /** Resting orders the external book now crosses fill at their own price, as makers. */
  private sweep(state: SymbolState): void {
    for (const order of [...state.resting].sort((a, b) => a.time - b.time)) {
      const book = order.side === 'BUY' ? state.asks : state.bids;
      const levels = order.side === 'BUY' ? sortedLevels(book, false) : sortedLevels(book, true);
      for (const [price, levelQty] of levels) {
        if (order.side === 'BUY' ? price > order.price : price < order.price) break;
        const qty = round8(Math.min(levelQty, order.origQty - order.executedQty));
        if (qty <= 0) break;
        book.set(price, round8(levelQty - qty));
        if ((book.get(price) ?? 0) <= 0) book.delete(price);
        this.touch(state, order.side === 'BUY' ? 'SELL' : 'BUY', price);
        this.touch(state, order.side, order.price);
        this.fill(order, order.price, qty, true);
        this.record(state, order.price, qty, order.side === 'BUY');
        if (order.status === 'FILLED') break;
      }
    }
  }

  private fill(order: EmulatorOrder, price: number, qty: number, isMaker: boolean): EmulatorFill {
    const state = this.symbols.get(order.symbol)!;
    const { baseAsset, quoteAsset } = state.rules;
    const quoteQty = round8(price * qty);
    const locked = order.type !== 'MARKET';
    let commission: number;
    let commissionAsset: string;
    if (order.side === 'BUY') {
      if (locked) this.adjust(quoteAsset, (order.price - price) * qty, -order.price * qty);
      else this.adjust(quoteAsset, -quoteQty, 0);
      commission = round8(qty * this.commissionRate);
      commissionAsset = baseAsset;
      this.adjust(baseAsset, qty - commission, 0);
    } else {
      if (locked) this.adjust(baseAsset, 0, -qty);
      else this.adjust(baseAsset, -qty, 0);
      commission = round8(quoteQty * this.commissionRate);
      commissionAsset = quoteAsset;
      this.adjust(quoteAsset, quoteQty - commission, 0);
    }
    const time = this.now();
    order.executedQty = round8(order.executedQty + qty);
    order.cummulativeQuoteQty = round8(order.cummulativeQuoteQty + quoteQty);
    order.updateTime = time;
    order.status = order.executedQty + 1e-12 >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    if (order.status === 'FILLED') state.resting = state.resting.filter((o) => o !== order);
    const fill: EmulatorFill = {
      tradeId: this.nextTradeId++,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      price,
      qty,
      quoteQty,
      commission,
      commissionAsset,
      isMaker,
      time,
    };
    this.fillLog.push(fill);
    this.emitExecution('TRADE', order, fill);
    return { ...fill };
  }

  private finish(order: EmulatorOrder, status: 'CANCELED' | 'EXPIRED' | 'FILLED'): void {
    const state = this.symbols.get(order.symbol)!;
    const remaining = round8(order.origQty - order.executedQty);
    if (order.type !== 'MARKET' && remaining > 0) {
      if (order.side === 'BUY') this.adjust(state.rules.quoteAsset, order.price * remaining, -order.price * remaining);
      else this.adjust(state.rules.baseAsset, remaining, -remaining);
    }
    if (state.resting.includes(order)) {
      state.resting = state.resting.filter((o) => o !== order);
      this.touch(state, order.side, order.price);
    }
    order.status = status;
    order.updateTime = this.now();
    if (status !== 'FILLED') this.emitExecution(status, order);
  }

  private record(state: SymbolState, price: number, qty: number, isBuyerMaker: boolean): void {
    const trade: EmulatorPublicTrade = { tradeId: this.nextTradeId++, symbol: state.rules.symbol, price, qty, time: this.now(), isBuyerMaker };
    state.tape.push(trade);
    if (state.tape.length > TAPE_LIMIT) state.tape.shift();
    const s = state.stats;
    if (s.firstId < 0) s.firstId = trade.tradeId;
    s.lastId = trade.tradeId;
    s.lastPrice = price;
    s.lastQty = qty;
    s.highPrice = Math.max(s.highPrice || price, price);
    s.lowPrice = Math.min(s.lowPrice || price, price);
    s.volume = round8(s.volume + qty);
    s.quoteVolume = round8(s.quoteVolume + price * qty);
    s.count += 1;
    this.events$.next({ kind: 'trade', trade });
  }

  private touch(state: SymbolState, side: 'BUY' | 'SELL', price: number): void {
    (side === 'BUY' ? state.touched.bids : state.touched.asks).add(price);
  }

  private flush(state: SymbolState): void {
    const { bids, asks } = state.touched;
    if (bids.size === 0 && asks.size === 0) return;
    const visible = this.depth(state.rules.symbol, Number.MAX_SAFE_INTEGER)!;
    const qtyAt = (levels: EmulatorLevel[], price: number) => levels.find(([p]) => p === price)?.[1] ?? 0;
    const event: EngineEvent = {
      kind: 'depth',
      symbol: state.rules.symbol,
      firstUpdateId: state.lastUpdateId + 1,
      lastUpdateId: state.lastUpdateId + 1,
      bids: [...bids].map((p) => [p, qtyAt(visible.bids, p)] as const),
      asks: [...asks].map((p) => [p, qtyAt(visible.asks, p)] as const),
      time: this.now(),
    };
    state.lastUpdateId += 1;
    bids.clear();
    asks.clear();
    this.events$.next(event);
  }

  private adjust(asset: string, freeDelta: number, lockedDelta: number): void {
    this.free.set(asset, round8((this.free.get(asset) ?? 0) + freeDelta));
    this.locked.set(asset, round8((this.locked.get(asset) ?? 0) + lockedDelta));
    this.balancesChanged = true;
  }

  private emitExecution(execType: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED', order: EmulatorOrder, fill?: EmulatorFill): void {
    this.events$.next({ kind: 'execution', execType, order: { ...order }, fill: fill && { ...fill }, time: this.now() });
  }

  private emitBalances(): void {
    if (!this.balancesChanged) return;
    this.balancesChanged = false;
    this.events$.next({ kind: 'balance', balances: this.balances(), time: this.now() });
  }
}
