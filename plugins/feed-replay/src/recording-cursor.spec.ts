import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColumnarCapture, EventKind, RowSide, type CaptureStatistics } from './columnar-capture.js';
import { Recording } from './recording.js';

/** A capture of trades only, at the given times, whose trade ids are `capture * 1000 + index`. */
function tradesAt(symbol: string, captureIndex: number, times: readonly number[]): ColumnarCapture {
  const count = times.length;
  const statistics = { trades: count } as unknown as CaptureStatistics;
  return new ColumnarCapture(
    { name: symbol, venue: 'test', exchangeSymbol: symbol, symbol, period: 'p', statistics },
    {
      eventTs: Float64Array.from(times),
      eventSequence: Float64Array.from(times, (_, index) => captureIndex * 1000 + index),
      eventRowEnd: Uint32Array.from(times, (_, index) => index + 1),
      eventKind: new Uint8Array(count).fill(EventKind.trade),
      rowPrice: new Float64Array(count).fill(100),
      rowQuantity: new Float64Array(count).fill(1),
      rowSide: new Uint8Array(count).fill(RowSide.askOrSell),
    },
  );
}

describe('RecordingCursor', () => {
  it('merges captures by time, ties going to the capture listed first, each capture in its own order (property)', () => {
    const sortedTimes = fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 40 }).map((times) => times.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(sortedTimes, { minLength: 1, maxLength: 4 }), (perCapture) => {
        const recording = new Recording(perCapture.map((times, index) => tradesAt(`S${index}/USDT`, index, times)));
        const merged = [...recording.events()].map((event) => ({ ts: event.ts, id: Number((event as { tradeId: string }).tradeId) }));
        expect(merged).toHaveLength(perCapture.reduce((sum, times) => sum + times.length, 0));
        for (let index = 1; index < merged.length; index++) {
          const [previous, current] = [merged[index - 1]!, merged[index]!];
          expect(current.ts).toBeGreaterThanOrEqual(previous.ts);
          if (current.ts === previous.ts) expect(Math.floor(current.id / 1000)).toBeGreaterThanOrEqual(Math.floor(previous.id / 1000));
        }
        perCapture.forEach((times, capture) => {
          const ids = merged.filter((event) => Math.floor(event.id / 1000) === capture).map((event) => event.id % 1000);
          expect(ids).toEqual(times.map((_, index) => index));
        });
      }),
      { numRuns: 100 },
    );
  });

  it('peeks, skips and reports its position', () => {
    const cursor = new Recording([tradesAt('A/USDT', 0, [1, 5]), tradesAt('B/USDT', 1, [3])]).cursor();
    expect([cursor.peekTs(), cursor.peekKind(), cursor.position]).toEqual([1, EventKind.trade, 0]);
    cursor.discard();
    expect(cursor.next()).toMatchObject({ symbol: 'B/USDT', ts: 3, takerSide: 'sell', tradeId: '1000' });
    expect(cursor.next()).toMatchObject({ symbol: 'A/USDT', ts: 5 });
    expect([cursor.done, cursor.peekTs(), cursor.peekKind(), cursor.next(), cursor.position]).toEqual([true, Number.POSITIVE_INFINITY, -1, undefined, 3]);
  });
});
