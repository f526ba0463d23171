import { readCsvFile } from './gzip-csv-reader.js';

/** A recorded bookTicker file, column-wise. */
export interface BookTickerColumns {
  /** Local receive time, epoch ms. */
  readonly localMs: Float64Array;
  /** Exchange time, epoch ms (`NaN` where not recorded, e.g. spot). */
  readonly ts: Float64Array;
  /** Book update id the quote reflects. */
  readonly updateId: Float64Array;
  readonly bidPrice: Float64Array;
  readonly bidQuantity: Float64Array;
  readonly askPrice: Float64Array;
  readonly askQuantity: Float64Array;
}

/**
 * Reads a `*_bookticker.csv.gz` capture (best bid/ask per book update). The replay
 * does not emit it; it is the reference the rebuilt book is checked against.
 */
export function readBookTicker(path: string): BookTickerColumns {
  const localMs: number[] = [];
  const ts: number[] = [];
  const updateId: number[] = [];
  const bidPrice: number[] = [];
  const bidQuantity: number[] = [];
  const askPrice: number[] = [];
  const askQuantity: number[] = [];
  readCsvFile(path, ['local_ts_ns', 'exch_ts_ms', 'update_id', 'bid_price', 'bid_qty', 'ask_price', 'ask_qty'], (row, columns) => {
    localMs.push(row.nanosecondsAsMs(columns.local_ts_ns!));
    ts.push(row.number(columns.exch_ts_ms!));
    updateId.push(row.number(columns.update_id!));
    bidPrice.push(row.number(columns.bid_price!));
    bidQuantity.push(row.number(columns.bid_qty!));
    askPrice.push(row.number(columns.ask_price!));
    askQuantity.push(row.number(columns.ask_qty!));
  });
  return {
    localMs: Float64Array.from(localMs),
    ts: Float64Array.from(ts),
    updateId: Float64Array.from(updateId),
    bidPrice: Float64Array.from(bidPrice),
    bidQuantity: Float64Array.from(bidQuantity),
    askPrice: Float64Array.from(askPrice),
    askQuantity: Float64Array.from(askQuantity),
  };
}
