import type { BookEvent } from '../model/market.schema.js';
import { L2Book } from './l2-book.js';

interface SharedBook {
  readonly book: L2Book;
  /** The event applied last, so a second reader of the same event does not apply it again. */
  last?: BookEvent;
}

/**
 * One L2 book per symbol for every in-process reader of the same market data (the
 * asset cache and the market-state monitor's feature windows): each book event is
 * applied once, by whichever reader sees it first, and the others read the result.
 * Re-applying an event (a reader given a copy of it) is harmless: snapshot and delta
 * levels are absolute. The paper venue keeps its own book, since its matching reads a
 * level's quantity before each delta.
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
      entry.book.apply(event);
      entry.last = event;
    }
    return entry.book;
  }

  private entry(symbol: string): SharedBook {
    let entry = this.books.get(symbol);
    if (!entry) {
      entry = { book: new L2Book(symbol) };
      this.books.set(symbol, entry);
    }
    return entry;
  }
}
