import type { BookDeltaEvent, BookLevel, BookSnapshotEvent } from '@tranche/core';

/**
 * Turns the full books ccxt pro keeps (it applies the exchange's diffs and sequence
 * checks itself) into Tranche events: a snapshot first and after every re-connection,
 * then deltas holding only the levels that changed within the top `depth` (quantity 0
 * for a level that left it).
 */
export class BookDiffer {
  private bids = new Map<number, number>();
  private asks = new Map<number, number>();
  private snapshotTaken = false;

  constructor(private readonly depth: number) {}

  /** Forgets the last book: the next update is emitted as a snapshot (after a re-connection). */
  reset(): void {
    this.snapshotTaken = false;
  }

  /** True until a snapshot was emitted since the last reset. */
  get needsSnapshot(): boolean {
    return !this.snapshotTaken;
  }

  /** The event for the book's new state; `undefined` when nothing changed in the top levels. */
  next(snapshot: BookSnapshotEvent): BookSnapshotEvent | BookDeltaEvent | undefined {
    const bids = new Map(snapshot.bids.slice(0, this.depth));
    const asks = new Map(snapshot.asks.slice(0, this.depth));
    if (!this.snapshotTaken) {
      this.snapshotTaken = true;
      this.bids = bids;
      this.asks = asks;
      return { ...snapshot, bids: snapshot.bids.slice(0, this.depth), asks: snapshot.asks.slice(0, this.depth) };
    }
    const changedBids = changes(this.bids, bids);
    const changedAsks = changes(this.asks, asks);
    this.bids = bids;
    this.asks = asks;
    if (changedBids.length === 0 && changedAsks.length === 0) return undefined;
    return { type: 'book-delta', symbol: snapshot.symbol, ts: snapshot.ts, sequence: snapshot.sequence, bids: changedBids, asks: changedAsks };
  }
}

/** Levels of `next` that differ from `previous`, and `previous` levels gone from `next` (quantity 0). */
function changes(previous: ReadonlyMap<number, number>, next: ReadonlyMap<number, number>): BookLevel[] {
  const result: BookLevel[] = [];
  for (const [price, quantity] of next) if (previous.get(price) !== quantity) result.push([price, quantity]);
  for (const price of previous.keys()) if (!next.has(price)) result.push([price, 0]);
  return result;
}
