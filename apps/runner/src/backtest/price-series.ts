import type { BacktestPriceSeries } from './backtest-result.js';

/** Most points a chart series gets. */
const MAX_POINTS = 1_500;

/**
 * Downsamples trade prices to the last price per time bucket, the bucket chosen from the
 * data's span so a chart gets at most ~1,500 points (a second at least).
 */
export class PriceSeriesBuilder {
  private readonly ts: number[] = [];
  private readonly price: number[] = [];
  readonly stepMs: number;

  constructor(
    readonly symbol: string,
    spanMs: number,
  ) {
    this.stepMs = Math.max(1_000, Math.ceil(Math.max(0, spanMs) / MAX_POINTS / 1_000) * 1_000);
  }

  /** Adds a trade (in time order). */
  add(ts: number, price: number): void {
    const bucket = Math.floor(ts / this.stepMs) * this.stepMs;
    const last = this.ts.length - 1;
    if (last >= 0 && this.ts[last] === bucket) this.price[last] = price;
    else {
      this.ts.push(bucket);
      this.price.push(price);
    }
  }

  /** Points so far. */
  get length(): number {
    return this.ts.length;
  }

  /** The series. */
  build(): BacktestPriceSeries {
    return { symbol: this.symbol, stepMs: this.stepMs, ts: [...this.ts], price: [...this.price] };
  }
}
