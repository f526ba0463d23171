import { L2Book, TrancheError, type BookSide } from '@tranche/core';
import type { CaptureFiles } from './capture-catalog.js';
import { EventKind, RowSide, type CaptureColumns, type CaptureStatistics, type SequenceGap } from './columnar-capture.js';
import { ColumnarCapture } from './columnar-capture.js';
import { readCsvFile, type CsvRow } from './gzip-csv-reader.js';

const DEPTH_COLUMNS = ['local_ts_ns', 'exch_ts_ms', 'kind', 'first_update_id', 'last_update_id', 'prev_last_update_id', 'side', 'price', 'qty'];
const TRADE_COLUMNS = ['local_ts_ns', 'exch_ts_ms', 'trade_id', 'price', 'qty', 'taker_side'];
/** Depth messages on each side of the snapshot whose clock offset estimates its exchange time. */
const OFFSET_NEIGHBOURS = 16;
const MAX_GAP_DETAILS = 100;

/** The depth file parsed into messages (rows of one message share local time and last update id). */
interface DepthMessages {
  localMs: number[];
  exchTs: number[];
  snapshot: boolean[];
  firstId: number[];
  lastId: number[];
  prevId: number[];
  rowStart: number[];
  rowEnd: number[];
  price: number[];
  quantity: number[];
  side: number[];
}

/**
 * Decodes one capture: rebuilds the book from the depth file (snapshot, then the diffs
 * with `u > lastUpdateId` in order of arrival, including the bridging diffs that arrive
 * before the snapshot line; continuity checked as `U == prev u + 1` on spot and
 * `pu == prev u` on futures), merges the trades in, and orders everything by exchange
 * time (stable). Gaps and crossed books are counted in the statistics, not thrown.
 */
