import {
  SharedBooks,
  TERMINAL_CHILD_STATUSES,
  floorToIncrement,
  roundToIncrement,
  type BookDeltaEvent,
  type BookEvent,
  type BookSide,
  type BookView,
  type Liquidity,
  type OrderSide,
  type TradeEvent,
} from '@tranche/core';
import type { PaperOrder } from './paper-order.js';
import type { PaperVenueConfig } from './paper-venue-config.schema.js';
import { SymbolState } from './symbol-state.js';

/** Books one fill of an order at `price` (settlement, order state and events). */
export type FillOrder = (order: PaperOrder, price: number, quantity: number, liquidity: Liquidity) => void;

/**
 * Matches the paper venue's resting orders against market data: it keeps the book of
 * each symbol and the orders resting there; book updates move their queue positions
 * and fill those the opposite side moves through; recorded trades fill those they
 * reach. Every fill is a maker fill at the order's own price.
 */
export class RestingOrderMatcher {
  private readonly states = new Map<string, SymbolState>();
  private readonly resting = new Map<string, PaperOrder[]>();

  /**
   * @param queueModel how a shrinking level's cancellations are placed relative to our orders.
   * @param fill books each fill the matching finds.
   * @param books the books, shared with the other readers of the same market data when given.
   */
  constructor(
    private readonly queueModel: PaperVenueConfig['queueModel'],
    private readonly fill: FillOrder,
    private readonly books: SharedBooks = new SharedBooks(),
  ) {}

  /** The book of a symbol (what the matching sees), `undefined` before any data. */
  book(symbol: string): BookView | undefined {
    return this.states.get(symbol)?.book;
  }

  /** What the venue knows of a symbol's market (created empty on first use). */
  state(symbol: string): SymbolState {
    let state = this.states.get(symbol);
    if (!state) {
      state = new SymbolState(symbol, this.books);
      this.states.set(symbol, state);
    }
    return state;
  }

  /** Puts an order on its symbol's resting list (its `queueAhead` already set). */
  rest(order: PaperOrder): void {
    let list = this.resting.get(order.symbol);
    if (!list) {
      list = [];
      this.resting.set(order.symbol, list);
    }
    list.push(order);
  }

  /** Takes an order off its symbol's resting list, if it is there. */
  remove(order: PaperOrder): void {
    const list = this.resting.get(order.symbol);
    const index = list?.indexOf(order) ?? -1;
    if (index >= 0) list!.splice(index, 1);
  }

  /** Applies a book snapshot or delta, then moves and fills the symbol's resting orders. */
  applyBook(event: BookEvent): void {
    const state = this.state(event.symbol);
    const resting = this.resting.get(event.symbol) ?? [];
    if (resting.length > 0 && event.type === 'book-delta') {
      // The book may be shared and already updated by another reader: queue moves read the levels' previous sizes.
      state.applyBookOnly(event);
      for (const [price, quantity] of event.bids) this.moveQueues(state, resting, event, 'bids', price, quantity);
      for (const [price, quantity] of event.asks) this.moveQueues(state, resting, event, 'asks', price, quantity);
    }
    state.apply(event);
    if (resting.length === 0) return;
    if (event.type === 'book-snapshot') {
      for (const order of resting) order.queueAhead = Math.min(order.queueAhead, state.book.quantityAtPrice(order.side === 'buy' ? 'bids' : 'asks', order.price!));
    }
    this.fillCrossed(state, resting);
  }

