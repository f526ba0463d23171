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
 * A mutable L2 book kept as two sorted price ladders (bids descending, asks
 * ascending) in parallel arrays. Updates binary-search the ladder; most activity is
 * near the top, so inserts and deletes move few elements. One implementation shared
 * by the paper venue, the asset cache and the replay feed so every component sees
 * the same book.
 */
export class L2Book implements BookView {
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
    for (const [price, quantity] of snapshot.bids) this.set('bids', price, quantity);
    for (const [price, quantity] of snapshot.asks) this.set('asks', price, quantity);
    this.lastTs = snapshot.ts;
    this.lastSequence = snapshot.sequence;
  }

  /** Applies changed levels (absolute quantities, 0 deletes). */
  applyDelta(delta: Pick<BookDeltaEvent, 'bids' | 'asks' | 'ts' | 'sequence'>): void {
    for (const [price, quantity] of delta.bids) this.set('bids', price, quantity);
    for (const [price, quantity] of delta.asks) this.set('asks', price, quantity);
    this.lastTs = delta.ts;
    this.lastSequence = delta.sequence;
  }

  /** Applies a snapshot or delta event. */
  apply(event: BookSnapshotEvent | BookDeltaEvent): void {
    if (event.type === 'book-snapshot') this.applySnapshot(event);
    else this.applyDelta(event);
  }

  /** Sets one level's absolute quantity; 0 removes it. */
  set(side: BookSide, price: number, quantity: number): void {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    const quantities = side === 'bids' ? this.bidQuantities : this.askQuantities;
    const index = this.search(prices, price, side === 'bids');
    const exists = index < prices.length && prices[index] === price;
    if (quantity <= 0) {
      if (exists) {
        prices.splice(index, 1);
        quantities.splice(index, 1);
      }
      return;
    }
    if (exists) {
      quantities[index] = quantity;
    } else if (index === prices.length) {
      prices.push(price);
      quantities.push(quantity);
    } else {
      prices.splice(index, 0, price);
      quantities.splice(index, 0, quantity);
    }
  }

  bestBid(): number {
    return this.bidPrices.length > 0 ? this.bidPrices[0]! : Number.NaN;
  }

  bestAsk(): number {
    return this.askPrices.length > 0 ? this.askPrices[0]! : Number.NaN;
  }

  mid(): number {
    return (this.bestBid() + this.bestAsk()) / 2;
  }

  depth(side: BookSide): number {
    return side === 'bids' ? this.bidPrices.length : this.askPrices.length;
  }

  priceAt(side: BookSide, index: number): number {
    return (side === 'bids' ? this.bidPrices : this.askPrices)[index] ?? Number.NaN;
  }

  quantityAt(side: BookSide, index: number): number {
    return (side === 'bids' ? this.bidQuantities : this.askQuantities)[index] ?? 0;
  }

  quantityAtPrice(side: BookSide, price: number): number {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    const index = this.search(prices, price, side === 'bids');
    return index < prices.length && prices[index] === price ? (side === 'bids' ? this.bidQuantities : this.askQuantities)[index]! : 0;
  }

  top(side: BookSide, count: number): BookLevel[] {
    const prices = side === 'bids' ? this.bidPrices : this.askPrices;
    const quantities = side === 'bids' ? this.bidQuantities : this.askQuantities;
    const levels: BookLevel[] = [];
    for (let index = 0; index < Math.min(count, prices.length); index++) levels.push([prices[index]!, quantities[index]!]);
    return levels;
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

  /** First index whose price is not better than `price` (descending for bids, ascending for asks). */
  private search(prices: number[], price: number, descending: boolean): number {
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const candidate = prices[middle]!;
      if (descending ? candidate > price : candidate < price) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
