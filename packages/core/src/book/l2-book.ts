import type { OrderSide } from '../model/common.schema.js';
import type { BookDeltaEvent, BookLevel, BookSnapshotEvent } from '../model/market.schema.js';

/** Read-only view of an L2 order book. */
export interface BookView {
  readonly symbol: string;
  /** Exchange time of the last update applied (epoch ms). */
  readonly ts: number;
  /** Venue sequence number of the last update applied. */
  readonly sequence: number;
  /** Highest bid, `NaN` when there is none. */
  bestBid(): number;
  /** Lowest ask, `NaN` when there is none. */
  bestAsk(): number;
  /** Midpoint of best bid and ask, `NaN` when one side is empty. */
  mid(): number;
  /** Number of levels on a side. */
  depth(side: BookSide): number;
  /** Price of the `index`-th level from the top of a side. */
  priceAt(side: BookSide, index: number): number;
  /** Quantity of the `index`-th level from the top of a side. */
  quantityAt(side: BookSide, index: number): number;
  /** Quantity resting at exactly `price` on a side (0 if none). */
  quantityAtPrice(side: BookSide, price: number): number;
  /** Top `count` levels of a side as `[price, quantity]` pairs. */
  top(side: BookSide, count: number): BookLevel[];
}

/** Side of the book: `bids` or `asks`. */
export type BookSide = 'bids' | 'asks';

/** The side of the book an aggressive order of `side` consumes. */
export function oppositeBookSide(side: OrderSide): BookSide {
  return side === 'buy' ? 'asks' : 'bids';
}

/**
 * A mutable L2 book kept as two sorted price ladders in parallel arrays, each stored
 * with its best level at the end (bids ascending, asks descending). Updates
 * binary-search the ladder; most activity is near the top, so keeping the top at the
 * end means inserts and deletes shift only the few levels above the change. One
 * implementation shared by the paper venue, the asset cache and the replay feed so
 * every component sees the same book.
 */
export class L2Book implements BookView {
  // Index `length - 1` is the best level of a side; `priceAt(side, i)` reads `length - 1 - i`.
  private readonly bidPrices: number[] = [];
  private readonly bidQuantities: number[] = [];
  private readonly askPrices: number[] = [];
  private readonly askQuantities: number[] = [];
  private lastTs = 0;
  private lastSequence = 0;

  constructor(readonly symbol: string) {}

  get ts(): number {
    return this.lastTs;
  }

  get sequence(): number {
    return this.lastSequence;
  }

  /** Replaces the whole book with a snapshot. */
  applySnapshot(snapshot: Pick<BookSnapshotEvent, 'bids' | 'asks' | 'ts' | 'sequence'>): void {
    this.bidPrices.length = 0;
    this.bidQuantities.length = 0;
    this.askPrices.length = 0;
    this.askQuantities.length = 0;
    for (const [price, quantity] of snapshot.bids) this.setBid(price, quantity);
    for (const [price, quantity] of snapshot.asks) this.setAsk(price, quantity);
    this.lastTs = snapshot.ts;
    this.lastSequence = snapshot.sequence;
  }

  /**
   * Applies changed levels (absolute quantities, 0 deletes). With `previous`, also
   * writes there the quantity each level had before (0 for a new level), index for
   * index with the delta's `bids` and `asks`.
   */
  applyDelta(delta: Pick<BookDeltaEvent, 'bids' | 'asks' | 'ts' | 'sequence'>, previous?: { bids: number[]; asks: number[] }): void {
    const { bids, asks } = delta;
    if (previous) {
      previous.bids.length = bids.length;
      previous.asks.length = asks.length;
    }
    for (let index = 0; index < bids.length; index++) {
      const level = bids[index]!;
      const before = this.setBid(level[0], level[1]);
      if (previous) previous.bids[index] = before;
    }
    for (let index = 0; index < asks.length; index++) {
      const level = asks[index]!;
      const before = this.setAsk(level[0], level[1]);
      if (previous) previous.asks[index] = before;
    }
    this.lastTs = delta.ts;
    this.lastSequence = delta.sequence;
  }

  /** Applies a snapshot or delta event. */
  apply(event: BookSnapshotEvent | BookDeltaEvent): void {
    if (event.type === 'book-snapshot') this.applySnapshot(event);
    else this.applyDelta(event);
  }

  /** Sets one level's absolute quantity; 0 removes it. Returns the quantity it had (0 if none). */
  set(side: BookSide, price: number, quantity: number): number {
    return side === 'bids' ? this.setBid(price, quantity) : this.setAsk(price, quantity);
  }

