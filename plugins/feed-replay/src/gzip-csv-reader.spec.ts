import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { temporaryDir, writeCsv } from '../test/helpers.js';
import { readCsvFile } from './gzip-csv-reader.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('readCsvFile', () => {
  const temporary = temporaryDir();
  afterAll(() => temporary.cleanup());
  let counter = 0;

  function parse(header: string, rows: string[]): Array<Record<string, unknown>> {
    const name = `binance-spot_BTCUSDT_2024${++counter}`;
    const path = writeCsv(temporary.dir, name, 'trades', header, rows);
    const out: Array<Record<string, unknown>> = [];
    readCsvFile(path, [], (row, columns) => {
      const record: Record<string, unknown> = {};
      for (const [column, index] of Object.entries(columns)) record[column] = row.isEmpty(index) ? null : row.text(index);
      record.$number = row.number(0);
      out.push(record);
    });
    return out;
  }

  it('reads fields by header name, empty fields, missing trailing fields and CRLF line ends', () => {
    expect(parse('a,b,c', ['1.5,x,', '2,,z\r', '3', ''])).toEqual([
      { a: '1.5', b: 'x', c: null, $number: 1.5 },
      { a: '2', b: null, c: 'z', $number: 2 },
      { a: '3', b: null, c: null, $number: 3 },
    ]);
  });

  it('reads plain (not gzipped) files and rejects a missing required column', () => {
    const path = join(temporary.dir, 'plain.csv');
    writeFileSync(path, 'x,y\n1,2\n');
    const values: number[] = [];
    expect(readCsvFile(path, ['x', 'y'], (row, columns) => values.push(row.number(columns.y!)))).toBe(1);
    expect(values).toEqual([2]);
    expect(() => readCsvFile(path, ['z'], () => undefined)).toThrow(/has no "z" column/);
  });

  it('parses decimals exactly like Number() (property)', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{0,12}$/)))
      .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 20 }), (texts) => {
        const parsed = parse('v', texts).map((record) => record.$number);
        expect(parsed).toEqual(texts.map((text) => Number(text)));
      }),
      { numRuns: 50 },
    );
  });

  it('falls back to Number() for exponents and rejects garbage as NaN', () => {
    expect(parse('v', ['1e3', '12345678901234567890.5', 'abc', '1.2.3']).map((record) => record.$number)).toEqual([1000, Number('12345678901234567890.5'), Number.NaN, Number.NaN]);
  });

  it('turns 19-digit nanosecond stamps into epoch ms with a fraction', () => {
    const path = writeCsv(temporary.dir, 'ns', 'trades', 'local_ts_ns', ['1723161254087896568', '5']);
    const values: number[] = [];
    readCsvFile(path, [], (row) => values.push(row.nanosecondsAsMs(0)));
    expect(values[0]).toBeCloseTo(Number('1723161254087.896568'), 3);
    expect(values[1]).toBe(5e-6);
  });
});
