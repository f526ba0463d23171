import type { MarketEvent } from '@tranche/core';
import type { CaptureLoad } from './recording.js';

/** A forward-only walk over a replay's events in time order (`RecordingCursor`, `CandleCursor`). */
export interface ReplayCursor {
  /** True when every event was returned. */
  readonly done: boolean;
  /** Number of events returned so far. */
  readonly position: number;
  /** Time of the next event, `Infinity` when done. */
  peekTs(): number;
  /** The next event, `undefined` when done. */
  next(): MarketEvent | undefined;
}

/** What the replay driver of `ReplayMarketDataSource` plays: recorded captures (`Recording`) or candles (`CandleRecording`). */
export interface ReplayStream {
  /** How each part (capture or candle file) was loaded. */
  readonly loads: readonly CaptureLoad[];
  /** Total number of events. */
  readonly eventCount: number;
  /** Time of the first event, epoch ms (`NaN` when empty). */
  readonly startTs: number;
  /** Time of the last event, epoch ms (`NaN` when empty). */
  readonly endTs: number;
  /** Unified symbols. */
  symbols(): string[];
  /** A new cursor at the first event. */
  cursor(): ReplayCursor;
}
