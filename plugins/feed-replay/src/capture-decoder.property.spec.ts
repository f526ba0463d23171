import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { L2Book } from '@tranche/core';
import { DEPTH_HEADER, temporaryDir, writeCsv } from '../test/helpers.js';
import { findCaptures } from './capture-catalog.js';
import { decodeCapture } from './capture-decoder.js';

type Change = { side: 'bid' | 'ask'; price: number; quantity: number };

/** A level change on non-overlapping price grids (bids <= 100, asks >= 100.5), so books never cross. */
const change: fc.Arbitrary<Change> = fc.record({
  side: fc.constantFrom('bid' as const, 'ask' as const),
  step: fc.integer({ min: 0, max: 12 }),
  quantity: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }).map((units) => units / 10)),
}).map(({ side, step, quantity }) => ({ side, price: side === 'bid' ? 100 - step * 0.5 : 100.5 + step * 0.5, quantity }));

describe('decodeCapture (property)', () => {
  const temporary = temporaryDir();
  afterAll(() => temporary.cleanup());
  let counter = 0;

  it('rebuilds the true book whatever the snapshot id and however late the snapshot line arrives', () => {
    const scenario = fc
      .record({
        // Two anchor levels outside the changes' price grids keep the snapshot non-empty, as a real one is.
        initial: fc.array(change, { minLength: 4, maxLength: 12 }).map((changes): Change[] => [
          { side: 'bid', price: 90, quantity: 1 },
          { side: 'ask', price: 110, quantity: 1 },
          ...changes,
        ]),
        messages: fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 3, maxLength: 12 }),
        idLengths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }),
      })
      .chain((base) =>
        fc.record({
          base: fc.constant(base),
          // The snapshot reflects every message before `covered` and the first `partial` changes of message `covered`.
          covered: fc.integer({ min: 0, max: base.messages.length - 1 }),
          partial: fc.integer({ min: 0, max: 3 }),
          // The snapshot line arrives after `late` further messages (0-2), which must be buffered.
          late: fc.integer({ min: 0, max: 2 }),
        }),
      );
    fc.assert(
      fc.property(scenario, ({ base, covered, partial, late }) => {
        const { initial, messages, idLengths } = base;
        // Update ids: message i covers [first[i], last[i]], contiguous from 1001.
        const first: number[] = [];
        const last: number[] = [];
        let next = 1001;
        messages.forEach((_, index) => {
          first.push(next);
          next += idLengths[index]!;
          last.push(next - 1);
        });
        const partialChanges = Math.min(partial, messages[covered]!.length - 1, idLengths[covered]! - 1);
        const snapshotId = partialChanges > 0 ? first[covered]! + partialChanges - 1 : first[covered]! - 1;

        const truth = { bid: new Map<number, number>(), ask: new Map<number, number>() };
        const apply = (changes: readonly Change[]) => {
          for (const { side, price, quantity } of changes) {
            if (quantity === 0) truth[side].delete(price);
            else truth[side].set(price, quantity);
          }
        };
        apply(initial);
        messages.slice(0, covered).forEach(apply);
        apply(messages[covered]!.slice(0, partialChanges));
        const snapshotRows = [...truth.bid].map(([price, quantity]) => ({ side: 'bid', price, quantity })).concat(
          [...truth.ask].map(([price, quantity]) => ({ side: 'ask', price, quantity })),
        );
        messages.slice(covered).forEach((changes) => apply(changes));
        // `truth` is now the book after every message (message `covered` re-applied in full).

        const ns = (ms: number) => `${ms}000000`;
        const rows: string[] = [];
        const arrival = Math.min(messages.length, covered + late);
        messages.forEach((changes, index) => {
          if (index === arrival) for (const row of snapshotRows) rows.push(`${ns(1000 + index * 100 - 50)},,snapshot,,${snapshotId},,${row.side},${row.price},${row.quantity}`);
          for (const { side, price, quantity } of changes) rows.push(`${ns(1000 + index * 100)},${2000 + index * 100},update,${first[index]},${last[index]},,${side},${price},${quantity}`);
        });
        if (arrival === messages.length) for (const row of snapshotRows) rows.push(`${ns(1000 + arrival * 100)},,snapshot,,${snapshotId},,${row.side},${row.price},${row.quantity}`);

        const name = `binance-spot_BTCUSDT_p${++counter}`;
        writeCsv(temporary.dir, name, 'depth', DEPTH_HEADER, rows);
        const capture = decodeCapture(findCaptures(temporary.dir).find((candidate) => candidate.name === name)!);
        expect(capture.info.statistics.gaps).toBe(0);
        expect(capture.info.statistics.crossedBooks).toBe(0);

        const book = new L2Book('BTC/USDT');
        const sequences: number[] = [];
        for (let index = 0; index < capture.eventCount; index++) {
          const event = capture.eventAt(index);
          if (event.type !== 'book-snapshot' && event.type !== 'book-delta') continue;
          book.apply(event);
          sequences.push(event.sequence);
        }
        expect(sequences).toEqual([snapshotId, ...last.slice(covered)]);
        expect(book.top('bids', 100)).toEqual([...truth.bid].sort((a, b) => b[0] - a[0]));
        expect(book.top('asks', 100)).toEqual([...truth.ask].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 60 },
    );
  });
});
