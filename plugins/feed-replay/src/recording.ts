import type { MarketEvent } from '@tranche/core';
import type { ColumnarCapture } from './columnar-capture.js';
import { RecordingCursor } from './recording-cursor.js';

/** How one capture of a recording was loaded. */
export interface CaptureLoad {
  /** Capture name. */
  readonly name: string;
  /** `cache` when read from the columnar cache, `decoded` when parsed from CSV. */
  readonly origin: 'cache' | 'decoded';
  /** Wall time the load took, ms. */
  readonly durationMs: number;
  /** The cache file read or written, if any. */
  readonly cacheFile?: string;
}

/**
 * Decoded captures replayed together: one stream of `MarketEvent`s ordered by
 * exchange time, built lazily from the columns.
 */
export class Recording {
  constructor(
    /** The captures, one per symbol. */
    readonly captures: readonly ColumnarCapture[],
    /** How each capture was loaded. */
    readonly loads: readonly CaptureLoad[] = [],
  ) {}

  /** Unified symbols, in capture order. */
  symbols(): string[] {
    return this.captures.map((capture) => capture.symbol);
  }

  /** Total number of events. */
  get eventCount(): number {
    return this.captures.reduce((sum, capture) => sum + capture.eventCount, 0);
  }

  /** Total number of rows (book levels + trades). */
  get rowCount(): number {
    return this.captures.reduce((sum, capture) => sum + capture.rowCount, 0);
  }

  /** Bytes held by the columns of every capture. */
  get byteLength(): number {
    return this.captures.reduce((sum, capture) => sum + capture.byteLength, 0);
  }

  /** Time of the first event, epoch ms (`NaN` when empty). */
  get startTs(): number {
    const times = this.captures.filter((capture) => capture.eventCount > 0).map((capture) => capture.ts(0));
    return times.length > 0 ? Math.min(...times) : Number.NaN;
  }

  /** Time of the last event, epoch ms (`NaN` when empty). */
  get endTs(): number {
    const times = this.captures.filter((capture) => capture.eventCount > 0).map((capture) => capture.ts(capture.eventCount - 1));
    return times.length > 0 ? Math.max(...times) : Number.NaN;
  }

  /** A new cursor at the first event. */
  cursor(): RecordingCursor {
    return new RecordingCursor(this.captures);
  }

  /** Every event in replay order (new objects on each pass). */
  *events(): IterableIterator<MarketEvent> {
    const cursor = this.cursor();
    for (let event = cursor.next(); event !== undefined; event = cursor.next()) yield event;
  }
}
