/**
 * Market volume traded before a moment, over a bounded look-back: what the backtest sizes
 * an order from (never the volume of the order's own window, which lies in the future).
 * Keeps cumulative volume per trade; entries older than the look-back are dropped, so
 * memory stays bounded over months of data.
 */
export class TrailingVolume {
  private readonly ts: number[] = [];
  private readonly cumulative: number[] = [];
  private head = 0;
  private total = 0;

  /** @param lookbackMs the longest look-back ever asked for. */
  constructor(private readonly lookbackMs: number) {}

  /** Adds a trade of `quantity` at `ts` (trades arrive in time order). */
  add(ts: number, quantity: number): void {
    this.total += quantity;
    this.ts.push(ts);
    this.cumulative.push(this.total);
    if (this.head > 4096 && this.head * 2 > this.ts.length) this.compact();
    while (this.head < this.ts.length && this.ts[this.head]! < ts - this.lookbackMs * 2) this.head++;
  }

  /** Volume traded in `(fromTs, toTs]`, from the trades seen so far. */
  volumeBetween(fromTs: number, toTs: number): number {
    return this.cumulativeAt(toTs) - this.cumulativeAt(fromTs);
  }

  /** Cumulative volume of the trades at or before `ts`. */
  private cumulativeAt(ts: number): number {
    let low = this.head;
    let high = this.ts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ts[middle]! <= ts) low = middle + 1;
      else high = middle;
    }
    // `low` is the first trade after ts; everything before `head` is older than any look-back.
    if (low === this.head) return this.head === 0 ? 0 : this.cumulative[this.head - 1]!;
    return this.cumulative[low - 1]!;
  }

  private compact(): void {
    // Keep one entry before the head: the cumulative volume up to it.
    const keepFrom = this.head - 1;
    this.ts.splice(0, keepFrom);
    this.cumulative.splice(0, keepFrom);
    this.head = 1;
  }
}
