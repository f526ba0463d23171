import type { MarketEvent } from '@tranche/core';
import type { CandleColumns } from './candle-columns.js';
import type { CandleFillModel } from './candle-fill-model.js';
import type { ReplayCursor } from './replay-stream.js';

/** One symbol's bars and the events of its current bar. */
interface Lane {
  readonly bars: CandleColumns;
  readonly model: CandleFillModel;
  nextBar: number;
  buffer: MarketEvent[];
  buffered: number;
}

/**
 * Walks the synthetic events of several symbols' bars as one stream ordered by time
 * (ties go to the symbol listed first). Events are made one bar at a time, when the
 * cursor reaches the bar, so memory stays flat however many bars there are.
 */
export class CandleCursor implements ReplayCursor {
  private readonly lanes: Lane[];
  private emitted = 0;
  private nextLane = -1;

  /** `models[i]` makes the events of `series[i]` (fresh models: they carry state from bar to bar). */
  constructor(series: readonly CandleColumns[], models: readonly CandleFillModel[]) {
    this.lanes = series.map((bars, index) => ({ bars, model: models[index]!, nextBar: 0, buffer: [], buffered: 0 }));
    for (const lane of this.lanes) refill(lane);
    this.pick();
  }

  /** True when every event was returned. */
  get done(): boolean {
    return this.nextLane < 0;
  }

  /** Number of events returned so far. */
  get position(): number {
    return this.emitted;
  }

  /** Time of the next event, `Infinity` when done. */
  peekTs(): number {
    if (this.nextLane < 0) return Number.POSITIVE_INFINITY;
    const lane = this.lanes[this.nextLane]!;
    return lane.buffer[lane.buffered]!.ts;
  }

  /** The next event, `undefined` when done. */
  next(): MarketEvent | undefined {
    if (this.nextLane < 0) return undefined;
    const lane = this.lanes[this.nextLane]!;
    const event = lane.buffer[lane.buffered++]!;
    if (lane.buffered >= lane.buffer.length) refill(lane);
    this.emitted++;
    this.pick();
    return event;
  }

  private pick(): void {
    let best = -1;
    let bestTs = Number.POSITIVE_INFINITY;
    for (let index = 0; index < this.lanes.length; index++) {
      const lane = this.lanes[index]!;
      if (lane.buffered >= lane.buffer.length) continue;
      const ts = lane.buffer[lane.buffered]!.ts;
      if (ts < bestTs) {
        best = index;
        bestTs = ts;
      }
    }
    this.nextLane = best;
  }
}

/** Makes the events of the lane's next bar (none when its bars are used up). */
function refill(lane: Lane): void {
  lane.buffered = 0;
  lane.buffer = lane.nextBar < lane.bars.length ? lane.model.barEvents(lane.bars.barAt(lane.nextBar++)) : [];
}
