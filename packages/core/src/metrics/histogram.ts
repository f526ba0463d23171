import type { MetricValue } from '../contracts/metric-collector.js';
import { TrancheError } from '../errors/tranche-error.js';

/**
 * A histogram with fixed bucket upper bounds: O(log buckets) per observation, constant
 * memory whatever the number of samples. Quantiles (`p50`, `p99`, `p99.9`) are estimated
 * by linear interpolation inside the bucket that holds the rank, clamped to the exact
 * minimum and maximum, so their error is at most one bucket's width. Values above the
 * last bound land in an overflow bucket that ends at the maximum seen. Non-finite values
 * are ignored (counted in `ignored`).
 */
export class Histogram {
  /** Upper bounds of the buckets, strictly ascending. */
  readonly bounds: readonly number[];
  private readonly counts: number[];
  private total = 0;
  private sumOfValues = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;
  private ignoredValues = 0;

  /** @param bounds bucket upper bounds (inclusive), strictly ascending and finite. */
  constructor(bounds: readonly number[]) {
    if (bounds.length === 0) throw new TrancheError('internal', 'a histogram needs at least one bucket bound', { retryable: false });
    for (let index = 0; index < bounds.length; index++) {
      const bound = bounds[index]!;
      if (!Number.isFinite(bound) || (index > 0 && !(bound > bounds[index - 1]!))) {
        throw new TrancheError('internal', `histogram bounds must be finite and strictly ascending (got ${bounds.join(', ')})`, { retryable: false });
      }
    }
    this.bounds = [...bounds];
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** `count` bounds `start, start·factor, start·factor², …` (rounded to 6 significant digits). */
  static exponentialBounds(start: number, factor: number, count: number): number[] {
    if (!(start > 0) || !(factor > 1) || !Number.isInteger(count) || count < 1) {
      throw new TrancheError('internal', 'exponential bounds need start > 0, factor > 1 and a positive integer count', { retryable: false });
    }
    const bounds: number[] = [];
    for (let index = 0; index < count; index++) bounds.push(Number((start * factor ** index).toPrecision(6)));
    return bounds;
  }

  /** `perDecade` log-spaced bounds per power of ten from `min` to `max` (both powers of ten). */
  static logBounds(min: number, max: number, perDecade: number): number[] {
    const decades = Math.round(Math.log10(max / min));
    return Histogram.exponentialBounds(min, 10 ** (1 / perDecade), decades * perDecade + 1);
  }

  /** Number of observations. */
  get count(): number {
    return this.total;
  }

  /** Sum of the observations. */
  get sum(): number {
    return this.sumOfValues;
  }

  /** Smallest observation, `NaN` when empty. */
  get min(): number {
    return this.total === 0 ? Number.NaN : this.minimum;
  }

  /** Largest observation, `NaN` when empty. */
  get max(): number {
    return this.total === 0 ? Number.NaN : this.maximum;
  }

  /** Mean of the observations, `NaN` when empty. */
  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sumOfValues / this.total;
  }

  /** Non-finite values passed to `observe` and dropped. */
  get ignored(): number {
    return this.ignoredValues;
  }

  /** Records one value. */
  observe(value: number): void {
    if (!Number.isFinite(value)) {
      this.ignoredValues++;
      return;
    }
    const bounds = this.bounds;
    let low = 0;
    let high = bounds.length;
    // First bound >= value; `bounds.length` is the overflow bucket.
    while (low < high) {
      const middle = (low + high) >> 1;
      if (bounds[middle]! < value) low = middle + 1;
      else high = middle;
    }
    this.counts[low]!++;
    this.total++;
    this.sumOfValues += value;
    if (value < this.minimum) this.minimum = value;
    if (value > this.maximum) this.maximum = value;
  }

  /**
   * Estimated `q`-quantile (0..1): the bucket holding rank `q × count` is found from the
   * cumulative counts and the value interpolated linearly inside it. `NaN` when empty.
   */
  quantile(q: number): number {
    if (this.total === 0 || !(q >= 0 && q <= 1)) return Number.NaN;
    if (q === 0) return this.minimum;
    if (q === 1) return this.maximum;
    const rank = q * this.total;
    let before = 0;
    for (let index = 0; index < this.counts.length; index++) {
      const inBucket = this.counts[index]!;
      if (inBucket > 0 && before + inBucket >= rank) {
        const lower = Math.max(index === 0 ? this.minimum : this.bounds[index - 1]!, this.minimum);
        const upper = Math.min(index < this.bounds.length ? this.bounds[index]! : this.maximum, this.maximum);
        const estimate = lower + (upper - lower) * ((rank - before) / inBucket);
        return Math.min(Math.max(estimate, this.minimum), this.maximum);
      }
      before += inBucket;
    }
    return this.maximum;
  }

  /** Clears every observation. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumOfValues = 0;
    this.minimum = Number.POSITIVE_INFINITY;
    this.maximum = Number.NEGATIVE_INFINITY;
    this.ignoredValues = 0;
  }

  /** The histogram as a `MetricValue`: cumulative counts per bound (Prometheus `le` semantics; `count` is the `+Inf` bucket). */
  toMetricValue(help?: string): MetricValue {
    let cumulative = 0;
    const buckets = this.bounds.map((le, index) => {
      cumulative += this.counts[index]!;
      return { le, count: cumulative };
    });
    return { kind: 'histogram', count: this.total, sum: this.sumOfValues, buckets, ...(help === undefined ? {} : { help }) };
  }
}
