import { TrancheError } from '../errors/tranche-error.js';

/**
 * Events per second over a trailing window of event time (data time in a backtest),
 * kept as a ring of fixed buckets: constant memory, O(1) per event. The rate divides the
 * events of the buckets in the window by the window's length, or by the time covered
 * since the first event while the window is not yet full. Events older than the window
 * are counted in `total` only.
 */
export class EventRateMeter {
  private readonly bucketIds: number[];
  private readonly counts: number[];
  private firstBucket: number | undefined;
  private latestBucket = Number.NEGATIVE_INFINITY;
  private totalEvents = 0;
  private peakCount = 0;

  /**
   * @param windowMs length of the trailing window (a multiple of `bucketMs`).
   * @param bucketMs resolution; the peak rate is measured per bucket.
   */
  constructor(
    readonly windowMs = 10_000,
    readonly bucketMs = 1_000,
  ) {
    if (!(bucketMs > 0) || !(windowMs >= bucketMs)) {
      throw new TrancheError('internal', `rate meter needs bucketMs > 0 and windowMs >= bucketMs (got ${windowMs}, ${bucketMs})`, { retryable: false });
    }
    const size = Math.round(windowMs / bucketMs);
    this.bucketIds = new Array<number>(size).fill(Number.NaN);
    this.counts = new Array<number>(size).fill(0);
  }

  /** Events recorded so far. */
  get total(): number {
    return this.totalEvents;
  }

  /** Records `count` events at `ts` (epoch ms). */
  record(ts: number, count = 1): void {
    this.totalEvents += count;
    const bucket = Math.floor(ts / this.bucketMs);
    this.firstBucket ??= bucket;
    if (bucket > this.latestBucket) this.latestBucket = bucket;
    if (bucket <= this.latestBucket - this.bucketIds.length) return;
    const slot = ((bucket % this.bucketIds.length) + this.bucketIds.length) % this.bucketIds.length;
    if (this.bucketIds[slot] !== bucket) {
      this.bucketIds[slot] = bucket;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += count;
    if (this.counts[slot]! > this.peakCount) this.peakCount = this.counts[slot]!;
  }

  /** Events per second over the window ending at `nowMs` (default: the latest event). */
  rate(nowMs?: number): number {
    if (this.firstBucket === undefined) return 0;
    const current = nowMs === undefined ? this.latestBucket : Math.floor(nowMs / this.bucketMs);
    const size = this.bucketIds.length;
    let events = 0;
    for (let slot = 0; slot < size; slot++) {
      const id = this.bucketIds[slot]!;
      if (id > current - size && id <= current) events += this.counts[slot]!;
    }
    const buckets = Math.min(size, Math.max(1, current - this.firstBucket + 1));
    return events / ((buckets * this.bucketMs) / 1_000);
  }

  /** Highest rate of any one bucket so far, events per second. */
  peak(): number {
    return this.peakCount / (this.bucketMs / 1_000);
  }
}
