import { TrancheError, type MarketEvent } from '@tranche/core';
import type { CandleColumns } from './candle-columns.js';
import { CandleCursor } from './candle-cursor.js';
import { CandleFillModel } from './candle-fill-model.js';
import type { CandleMarket, CandleModel } from './candle-model.schema.js';
import type { CaptureLoad } from './recording.js';
import type { ReplayStream } from './replay-stream.js';

/**
 * OHLCV bars of one or more symbols replayed as the book and trade events of a
 * `CandleFillModel`: one time-ordered stream of `MarketEvent`s, made bar by bar as a
 * cursor walks it (nothing is materialized up front).
 */
export class CandleRecording implements ReplayStream {
  private eventTotal?: number;

  constructor(
    /** The bars, one series per symbol, each in time order. */
    readonly series: readonly CandleColumns[],
    /** The fill model. */
    readonly model: CandleModel,
    /** Tick and step of each symbol's synthetic book. */
    readonly markets: Readonly<Record<string, CandleMarket>>,
    /** How each candle file was read. */
    readonly loads: readonly CaptureLoad[] = [],
  ) {
    for (const bars of series) {
      if (!markets[bars.symbol]) throw new TrancheError('validation', `candle replay: no tick and step for ${bars.symbol}`, { field: 'candleModel.markets', retryable: false });
    }
  }

  /** Unified symbols, in series order. */
  symbols(): string[] {
    return this.series.map((bars) => bars.symbol);
  }

  /** Number of bars of every symbol. */
  get barCount(): number {
    return this.series.reduce((sum, bars) => sum + bars.length, 0);
  }

  /** Total number of events (computed from the bars' volumes, without making the events). */
  get eventCount(): number {
    if (this.eventTotal === undefined) {
      let total = 0;
      for (const bars of this.series) {
        const model = this.fillModel(bars);
        for (let index = 0; index < bars.length; index++) total += model.eventsPerBar(bars.volumeAt(index));
      }
      this.eventTotal = total;
    }
    return this.eventTotal;
  }

  /** Open time of the first bar, epoch ms (`NaN` when empty). */
  get startTs(): number {
    const times = this.series.filter((bars) => bars.length > 0).map((bars) => bars.openTimeAt(0));
    return times.length > 0 ? Math.min(...times) : Number.NaN;
  }

  /** Time of the last event, epoch ms: the last bar's close time (1 ms earlier without `emitCandles`); `NaN` when empty. */
  get endTs(): number {
    const lag = this.model.emitCandles ? 0 : 1;
    const times = this.series.filter((bars) => bars.length > 0).map((bars) => bars.endTimeAt(bars.length - 1) - lag);
    return times.length > 0 ? Math.max(...times) : Number.NaN;
  }

  /** Bytes held by the bar columns. */
  get byteLength(): number {
    return this.series.reduce((sum, bars) => sum + bars.byteLength, 0);
  }

  /** A new cursor at the first event (with fresh fill models). */
  cursor(): CandleCursor {
    return new CandleCursor(
      this.series,
      this.series.map((bars) => this.fillModel(bars)),
    );
  }

  /** Every event in replay order (new objects on each pass). */
  *events(): IterableIterator<MarketEvent> {
    const cursor = this.cursor();
    for (let event = cursor.next(); event !== undefined; event = cursor.next()) yield event;
  }

  private fillModel(bars: CandleColumns): CandleFillModel {
    return new CandleFillModel(bars.symbol, this.model, this.markets[bars.symbol]!);
  }
}
