import { describe, expect, it } from 'vitest';
import type { BookDeltaEvent, BookSnapshotEvent } from '../model/market.schema.js';
import { SharedBooks } from './shared-books.js';

const snapshot: BookSnapshotEvent = { type: 'book-snapshot', symbol: 'BTC/USDT', ts: 1, sequence: 1, bids: [[100, 1]], asks: [[101, 1]] };
const delta: BookDeltaEvent = { type: 'book-delta', symbol: 'BTC/USDT', ts: 2, sequence: 2, bids: [[100.5, 2]], asks: [[101, 0], [102, 3]] };

describe('SharedBooks', () => {
  it('applies each event once per symbol, whichever reader sees it first, and gives every reader the same book', () => {
    const books = new SharedBooks();
    const first = books.apply(snapshot);
    expect(books.apply(snapshot)).toBe(first);
    books.apply(delta);
    expect(books.apply(delta)).toBe(books.book('BTC/USDT'));
    expect(first.top('bids', 5)).toEqual([[100.5, 2], [100, 1]]);
    expect(first.top('asks', 5)).toEqual([[102, 3]]);
    expect(books.book('ETH/USDT').depth('bids')).toBe(0);
  });

  it('re-applying a copy of an event leaves the book as it was (levels are absolute)', () => {
    const books = new SharedBooks();
    books.apply(snapshot);
    books.apply(delta);
    books.apply({ ...delta });
    expect(books.book('BTC/USDT').top('asks', 5)).toEqual([[102, 3]]);
    expect(books.book('BTC/USDT').sequence).toBe(2);
  });
});
