import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { TrancheError } from '@tranche/core';
import { replayLoadStatistics } from './load-statistics.js';

const COMMA = 44;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** Exact powers of ten (all representable up to 1e22). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/**
 * The current row of a `readCsvFile` pass. Fields are read straight from the file's
 * bytes, so a 400k-row file parses without creating a string per field.
 */
export class CsvRow {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  /** @internal */
  constructor(
    private readonly bytes: Buffer,
    width: number,
  ) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
  }

  /** True when the field is empty. */
  isEmpty(column: number): boolean {
    return this.ends[column]! <= this.starts[column]!;
  }

  /** The field as a string. */
  text(column: number): string {
    return this.bytes.toString('latin1', this.starts[column]!, this.ends[column]!);
  }

  /** Character code of the field's first byte (-1 when empty). */
  firstByte(column: number): number {
    return this.isEmpty(column) ? -1 : this.bytes[this.starts[column]!]!;
  }

  /** True when the field's bytes equal `expected` (ASCII). */
  equals(column: number, expected: string): boolean {
    const start = this.starts[column]!;
    if (this.ends[column]! - start !== expected.length) return false;
    for (let index = 0; index < expected.length; index++) if (this.bytes[start + index] !== expected.charCodeAt(index)) return false;
    return true;
  }

  /**
   * The field as a number (`NaN` when empty or not a number). Plain decimals are
   * parsed from the bytes (mantissa / 10^digits, which rounds exactly like `Number()`);
   * anything else goes through `Number()`.
   */
  number(column: number): number {
    const start = this.starts[column]!;
    const end = this.ends[column]!;
    if (end <= start) return Number.NaN;
    const bytes = this.bytes;
    let index = start;
    const negative = bytes[index] === MINUS;
    if (negative) index++;
    let mantissa = 0;
    let fractionDigits = -1;
    let digits = 0;
    for (; index < end; index++) {
      const byte = bytes[index]!;
      if (byte >= ZERO && byte <= NINE) {
        mantissa = mantissa * 10 + (byte - ZERO);
        digits++;
        if (fractionDigits >= 0) fractionDigits++;
      } else if (byte === DOT && fractionDigits < 0) {
        fractionDigits = 0;
      } else {
        return Number(this.text(column));
      }
    }
    if (digits === 0 || mantissa > Number.MAX_SAFE_INTEGER || fractionDigits > 22) return Number(this.text(column));
    const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits]! : mantissa;
    return negative ? -value : value;
  }

  /**
   * A nanosecond timestamp (19 digits, beyond a double's exact range) as epoch ms
   * with a fraction; `NaN` when empty.
   */
  nanosecondsAsMs(column: number): number {
    const start = this.starts[column]!;
    const end = this.ends[column]!;
    if (end - start <= 6) return this.number(column) / 1e6;
    let milliseconds = 0;
    let fraction = 0;
    for (let index = start; index < end; index++) {
      const byte = this.bytes[index]!;
      if (byte < ZERO || byte > NINE) return Number(this.text(column)) / 1e6;
      if (index < end - 6) milliseconds = milliseconds * 10 + (byte - ZERO);
      else fraction = fraction * 10 + (byte - ZERO);
    }
    return milliseconds + fraction / 1e6;
  }

  /** @internal */
  set(column: number, start: number, end: number): void {
    this.starts[column] = start;
    this.ends[column] = end;
  }
}

/** The columns of a CSV header, by name. */
export type CsvColumns = Readonly<Record<string, number>>;

/**
 * Reads a CSV file (gunzipped when the name ends in `.gz`) with a header line and calls
 * `onRow` for every data row. `required` columns must be in the header; `onRow`
 * receives the header's column indexes so files may order columns freely. The row
 * object is reused between calls. Returns the number of data rows.
 */
export function readCsvFile(path: string, required: readonly string[], onRow: (row: CsvRow, columns: CsvColumns) => void): number {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
    if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
  } catch (error) {
    throw new TrancheError('validation', `cannot read market data file ${path}: ${(error as Error).message}`, { cause: error, retryable: false });
  }
  let headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) headerEnd = bytes.length;
  const header = bytes.toString('latin1', 0, headerEnd).replace(/\r$/, '').split(',').map((name) => name.trim());
  const columns: Record<string, number> = {};
  header.forEach((name, index) => (columns[name] = index));
  for (const name of required) {
    if (columns[name] === undefined) {
      throw new TrancheError('validation', `market data file ${path} has no "${name}" column (header: ${header.join(',')})`, { retryable: false });
    }
  }
  const width = header.length;
  const row = new CsvRow(bytes, width);
  const length = bytes.length;
  let rows = 0;
  let position = headerEnd + 1;
  while (position < length) {
    let column = 0;
    let fieldStart = position;
    let index = position;
    for (; index < length; index++) {
      const byte = bytes[index]!;
      if (byte === COMMA) {
        if (column < width) row.set(column, fieldStart, index);
        column++;
        fieldStart = index + 1;
      } else if (byte === NEWLINE) {
        break;
      }
    }
    let lineEnd = index;
    if (lineEnd > fieldStart && bytes[lineEnd - 1] === CARRIAGE_RETURN) lineEnd--;
    if (lineEnd > position) {
      if (column < width) row.set(column, fieldStart, lineEnd);
      for (let missing = column + 1; missing < width; missing++) row.set(missing, lineEnd, lineEnd);
      onRow(row, columns);
      rows++;
    }
    position = index + 1;
  }
  replayLoadStatistics.csvFilesParsed++;
  replayLoadStatistics.csvRowsParsed += rows;
  return rows;
}