export function decodeCapture(capture: CaptureFiles): ColumnarCapture {
  const depth = readDepth(capture.depth);
  const snapshotIndex = depth.snapshot.indexOf(true);
  if (snapshotIndex < 0) {
    throw new TrancheError('validation', `capture ${capture.name} has no depth snapshot: the book cannot be rebuilt`, { retryable: false });
  }
  const snapshotId = depth.lastId[snapshotIndex]!;
  let extraSnapshots = 0;

  // Candidate diffs in order of arrival: the ones that arrived before the snapshot line
  // but end after it (bridging diffs), then everything after the line.
  const candidates: number[] = [];
  let skippedDiffs = 0;
  let bufferedDiffs = 0;
  let lastSkippedTs = Number.NEGATIVE_INFINITY;
  for (let message = 0; message < depth.snapshot.length; message++) {
    if (message === snapshotIndex) continue;
    if (depth.snapshot[message]) {
      extraSnapshots++;
      continue;
    }
    if (depth.lastId[message]! <= snapshotId) {
      skippedDiffs++;
      if (message < snapshotIndex && Number.isFinite(depth.exchTs[message]!)) lastSkippedTs = Math.max(lastSkippedTs, depth.exchTs[message]!);
      continue;
    }
    if (message < snapshotIndex) bufferedDiffs++;
    candidates.push(message);
  }

  const futures = depth.prevId.some((id) => Number.isFinite(id));
  const book = new L2Book(capture.symbol);
  const snapshotRows = sortedSnapshotRows(depth, snapshotIndex);
  for (const row of snapshotRows) book.set(bookSideOf(depth.side[row]!), depth.price[row]!, depth.quantity[row]!);

  const applied: number[] = [];
  const gapDetails: SequenceGap[] = [];
  let gaps = 0;
  let crossedBooks = 0;
  let previousId = snapshotId;
  for (const message of candidates) {
    const firstId = depth.firstId[message]!;
    const lastId = depth.lastId[message]!;
    if (lastId <= previousId) {
      skippedDiffs++;
      continue;
    }
    const first = applied.length === 0;
    const continuous = futures
      ? depth.prevId[message] === previousId || (first && firstId <= previousId + 1)
      : first
        ? firstId <= previousId + 1
        : firstId === previousId + 1;
    if (!continuous) {
      gaps++;
      if (gapDetails.length < MAX_GAP_DETAILS) gapDetails.push({ afterSequence: previousId, firstUpdateId: firstId, ts: depth.exchTs[message]! });
    }
    for (let row = depth.rowStart[message]!; row < depth.rowEnd[message]!; row++) {
      book.set(bookSideOf(depth.side[row]!), depth.price[row]!, depth.quantity[row]!);
    }
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid >= ask) crossedBooks++;
    previousId = lastId;
    applied.push(message);
  }

  // The snapshot's exchange time: recorded (futures) or estimated (spot), and never
  // after the first diff applied on top of it nor before the last diff it covers.
  let snapshotTs = depth.exchTs[snapshotIndex]!;
  const snapshotTsEstimated = !Number.isFinite(snapshotTs);
  if (snapshotTsEstimated) snapshotTs = estimateExchangeTime(depth, snapshotIndex);
  if (applied.length > 0) snapshotTs = Math.min(snapshotTs, depth.exchTs[applied[0]!]!);
  snapshotTs = Math.max(snapshotTs, lastSkippedTs);
  snapshotTs = Math.round(snapshotTs);

  // Book events in application order, with times made non-decreasing so that sorting
  // by time can never reorder a symbol's book sequence.
  const bookMessages = [snapshotIndex, ...applied];
  const bookTs: number[] = [snapshotTs];
  for (const message of applied) bookTs.push(Math.max(bookTs[bookTs.length - 1]!, depth.exchTs[message]!));
  const bookLocal = bookMessages.map((message) => depth.localMs[message]!);

  const trades = capture.trades ? readTrades(capture.trades) : emptyTrades();
  const tradeOrder = stableOrderByTime(trades.ts, trades.localMs);

  let levelRows = snapshotRows.length;
  for (const message of applied) levelRows += depth.rowEnd[message]! - depth.rowStart[message]!;
  const eventCount = bookMessages.length + trades.ts.length;
  const rowCount = levelRows + trades.ts.length;
  const columns: CaptureColumns = {
    eventTs: new Float64Array(eventCount),
    eventSequence: new Float64Array(eventCount),
    eventRowEnd: new Uint32Array(eventCount),
    eventKind: new Uint8Array(eventCount),
    rowPrice: new Float64Array(rowCount),
    rowQuantity: new Float64Array(rowCount),
    rowSide: new Uint8Array(rowCount),
  };
  let event = 0;
  let row = 0;
  let bookCursor = 0;
  let tradeCursor = 0;
  const writeRow = (price: number, quantity: number, side: number): void => {
    columns.rowPrice[row] = price;
    columns.rowQuantity[row] = quantity;
    columns.rowSide[row] = side;
    row++;
  };
  while (bookCursor < bookMessages.length || tradeCursor < tradeOrder.length) {
    const trade = tradeOrder[tradeCursor];
    const takeBook =
      trade === undefined ||
      (bookCursor < bookMessages.length &&
        (bookTs[bookCursor]! < trades.ts[trade]! || (bookTs[bookCursor] === trades.ts[trade] && bookLocal[bookCursor]! <= trades.localMs[trade]!)));
    if (takeBook) {
      const message = bookMessages[bookCursor]!;
      const snapshot = bookCursor === 0;
      columns.eventTs[event] = bookTs[bookCursor]!;
      columns.eventSequence[event] = depth.lastId[message]!;
      columns.eventKind[event] = snapshot ? EventKind.bookSnapshot : EventKind.bookDelta;
      if (snapshot) for (const source of snapshotRows) writeRow(depth.price[source]!, depth.quantity[source]!, depth.side[source]!);
      else for (let source = depth.rowStart[message]!; source < depth.rowEnd[message]!; source++) writeRow(depth.price[source]!, depth.quantity[source]!, depth.side[source]!);
      bookCursor++;
    } else {
      columns.eventTs[event] = trades.ts[trade]!;
      columns.eventSequence[event] = trades.id[trade]!;
      columns.eventKind[event] = EventKind.trade;
      writeRow(trades.price[trade]!, trades.quantity[trade]!, trades.side[trade]!);
      tradeCursor++;
    }
    columns.eventRowEnd[event] = row;
    event++;
  }

  const statistics: CaptureStatistics = {
    levelRows,
    trades: trades.ts.length,
    bookEvents: bookMessages.length,
    snapshotLevels: snapshotRows.length,
    skippedDiffs,
    bufferedDiffs,
    gaps,
    gapDetails,
    crossedBooks,
    extraSnapshots,
    snapshotTsEstimated,
    snapshotTs,
    firstTs: eventCount > 0 ? columns.eventTs[0]! : snapshotTs,
    lastTs: eventCount > 0 ? columns.eventTs[eventCount - 1]! : snapshotTs,
  };
  return new ColumnarCapture(
    { name: capture.name, venue: capture.venue, exchangeSymbol: capture.exchangeSymbol, symbol: capture.symbol, period: capture.period, statistics },
    columns,
  );
}

