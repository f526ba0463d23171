import { SharedBooks, type BookDeltaEvent, type BookEvent, type BookSide, type L2Book, type OrderSide } from '@tranche/core';

/** One level a taker would hit: price and the quantity it can take there. */
export interface PlannedTake {
  price: number;
  quantity: number;
}

/**
 * What the paper venue knows of one symbol: the recorded L2 book, how much of each
 * visible level our own takers have already consumed (until the book next updates that
 * level), and how much recorded trade volume printed at each level since its last
 * update (so that a book decrease explained by trades is not also counted as
 * cancellations ahead of a resting order).
 */
export class SymbolState {
  /** The recorded book, as the data source sent it. */
  readonly book: L2Book;
  /** Price of the last recorded trade, `NaN` before the first. */
  lastTradePrice = Number.NaN;
  private readonly consumed: Record<BookSide, Map<number, number>> = { bids: new Map(), asks: new Map() };
  private readonly traded: Record<BookSide, Map<number, number>> = { bids: new Map(), asks: new Map() };

  /**
   * @param books where the book lives: shared with the other readers of the same
   *   market data when given (the container binds one), else the state's own.
   */
  constructor(
    readonly symbol: string,
    private readonly books: SharedBooks = new SharedBooks(),
  ) {
    this.book = books.book(symbol);
  }

  /** Quantity at the `index`-th level of a side that is still there for us to take. */
  available(side: BookSide, index: number): number {
    const price = this.book.priceAt(side, index);
    return Math.max(0, this.book.quantityAt(side, index) - (this.consumed[side].get(price) ?? 0));
  }

  /** Best price of a side with something left to take, `NaN` when none. */
  bestAvailable(side: BookSide): number {
    for (let index = 0; index < this.book.depth(side); index++) {
      if (this.available(side, index) > 0) return this.book.priceAt(side, index);
    }
    return Number.NaN;
  }

  /**
   * The levels an aggressive `side` order of `quantity` would take, best first, never
   * beyond `limitPrice` (when given) nor beyond what is visible and not yet consumed.
   * `roundDown` rounds a quantity down to the market's step.
   */
  planTake(side: OrderSide, quantity: number, limitPrice: number | undefined, roundDown: (value: number) => number): PlannedTake[] {
    const bookSide: BookSide = side === 'buy' ? 'asks' : 'bids';
    const plan: PlannedTake[] = [];
    let remaining = quantity;
    for (let index = 0; index < this.book.depth(bookSide) && remaining > 0; index++) {
      const price = this.book.priceAt(bookSide, index);
      if (limitPrice !== undefined && (side === 'buy' ? price > limitPrice : price < limitPrice)) break;
      const take = roundDown(Math.min(remaining, this.available(bookSide, index)));
      if (take <= 0) continue;
      plan.push({ price, quantity: take });
      remaining = roundDown(remaining - take);
    }
    return plan;
  }

  /** Marks `quantity` of the level at `price` as taken by us. */
  consume(side: BookSide, price: number, quantity: number): void {
    this.consumed[side].set(price, (this.consumed[side].get(price) ?? 0) + quantity);
  }

  /** Records a trade's volume at the level it hit. */
  recordTrade(passiveSide: BookSide, price: number, quantity: number): void {
    this.lastTradePrice = price;
    // Only levels the book shows can shrink later; counting others would only grow the map.
    if (this.book.quantityAtPrice(passiveSide, price) <= 0) return;
    this.traded[passiveSide].set(price, (this.traded[passiveSide].get(price) ?? 0) + quantity);
  }

  /** Trade volume printed at a level since its last book update. */
  tradedSinceUpdate(side: BookSide, price: number): number {
    return this.traded[side].get(price) ?? 0;
  }

  /**
   * Applies a book event. A snapshot forgets every consumption and trade count; a
   * delta forgets them for the levels it updates.
   */
  apply(event: BookEvent): void {
    if (event.type === 'book-snapshot') {
      for (const side of ['bids', 'asks'] as const) {
        this.consumed[side].clear();
        this.traded[side].clear();
      }
    } else if (this.consumed.bids.size + this.consumed.asks.size + this.traded.bids.size + this.traded.asks.size > 0) {
      const { bids, asks } = event;
      for (let index = 0; index < bids.length; index++) this.forgetLevel('bids', bids[index]![0]);
      for (let index = 0; index < asks.length; index++) this.forgetLevel('asks', asks[index]![0]);
    }
    this.books.apply(event);
  }

  /**
   * Applies only the book part of a delta (counts are kept until `apply`), so that
   * `previousQuantity` can tell what its levels showed before.
   */
  applyBookOnly(delta: BookDeltaEvent): void {
    this.books.apply(delta);
  }

  /** The quantity at `price` on `side` before `delta`, the last event applied (its first level at that price). */
  previousQuantity(delta: BookDeltaEvent, side: BookSide, price: number): number {
    const levels = delta[side];
    for (let index = 0; index < levels.length; index++) {
      if (levels[index]![0] !== price) continue;
      const previous = this.books.previousQuantity(delta, side, index);
      if (previous !== undefined) return previous;
      break;
    }
    return this.book.quantityAtPrice(side, price);
  }

  private forgetLevel(side: BookSide, price: number): void {
    if (this.consumed[side].size > 0) this.consumed[side].delete(price);
    if (this.traded[side].size > 0) this.traded[side].delete(price);
  }
}
