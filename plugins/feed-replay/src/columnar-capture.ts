import type { BookLevel, MarketEvent } from '@tranche/core';

/** Kind codes of the `eventKind` column. */
export const EventKind = {
  trade: 0,
  bookSnapshot: 1,
  bookDelta: 2,
} as const;
/** A kind code of the `eventKind` column. */
export type EventKindCode = (typeof EventKind)[keyof typeof EventKind];

/** Side codes of the `rowSide` column: book side for levels, taker side for trades. */
export const RowSide = {
  /** A bid level, or a trade whose taker bought. */
  bidOrBuy: 0,
  /** An ask level, or a trade whose taker sold. */
  askOrSell: 1,
} as const;

/**
 * The decoded capture as parallel typed arrays. Event `i` owns the rows
 * `[eventRowEnd[i - 1] ?? 0, eventRowEnd[i])`: one row for a trade, one per level for
 * a book event. `eventSequence` is the last update id of a book event and the trade
 * id of a trade.
 */
export interface CaptureColumns {
  /** Exchange time of each event, epoch ms. */
  readonly eventTs: Float64Array;
  /** Book update id (`u`) or trade id of each event. */
  readonly eventSequence: Float64Array;
  /** End (exclusive) of each event's rows. */
  readonly eventRowEnd: Uint32Array;
  /** `EventKind` code of each event. */
  readonly eventKind: Uint8Array;
  /** Price of each row. */
  readonly rowPrice: Float64Array;
  /** Quantity of each row (0 deletes a level). */
  readonly rowQuantity: Float64Array;
  /** `RowSide` code of each row. */
  readonly rowSide: Uint8Array;
}

/** A sequence break found while rebuilding the book. */
export interface SequenceGap {
  /** Last update id applied before the break. */
  readonly afterSequence: number;
  /** First update id of the diff that did not continue it. */
  readonly firstUpdateId: number;
  /** Exchange time of that diff, epoch ms. */
  readonly ts: number;
}

/** What decoding a capture found, kept with the columns (and in the cache). */
export interface CaptureStatistics {
  /** Book level rows stored (snapshot levels + diff levels applied). */
  readonly levelRows: number;
  /** Trades stored. */
  readonly trades: number;
  /** Book events stored (1 snapshot + the diffs applied). */
  readonly bookEvents: number;
  /** Levels in the snapshot (both sides). */
  readonly snapshotLevels: number;
  /** Diffs before or covered by the snapshot, not applied. */
  readonly skippedDiffs: number;
  /** Diffs that arrived before the snapshot line but bridge it, applied after it. */
  readonly bufferedDiffs: number;
  /** Number of sequence breaks (0 on a clean capture). */
  readonly gaps: number;
  /** The first sequence breaks (at most 100). */
  readonly gapDetails: readonly SequenceGap[];
  /** Book events after which the best bid was at or above the best ask. */
  readonly crossedBooks: number;
  /** Extra snapshot messages found after the first one (ignored). */
  readonly extraSnapshots: number;
  /** True when the snapshot had no exchange time and it was estimated. */
  readonly snapshotTsEstimated: boolean;
  /** Exchange time given to the snapshot, epoch ms. */
  readonly snapshotTs: number;
  /** Time of the first event, epoch ms. */
  readonly firstTs: number;
  /** Time of the last event, epoch ms. */
  readonly lastTs: number;
}

/** Identity of a decoded capture. */
export interface CaptureInfo {
  readonly name: string;
  readonly venue: string;
  readonly exchangeSymbol: string;
  readonly symbol: string;
  readonly period: string;
  readonly statistics: CaptureStatistics;
}

/**
 * One decoded capture held column-wise (about 17 bytes per level row, see the
 * README), turned into `MarketEvent` objects only when replayed.
 */
export class ColumnarCapture {
  constructor(
    readonly info: CaptureInfo,
    readonly columns: CaptureColumns,
  ) {}

  /** The unified symbol of every event. */
  get symbol(): string {
    return this.info.symbol;
  }

  /** Number of events. */
  get eventCount(): number {
    return this.columns.eventTs.length;
  }

  /** Number of rows (levels + trades). */
  get rowCount(): number {
    return this.columns.rowPrice.length;
  }

  /** Bytes held by the columns. */
  get byteLength(): number {
    const c = this.columns;
    return c.eventTs.byteLength + c.eventSequence.byteLength + c.eventRowEnd.byteLength + c.eventKind.byteLength +
      c.rowPrice.byteLength + c.rowQuantity.byteLength + c.rowSide.byteLength;
  }

  /** Time of event `index`, epoch ms. */
  ts(index: number): number {
    return this.columns.eventTs[index]!;
  }

  /** `EventKind` code of event `index`. */
  kind(index: number): EventKindCode {
    return this.columns.eventKind[index]! as EventKindCode;
  }

  /** Builds the `MarketEvent` of event `index` (a new object on every call). */
  eventAt(index: number): MarketEvent {
    const c = this.columns;
    const start = index === 0 ? 0 : c.eventRowEnd[index - 1]!;
    const end = c.eventRowEnd[index]!;
    const ts = c.eventTs[index]!;
    const kind = c.eventKind[index]!;
    if (kind === EventKind.trade) {
      return {
        type: 'trade',
        symbol: this.info.symbol,
        ts,
        price: c.rowPrice[start]!,
        quantity: c.rowQuantity[start]!,
        takerSide: c.rowSide[start] === RowSide.bidOrBuy ? 'buy' : 'sell',
        tradeId: String(c.eventSequence[index]!),
      };
    }
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let row = start; row < end; row++) {
      const level: BookLevel = [c.rowPrice[row]!, c.rowQuantity[row]!];
      if (c.rowSide[row] === RowSide.bidOrBuy) bids.push(level);
      else asks.push(level);
    }
    return {
      type: kind === EventKind.bookSnapshot ? 'book-snapshot' : 'book-delta',
      symbol: this.info.symbol,
      ts,
      sequence: c.eventSequence[index]!,
      bids,
      asks,
    };
  }
}