  /** Sets one bid level's absolute quantity; 0 removes it. Returns the quantity it had (0 if none). */
  setBid(price: number, quantity: number): number {
    const prices = this.bidPrices;
    // First index whose price is at or above `price` (ascending ladder).
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (prices[middle]! < price) low = middle + 1;
      else high = middle;
    }
    return update(prices, this.bidQuantities, low, price, quantity);
  }

  /** Sets one ask level's absolute quantity; 0 removes it. Returns the quantity it had (0 if none). */
  setAsk(price: number, quantity: number): number {
    const prices = this.askPrices;
    // First index whose price is at or below `price` (descending ladder).
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (prices[middle]! > price) low = middle + 1;
      else high = middle;
    }
    return update(prices, this.askQuantities, low, price, quantity);
  }

  bestBid(): number {
    const prices = this.bidPrices;
    return prices.length > 0 ? prices[prices.length - 1]! : Number.NaN;
  }

  bestAsk(): number {
    const prices = this.askPrices;
    return prices.length > 0 ? prices[prices.length - 1]! : Number.NaN;
  }

  mid(): number {
    return (this.bestBid() + this.bestAsk()) / 2;
  }

  depth(side: BookSide): number {
    return side === 'bids' ? this.bidPrices.length : this.askPrices.length;
  }

  priceAt(side: BookSide, index: number): number {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    return index >= 0 && index < prices.length ? prices[prices.length - 1 - index]! : Number.NaN;
  }

  quantityAt(side: BookSide, index: number): number {
    const quantities = side === 'bids' ? this.bidQuantities : this.askQuantities;
    return index >= 0 && index < quantities.length ? quantities[quantities.length - 1 - index]! : 0;
  }

  quantityAtPrice(side: BookSide, price: number): number {
    const bids = side === 'bids';
    const prices = bids ? this.bidPrices : this.askPrices;
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bids ? prices[middle]! < price : prices[middle]! > price) low = middle + 1;
      else high = middle;
    }
    return low < prices.length && prices[low] === price ? (bids ? this.bidQuantities : this.askQuantities)[low]! : 0;
  }

  top(side: BookSide, count: number): BookLevel[] {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    const quantities = side === 'bids' ? this.bidQuantities : this.askQuantities;
    const levels: BookLevel[] = [];
    const last = prices.length - 1;
    for (let index = 0; index < Math.min(count, prices.length); index++) levels.push([prices[last - index]!, quantities[last - index]!]);
    return levels;
  }

  /**
   * Quote notional (price × quantity) of a side's top levels: from the best level down
   * to the first one farther than `maxDistance` from `reference` (the best level always
   * counts), at most `maxLevels` levels.
   */
  notionalNear(side: BookSide, reference: number, maxDistance: number, maxLevels: number): number {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    const quantities = side === 'bids' ? this.bidQuantities : this.askQuantities;
    const last = prices.length - 1;
    const levels = Math.min(prices.length, maxLevels);
    let notional = 0;
    for (let index = 0; index < levels; index++) {
      const price = prices[last - index]!;
      if (Math.abs(price - reference) > maxDistance && index > 0) break;
      notional += price * quantities[last - index]!;
    }
    return notional;
  }

  /** A deep copy, detached from further updates. */
  clone(): L2Book {
    const copy = new L2Book(this.symbol);
    copy.bidPrices.push(...this.bidPrices);
    copy.bidQuantities.push(...this.bidQuantities);
    copy.askPrices.push(...this.askPrices);
    copy.askQuantities.push(...this.askQuantities);
    copy.lastTs = this.lastTs;
    copy.lastSequence = this.lastSequence;
    return copy;
  }
}

/**
 * Sets the level at `index` (found by binary search) of one ladder: updates it in
 * place, inserts or removes it, and returns the quantity it had (0 if none). The top
 * is at the end, so `splice` (a native memmove) shifts only the levels between the
 * change and the top.
 */
function update(prices: number[], quantities: number[], index: number, price: number, quantity: number): number {
  const length = prices.length;
  const exists = index < length && prices[index] === price;
  const before = exists ? quantities[index]! : 0;
  if (quantity <= 0) {
    if (!exists) return 0;
    if (index === length - 1) {
      prices.pop();
      quantities.pop();
    } else {
      prices.splice(index, 1);
      quantities.splice(index, 1);
    }
    return before;
  }
  if (exists) {
    quantities[index] = quantity;
  } else if (index === length) {
    prices.push(price);
    quantities.push(quantity);
  } else {
    prices.splice(index, 0, price);
    quantities.splice(index, 0, quantity);
  }
  return before;
}
