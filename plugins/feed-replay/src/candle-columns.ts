import type { CandleEvent } from '@tranche/core';

/**
 * The bars of one symbol kept column-wise (ten `Float64Array`s, 80 bytes a bar; a month
 * of 1m bars is 3.5 MB), so a long candle replay holds no per-bar objects: `barAt(i)`
 * builds the `candle` event when it is needed. Unknown optional fields are `NaN`.
 */
export class CandleColumns {
  /** Number of bars. */
  readonly length: number;
  private readonly openTime: Float64Array;
  private readonly intervalMs: Float64Array;
  private readonly open: Float64Array;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly close: Float64Array;
  private readonly volume: Float64Array;
  private readonly quoteVolume: Float64Array;
  private readonly trades: Float64Array;
  private readonly takerBuyVolume: Float64Array;

  /** Copies `candles` (in time order, one symbol) into columns. */
  constructor(
    /** Unified symbol of the bars. */
    readonly symbol: string,
    candles: readonly CandleEvent[],
  ) {
    const length = candles.length;
    this.length = length;
    const column = (): Float64Array => new Float64Array(length);
    [this.openTime, this.intervalMs, this.open, this.high, this.low, this.close, this.volume, this.quoteVolume, this.trades, this.takerBuyVolume] = [
      column(), column(), column(), column(), column(), column(), column(), column(), column(), column(),
    ];
    candles.forEach((bar, index) => {
      this.openTime[index] = bar.openTime;
      this.intervalMs[index] = bar.intervalMs;
      this.open[index] = bar.open;
      this.high[index] = bar.high;
      this.low[index] = bar.low;
      this.close[index] = bar.close;
      this.volume[index] = bar.volume;
      this.quoteVolume[index] = bar.quoteVolume ?? Number.NaN;
      this.trades[index] = bar.trades ?? Number.NaN;
      this.takerBuyVolume[index] = bar.takerBuyVolume ?? Number.NaN;
    });
  }

  /** Bytes held by the columns. */
  get byteLength(): number {
    return this.length * 10 * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Open time of bar `index` (epoch ms). */
  openTimeAt(index: number): number {
    return this.openTime[index]!;
  }

  /** End of bar `index` (epoch ms): its open time plus its length. */
  endTimeAt(index: number): number {
    return this.openTime[index]! + this.intervalMs[index]!;
  }

  /** Base volume of bar `index`. */
  volumeAt(index: number): number {
    return this.volume[index]!;
  }

  /** Bar `index` as a `candle` event (a new object; `ts` is its close time). */
  barAt(index: number): CandleEvent {
    const quoteVolume = this.quoteVolume[index]!;
    const trades = this.trades[index]!;
    const takerBuyVolume = this.takerBuyVolume[index]!;
    return {
      type: 'candle',
      symbol: this.symbol,
      ts: this.endTimeAt(index),
      openTime: this.openTime[index]!,
      intervalMs: this.intervalMs[index]!,
      open: this.open[index]!,
      high: this.high[index]!,
      low: this.low[index]!,
      close: this.close[index]!,
      volume: this.volume[index]!,
      ...(Number.isNaN(quoteVolume) ? {} : { quoteVolume }),
      ...(Number.isNaN(trades) ? {} : { trades }),
      ...(Number.isNaN(takerBuyVolume) ? {} : { takerBuyVolume }),
    };
  }
}
