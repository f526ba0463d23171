import type { BookDeltaEvent, BookEvent } from '../model/market.schema.js';
import { L2Book, type BookSide } from './l2-book.js';

interface SharedBook {
  readonly book: L2Book;
  /** The event applied last, so a second reader of the same event does not apply it again. */
  last?: BookEvent;
  /** Quantities the levels of the last event (a delta) had before it, index for index. */
  readonly previous: { bids: number[]; asks: number[] };
}

/**
 * One L2 book per symbol for every in-process reader of the same market data (the
 * asset cache and the market-state monitor's feature windows): each book event is
 * applied once, by whichever reader sees it first, and the others read the result.
 * Re-applying an event (a reader given a copy of it) is harmless: snapshot and delta
 * levels are absolute. A reader that needs a level's quantity from before the last
 * delta (the paper venue's queue positions) asks `previousQuantity`.
 */
export class SharedBooks {
  private readonly books = new Map<string, SharedBook>();

  /** The shared book of a symbol (empty until a snapshot is applied). */
  book(symbol: string): L2Book {
    return this.entry(symbol).book;
  }

  /** Applies `event` to its symbol's book unless it was the last event applied there; returns the book. */
  apply(event: BookEvent): L2Book {
    const entry = this.entry(event.symbol);
    if (entry.last !== event) {
      if (event.type === 'book-delta') entry.book.applyDelta(event, entry.previous);
      else entry.book.applySnapshot(event);
      entry.last = event;
    }
    return entry.book;
  }

  /**
   * The quantity level `index` of `side` of `delta` had before `delta` was applied (0
   * for a new level); `undefined` unless `delta` is the last event applied to its book.
   */
  previousQuantity(delta: BookDeltaEvent, side: BookSide, index: number): number | undefined {
    const entry = this.books.get(delta.symbol);
    if (!entry || entry.last !== delta) return undefined;
    return entry.previous[side][index];
  }

  private entry(symbol: string): SharedBook {
    let entry = this.books.get(symbol);
    if (!entry) {
      entry = { book: new L2Book(symbol), previous: { bids: [], asks: [] } };
      this.books.set(symbol, entry);
    }
    return entry;
  }
}