function readDepth(path: string): DepthMessages {
  const depth: DepthMessages = {
    localMs: [], exchTs: [], snapshot: [], firstId: [], lastId: [], prevId: [], rowStart: [], rowEnd: [], price: [], quantity: [], side: [],
  };
  let currentLocal = Number.NaN;
  let currentLast = Number.NaN;
  let currentSnapshot = false;
  readCsvFile(path, DEPTH_COLUMNS, (row, columns) => {
    const local = row.nanosecondsAsMs(columns.local_ts_ns!);
    const last = row.number(columns.last_update_id!);
    const snapshot = row.equals(columns.kind!, 'snapshot');
    // Rows of one message share the local receive time and the last update id.
    if (local !== currentLocal || last !== currentLast || snapshot !== currentSnapshot) {
      if (!snapshot && !row.equals(columns.kind!, 'update')) {
        throw new TrancheError('validation', `depth file ${path}: unknown kind "${row.text(columns.kind!)}" (expected snapshot or update)`, { retryable: false });
      }
      if (!Number.isFinite(last)) throw invalidNumber(path, 'last_update_id', row.text(columns.last_update_id!));
      if (depth.rowStart.length > 0) depth.rowEnd.push(depth.price.length);
      currentLocal = local;
      currentLast = last;
      currentSnapshot = snapshot;
      depth.localMs.push(local);
      depth.exchTs.push(row.number(columns.exch_ts_ms!));
      depth.snapshot.push(snapshot);
      depth.firstId.push(row.number(columns.first_update_id!));
      depth.lastId.push(last);
      depth.prevId.push(row.number(columns.prev_last_update_id!));
      depth.rowStart.push(depth.price.length);
    }
    depth.side.push(sideCode(row, columns.side!, 'bid', 'ask', path));
    depth.price.push(requiredNumber(row, columns.price!, path, 'price'));
    depth.quantity.push(requiredNumber(row, columns.qty!, path, 'qty'));
  });
  if (depth.rowStart.length > depth.rowEnd.length) depth.rowEnd.push(depth.price.length);
  return depth;
}

interface Trades {
  localMs: number[];
  ts: number[];
  id: number[];
  price: number[];
  quantity: number[];
  side: number[];
}

function emptyTrades(): Trades {
  return { localMs: [], ts: [], id: [], price: [], quantity: [], side: [] };
}

function readTrades(path: string): Trades {
  const trades = emptyTrades();
  readCsvFile(path, TRADE_COLUMNS, (row, columns) => {
    const quantity = requiredNumber(row, columns.qty!, path, 'qty');
    if (!(quantity > 0)) return;
    const id = requiredNumber(row, columns.trade_id!, path, 'trade_id');
    if (!Number.isSafeInteger(id)) throw invalidNumber(path, 'trade_id', row.text(columns.trade_id!));
    trades.localMs.push(row.nanosecondsAsMs(columns.local_ts_ns!));
    trades.ts.push(requiredNumber(row, columns.exch_ts_ms!, path, 'exch_ts_ms'));
    trades.id.push(id);
    trades.price.push(requiredNumber(row, columns.price!, path, 'price'));
    trades.quantity.push(quantity);
    trades.side.push(sideCode(row, columns.taker_side!, 'buy', 'sell', path));
  });
  return trades;
}