  /**
   * A recorded trade reaches our resting orders on its passive side: an order priced
   * better than the trade fills at once; an order at the trade's price fills only with
   * what is left of the trade after the visible queue ahead of it. Together our orders
   * never get more than the trade's size.
   */
  applyTrade(trade: TradeEvent): void {
    const state = this.state(trade.symbol);
    const passiveSide: BookSide = trade.takerSide === 'sell' ? 'bids' : 'asks';
    state.recordTrade(passiveSide, trade.price, trade.quantity);
    const resting = this.resting.get(trade.symbol);
    if (!resting || resting.length === 0) return;
    const makerSide: OrderSide = trade.takerSide === 'sell' ? 'buy' : 'sell';
    const reached = resting.filter(
      (order) => order.side === makerSide && (makerSide === 'buy' ? order.price! >= trade.price : order.price! <= trade.price),
    );
    let budget = trade.quantity;
    let queueConsumed = 0;
    for (const order of byPriority(reached)) {
      if (TERMINAL_CHILD_STATUSES.has(order.status)) continue;
      if (order.price === trade.price) {
        const ahead = Math.max(0, order.queueAhead - queueConsumed);
        const fromQueue = Math.min(budget, ahead);
        budget -= fromQueue;
        queueConsumed += fromQueue;
        order.queueAhead = ahead - fromQueue;
      }
      const quantity = floorToIncrement(Math.min(budget, remainingOf(order)), order.market.stepSize);
      if (quantity <= 0) continue;
      budget -= quantity;
      this.fill(order, order.price!, quantity, 'maker');
    }
  }

  /**
   * A level of our side changed from its current size to `quantity`: whatever trades
   * printed there since its last update explain part of a decrease; the rest are
   * cancellations, ahead of us pro rata (`pro-rata`) or all behind us (`conservative`).
   * Either way no more can be ahead of us than the level now shows.
   */
  private moveQueues(state: SymbolState, resting: readonly PaperOrder[], delta: BookDeltaEvent, side: BookSide, price: number, quantity: number): void {
    const orderSide: OrderSide = side === 'bids' ? 'buy' : 'sell';
    let previous: number | undefined;
    for (const order of resting) {
      if (order.side !== orderSide || order.price !== price) continue;
      previous ??= state.previousQuantity(delta, side, price);
      if (this.queueModel === 'pro-rata' && previous > 0 && quantity < previous) {
        const cancelled = Math.max(0, previous - quantity - state.tradedSinceUpdate(side, price));
        order.queueAhead -= cancelled * (order.queueAhead / previous);
      }
      order.queueAhead = Math.max(0, Math.min(order.queueAhead, quantity));
    }
  }

  /**
   * A resting order the opposite side has moved through (no trade needed: the book
   * shows liquidity at or beyond its price) fills as maker at its own price, at most
   * the crossing quantity, which then counts as consumed.
   */
  private fillCrossed(state: SymbolState, resting: readonly PaperOrder[]): void {
    for (const order of byPriority(resting)) {
      if (TERMINAL_CHILD_STATUSES.has(order.status)) continue;
      const price = order.price!;
      const opposite: BookSide = order.side === 'buy' ? 'asks' : 'bids';
      const step = order.market.stepSize;
      let remaining = remainingOf(order);
      let total = 0;
      for (let index = 0; index < state.book.depth(opposite) && remaining > 0; index++) {
        const levelPrice = state.book.priceAt(opposite, index);
        if (order.side === 'buy' ? levelPrice > price : levelPrice < price) break;
        const take = floorToIncrement(Math.min(remaining, state.available(opposite, index)), step);
        if (take <= 0) continue;
        state.consume(opposite, levelPrice, take);
        total = roundToIncrement(total + take, step);
        remaining = floorToIncrement(remaining - take, step);
      }
      if (total > 0) {
        order.queueAhead = 0;
        this.fill(order, price, total, 'maker');
      }
    }
  }
}

/** Unfilled quantity of an order. */
function remainingOf(order: PaperOrder): number {
  return floorToIncrement(order.quantity - order.filledQuantity, order.market.stepSize);
}

/** Orders by price priority (best first per side), then time priority. */
function byPriority(orders: readonly PaperOrder[]): PaperOrder[] {
  return [...orders].sort((left, right) => {
    if (left.side !== right.side) return left.side === 'buy' ? -1 : 1;
    if (left.price !== right.price) return left.side === 'buy' ? right.price! - left.price! : left.price! - right.price!;
    return left.sequence - right.sequence;
  });
}
