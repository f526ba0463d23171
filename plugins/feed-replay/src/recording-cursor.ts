import type { MarketEvent } from '@tranche/core';
import type { ColumnarCapture, EventKindCode } from './columnar-capture.js';

/**
 * Walks several decoded captures as one stream ordered by exchange time. Ties go to
 * the capture listed first, so the order is the same on every run.
 */
export class RecordingCursor {
  private readonly positions: number[];
  private emitted = 0;
  private nextCapture = -1;

  constructor(private readonly captures: readonly ColumnarCapture[]) {
    this.positions = captures.map(() => 0);
    this.pick();
  }

  /** True when every event was returned. */
  get done(): boolean {
    return this.nextCapture < 0;
  }

  /** Number of events returned so far. */
  get position(): number {
    return this.emitted;
  }

  /** Time of the next event, `Infinity` when done. */
  peekTs(): number {
    return this.nextCapture < 0 ? Number.POSITIVE_INFINITY : this.captures[this.nextCapture]!.ts(this.positions[this.nextCapture]!);
  }

  /** `EventKind` code of the next event, -1 when done. */
  peekKind(): EventKindCode | -1 {
    return this.nextCapture < 0 ? -1 : this.captures[this.nextCapture]!.kind(this.positions[this.nextCapture]!);
  }

  /** The next event, `undefined` when done. */
  next(): MarketEvent | undefined {
    const index = this.nextCapture;
    if (index < 0) return undefined;
    const event = this.captures[index]!.eventAt(this.positions[index]!);
    this.positions[index]!++;
    this.emitted++;
    this.pick();
    return event;
  }

  /** Passes over the next event without building it. */
  discard(): void {
    if (this.nextCapture < 0) return;
    this.positions[this.nextCapture]!++;
    this.emitted++;
    this.pick();
  }

  private pick(): void {
    let best = -1;
    let bestTs = Number.POSITIVE_INFINITY;
    for (let index = 0; index < this.captures.length; index++) {
      const capture = this.captures[index]!;
      const position = this.positions[index]!;
      if (position >= capture.eventCount) continue;
      const ts = capture.ts(position);
      if (ts < bestTs) {
        best = index;
        bestTs = ts;
      }
    }
    this.nextCapture = best;
  }
}
