/**
 * Market trade volume of one symbol over a trailing span of data time: a queue of
 * `(ts, quantity)` from which trades older than the span behind the latest are evicted.
 */
export class TrailingVolume {
  private readonly times: number[] = [];
  private readonly quantities: number[] = [];
  private head = 0;
  private latest = Number.NEGATIVE_INFINITY;
  /** Time of the first event seen for the symbol (trade or not), `undefined` before any. */
  firstSeenAt: number | undefined;

  /** @param spanMs how much data time to keep behind the latest trade. */
  constructor(private readonly spanMs: number) {}

  /** Notes that data of the symbol was seen at `ts` (the start of the observed span). */
  seen(ts: number): void {
    this.firstSeenAt ??= ts;
  }

  /** Adds a trade. */
  add(ts: number, quantity: number): void {
    this.seen(ts);
    this.times.push(ts);
    this.quantities.push(quantity);
    if (ts > this.latest) this.latest = ts;
    while (this.head < this.times.length && this.times[this.head]! < this.latest - this.spanMs) this.head++;
    if (this.head > 4_096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.quantities.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Volume of the trades with `from < ts <= to` still kept. */
  volumeBetween(from: number, to: number): number {
    let volume = 0;
    for (let index = this.head; index < this.times.length; index++) {
      const ts = this.times[index]!;
      if (ts > from && ts <= to) volume += this.quantities[index]!;
    }
    return volume;
  }
}