/** Levels of the snapshot, bids best (highest) first then asks best (lowest) first, empty levels dropped. */
function sortedSnapshotRows(depth: DepthMessages, message: number): number[] {
  const bids: number[] = [];
  const asks: number[] = [];
  for (let row = depth.rowStart[message]!; row < depth.rowEnd[message]!; row++) {
    if (!(depth.quantity[row]! > 0)) continue;
    (depth.side[row] === RowSide.bidOrBuy ? bids : asks).push(row);
  }
  bids.sort((a, b) => depth.price[b]! - depth.price[a]! || a - b);
  asks.sort((a, b) => depth.price[a]! - depth.price[b]! || a - b);
  return dedupeLevels(depth, bids).concat(dedupeLevels(depth, asks));
}

/** Keeps the last row of each price (a level listed twice takes its later quantity). */
function dedupeLevels(depth: DepthMessages, rows: number[]): number[] {
  const result: number[] = [];
  for (const row of rows) {
    if (result.length > 0 && depth.price[result[result.length - 1]!] === depth.price[row]) result[result.length - 1] = row;
    else result.push(row);
  }
  return result;
}

/**
 * Local receive time of a message plus the median exchange-minus-local offset of the
 * depth messages around it: the collector's clock differs from the exchange's by a
 * roughly constant amount (about 1.2 s in the bundled captures).
 */
function estimateExchangeTime(depth: DepthMessages, message: number): number {
  const offsets: number[] = [];
  for (let distance = 1; distance < depth.localMs.length && offsets.length < 2 * OFFSET_NEIGHBOURS; distance++) {
    for (const neighbour of [message - distance, message + distance]) {
      if (neighbour < 0 || neighbour >= depth.localMs.length) continue;
      const exchTs = depth.exchTs[neighbour]!;
      if (Number.isFinite(exchTs)) offsets.push(exchTs - depth.localMs[neighbour]!);
    }
    if (message - distance < 0 && message + distance >= depth.localMs.length) break;
  }
  if (offsets.length === 0) return depth.localMs[message]!;
  offsets.sort((a, b) => a - b);
  const middle = offsets.length >> 1;
  const median = offsets.length % 2 === 1 ? offsets[middle]! : (offsets[middle - 1]! + offsets[middle]!) / 2;
  return depth.localMs[message]! + median;
}

/** Indexes of the rows sorted by (time, local time), stable. */
function stableOrderByTime(ts: readonly number[], localMs: readonly number[]): number[] {
  const order = ts.map((_, index) => index);
  let sorted = true;
  for (let index = 1; index < ts.length && sorted; index++) if (ts[index]! < ts[index - 1]!) sorted = false;
  if (!sorted) order.sort((a, b) => ts[a]! - ts[b]! || localMs[a]! - localMs[b]! || a - b);
  return order;
}

function requiredNumber(row: CsvRow, column: number, path: string, name: string): number {
  const value = row.number(column);
  if (!Number.isFinite(value)) throw invalidNumber(path, name, row.text(column));
  return value;
}

function invalidNumber(path: string, name: string, text: string): TrancheError {
  return new TrancheError('validation', `market data file ${path}: ${name} must be a number, got ${JSON.stringify(text)}`, { retryable: false });
}

/** `RowSide` code of a side field (`bid`/`ask` or `buy`/`sell`). */
function sideCode(row: CsvRow, column: number, first: string, second: string, path: string): number {
  if (row.equals(column, first)) return RowSide.bidOrBuy;
  if (row.equals(column, second)) return RowSide.askOrSell;
  throw new TrancheError('validation', `market data file ${path}: unknown side "${row.text(column)}" (expected ${first} or ${second})`, { retryable: false });
}

function bookSideOf(code: number): BookSide {
  return code === RowSide.bidOrBuy ? 'bids' : 'asks';
}
