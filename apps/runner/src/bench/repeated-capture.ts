import type { MarketEvent } from '@tranche/core';
import { ColumnarCapture, Recording, type EventKindCode } from '@tranche/feed-replay';

/** Gap between two copies of a capture, ms of data time. */
const COPY_GAP_MS = 1_000;
/** Added to sequence numbers and trade ids per copy so they keep increasing. */
const SEQUENCE_STRIDE = 1e12;

/**
 * A capture repeated `copies` times back to back, each copy shifted in time to start
 * one second after the previous one ends (and its sequences shifted so they keep
 * increasing). A view over the original columns: nothing is copied, so a 100×
 * recording costs no more memory than the 1× one; `byteLength` reports what the
 * repeated columns would take if they were stored.
 */
export class RepeatedCapture extends ColumnarCapture {
  private readonly baseEvents: number;
  private readonly shiftMs: number;

  constructor(
    private readonly base: ColumnarCapture,
    readonly copies: number,
  ) {
    super(base.info, base.columns);
    this.baseEvents = base.eventCount;
    this.shiftMs = base.eventCount === 0 ? 0 : base.ts(base.eventCount - 1) - base.ts(0) + COPY_GAP_MS;
  }

  override get eventCount(): number {
    return this.baseEvents * this.copies;
  }

  override get rowCount(): number {
    return this.base.rowCount * this.copies;
  }

  override get byteLength(): number {
    return this.base.byteLength * this.copies;
  }

  override ts(index: number): number {
    const copy = Math.floor(index / this.baseEvents);
    return this.base.ts(index - copy * this.baseEvents) + copy * this.shiftMs;
  }

  override kind(index: number): EventKindCode {
    return this.base.kind(index % this.baseEvents);
  }

  override eventAt(index: number): MarketEvent {
    const copy = Math.floor(index / this.baseEvents);
    const event = this.base.eventAt(index - copy * this.baseEvents);
    if (copy === 0) return event;
    const shifted = event as { ts: number; sequence?: number; tradeId?: string };
    shifted.ts += copy * this.shiftMs;
    if (event.type === 'trade') shifted.tradeId = String(Number(event.tradeId) + copy * SEQUENCE_STRIDE);
    else if (shifted.sequence !== undefined) shifted.sequence += copy * SEQUENCE_STRIDE;
    return event;
  }
}

/** `recording` with every capture repeated `copies` times (a view; `copies` 1 returns it as is). */
export function repeatRecording(recording: Recording, copies: number): Recording {
  if (copies === 1) return recording;
  return new Recording(recording.captures.map((capture) => new RepeatedCapture(capture, copies)));
}
