import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L2Book, MarketEventSchema, TrancheError, type BookEvent, type BookSnapshotEvent, type MarketEvent } from '@tranche/core';
import { BTC_SPOT, DEPTH_HEADER, ETH_USDM, TRADES_HEADER, temporaryDir, writeCsv } from '../test/helpers.js';
import { bundledDataDir } from './bundled-data-dir.js';
import { findCaptures } from './capture-catalog.js';
import { decodeCapture } from './capture-decoder.js';
import type { ColumnarCapture } from './columnar-capture.js';
import { readBookTicker } from './book-ticker-reader.js';
import { join } from 'node:path';

function allEvents(capture: ColumnarCapture): MarketEvent[] {
  return Array.from({ length: capture.eventCount }, (_, index) => capture.eventAt(index));
}

describe('decodeCapture on the bundled captures', () => {
  const decoded = new Map<string, ColumnarCapture>();
  beforeAll(() => {
    for (const capture of findCaptures(bundledDataDir())) decoded.set(capture.name, decodeCapture(capture));
  });

  it('finds both bundled captures with their unified symbols', () => {
    expect([...decoded.keys()]).toEqual([BTC_SPOT, ETH_USDM]);
    expect(decoded.get(BTC_SPOT)!.symbol).toBe('BTC/USDT');
    expect(decoded.get(ETH_USDM)!.symbol).toBe('ETH/USDT');
  });

  it.each([BTC_SPOT, ETH_USDM])('%s: rebuilds the book with no sequence gap and no crossed book', (name) => {
    const capture = decoded.get(name)!;
    const statistics = capture.info.statistics;
    expect(statistics.gaps).toBe(0);
    expect(statistics.crossedBooks).toBe(0);
    expect(statistics.bufferedDiffs).toBeGreaterThanOrEqual(1);
    expect(statistics.snapshotLevels).toBe(2000);

    // Independent check: replay the emitted events into a fresh book.
    const book = new L2Book(capture.symbol);
    let crossed = 0;
    let previousSequence = -1;
    let previousTs = 0;
    let bookEvents = 0;
    for (const event of allEvents(capture)) {
      expect(event.ts).toBeGreaterThanOrEqual(previousTs);
      previousTs = event.ts;
      if (event.type !== 'book-snapshot' && event.type !== 'book-delta') continue;
      if (bookEvents === 0) expect(event.type).toBe('book-snapshot');
      else expect(event.type).toBe('book-delta');
      expect(event.sequence).toBeGreaterThan(previousSequence);
      previousSequence = event.sequence;
      book.apply(event);
      if (book.bestBid() >= book.bestAsk()) crossed++;
      bookEvents++;
    }
    expect(crossed).toBe(0);
    expect(bookEvents).toBe(statistics.bookEvents);
  });

  it('counts the events of each capture', () => {
    const btc = decoded.get(BTC_SPOT)!.info.statistics;
    const eth = decoded.get(ETH_USDM)!.info.statistics;
    expect([btc.bookEvents, btc.trades, btc.levelRows]).toEqual([6494, 19904, 300094]);
    expect([eth.bookEvents, eth.trades, eth.levelRows]).toEqual([6581, 14076, 430358]);
    expect(btc.snapshotTsEstimated).toBe(true);
    expect(eth.snapshotTsEstimated).toBe(false);
  });

  it('emits schema-valid events: full snapshot with bids best first, trades with string ids', () => {
    for (const capture of decoded.values()) {
      const events = allEvents(capture);
      const snapshot = events.find((event): event is BookSnapshotEvent => event.type === 'book-snapshot')!;
      expect(snapshot.bids).toHaveLength(1000);
      expect(snapshot.asks).toHaveLength(1000);
      for (let index = 1; index < 1000; index++) {
        expect(snapshot.bids[index]![0]).toBeLessThan(snapshot.bids[index - 1]![0]);
        expect(snapshot.asks[index]![0]).toBeGreaterThan(snapshot.asks[index - 1]![0]);
      }
      for (let index = 0; index < events.length; index += 41) expect(() => MarketEventSchema.parse(events[index])).not.toThrow();
      expect(MarketEventSchema.parse(snapshot)).toEqual(snapshot);
    }
    const firstTrade = decoded.get(BTC_SPOT)!.eventAt(0);
    expect(firstTrade).toEqual({
      type: 'trade',
      symbol: 'BTC/USDT',
      ts: 1723161255342,
      price: 61837.63,
      quantity: 0.02,
      takerSide: 'sell',
      tradeId: '3735683259',
    });
  });

  it('BTC/USDT: the rebuilt best bid and ask match the recorded bookTicker at >= 98% of book updates', () => {
    const capture = decoded.get(BTC_SPOT)!;
    const ticker = readBookTicker(join(bundledDataDir(), `${BTC_SPOT}_bookticker.csv.gz`));
    const book = new L2Book(capture.symbol);
    let row = 0;
    let compared = 0;
    let agreed = 0;
    for (const event of allEvents(capture)) {
      if (event.type !== 'book-snapshot' && event.type !== 'book-delta') continue;
      book.apply(event);
      // The quote in force at update id `u`: the last bookTicker row with update_id <= u.
      while (row + 1 < ticker.updateId.length && ticker.updateId[row + 1]! <= event.sequence) row++;
      if (ticker.updateId[row]! > event.sequence) continue;
      compared++;
      if (book.bestBid() === ticker.bidPrice[row] && book.bestAsk() === ticker.askPrice[row]) agreed++;
    }
    expect(compared).toBeGreaterThan(6000);
    expect(agreed / compared).toBeGreaterThanOrEqual(0.98);
  });
});

describe('decodeCapture on hand-made captures', () => {
  const temporary = temporaryDir();
  afterAll(() => temporary.cleanup());
  let counter = 0;
  const ns = (ms: number): string => `${ms}000000`;

  function decode(depth: string[], trades: string[] = [], venue = 'binance-spot'): ColumnarCapture {
    const name = `${venue}_BTCUSDT_2024010${++counter}`;
    writeCsv(temporary.dir, name, 'depth', DEPTH_HEADER, depth);
    if (trades.length > 0) writeCsv(temporary.dir, name, 'trades', TRADES_HEADER, trades);
    return decodeCapture(findCaptures(temporary.dir).find((capture) => capture.name === name)!);
  }

  it('buffers a diff that arrives before the snapshot and bridges it, and drops the one it covers', () => {
    const capture = decode(
      [
        `${ns(1000)},2000,update,90,95,,bid,100.00,1.0`, // covered by the snapshot (u 95 <= 100)
        `${ns(1100)},2100,update,96,103,,bid,99.50,2.0`, // bridges the snapshot: arrives first, applied after
        `${ns(1100)},2100,update,96,103,,ask,101.00,0`,
        `${ns(1150)},,snapshot,,100,,ask,102.00,2`,
        `${ns(1150)},,snapshot,,100,,bid,99.00,3`,
        `${ns(1150)},,snapshot,,100,,bid,100.00,1`,
        `${ns(1150)},,snapshot,,100,,ask,101.00,1`,
        `${ns(1200)},2200,update,104,110,,ask,100.50,4`,
      ],
      [`${ns(1160)},2150,7,100.00,0.5,sell,true`],
    );
    const events = allEvents(capture);
    expect(events.map((event) => [event.type, event.ts, event.type === 'trade' ? event.tradeId : (event as BookEvent).sequence])).toEqual([
      ['book-snapshot', 2100, 100],
      ['book-delta', 2100, 103],
      ['trade', 2150, '7'],
      ['book-delta', 2200, 110],
    ]);
    expect(events[0]).toMatchObject({ bids: [[100, 1], [99, 3]], asks: [[101, 1], [102, 2]] });
    expect(events[1]).toMatchObject({ bids: [[99.5, 2]], asks: [[101, 0]] });
    expect(capture.info.statistics).toMatchObject({ gaps: 0, bufferedDiffs: 1, skippedDiffs: 1, crossedBooks: 0, snapshotTsEstimated: true });
    const book = new L2Book('BTC/USDT');
    for (const event of events) if (event.type === 'book-snapshot' || event.type === 'book-delta') book.apply(event);
    expect([book.bestBid(), book.bestAsk()]).toEqual([100, 100.5]);
  });

  it('estimates a missing snapshot time from the median clock offset of nearby messages', () => {
    const capture = decode([
      `${ns(1000)},2000,update,90,95,,bid,100.00,1.0`,
      `${ns(1100)},2101,update,96,99,,bid,100.00,1.0`,
      `${ns(1150)},,snapshot,,100,,bid,100.00,1`,
      `${ns(1150)},,snapshot,,100,,ask,101.00,1`,
      `${ns(1400)},2399,update,101,110,,ask,100.50,4`,
      `${ns(1500)},2500,update,111,112,,ask,100.50,3`,
    ]);
    // Offsets 1000, 1001, 999, 1000 → median 1000 → 1150 + 1000.
    expect(capture.eventAt(0)).toMatchObject({ type: 'book-snapshot', ts: 2150 });
  });

  it('counts a spot gap (U != previous u + 1) and keeps going', () => {
    const capture = decode([
      `${ns(1150)},,snapshot,,100,,bid,100.00,1`,
      `${ns(1150)},,snapshot,,100,,ask,101.00,1`,
      `${ns(1200)},2200,update,101,110,,ask,100.50,4`,
      `${ns(1300)},2300,update,112,120,,ask,100.60,4`,
    ]);
    expect(capture.info.statistics.gaps).toBe(1);
    expect(capture.info.statistics.gapDetails[0]).toEqual({ afterSequence: 110, firstUpdateId: 112, ts: 2300 });
    expect(capture.eventCount).toBe(3);
  });

  it('checks futures continuity with pu == previous u', () => {
    const clean = decode(
      [
        `${ns(1100)},2100,update,50,100,40,bid,99.00,1`,
        `${ns(1150)},2150,snapshot,,100,,bid,100.00,1`,
        `${ns(1150)},2150,snapshot,,100,,ask,101.00,1`,
        `${ns(1200)},2200,update,141,150,100,ask,100.50,4`, // U far above lastUpdateId, but pu links it
        `${ns(1300)},2300,update,170,180,150,ask,100.60,4`,
      ],
      [],
      'binance-usdm',
    );
    expect(clean.info.statistics).toMatchObject({ gaps: 0, snapshotTsEstimated: false, snapshotTs: 2150 });
    const broken = decode(
      [
        `${ns(1150)},2150,snapshot,,100,,bid,100.00,1`,
        `${ns(1150)},2150,snapshot,,100,,ask,101.00,1`,
        `${ns(1200)},2200,update,101,150,100,ask,100.50,4`,
        `${ns(1300)},2300,update,170,180,160,ask,100.60,4`,
      ],
      [],
      'binance-usdm',
    );
    expect(broken.info.statistics.gaps).toBe(1);
  });

  it('counts crossed books', () => {
    const capture = decode([
      `${ns(1150)},,snapshot,,100,,bid,100.00,1`,
      `${ns(1150)},,snapshot,,100,,ask,101.00,1`,
      `${ns(1200)},2200,update,101,110,,bid,101.50,4`,
    ]);
    expect(capture.info.statistics.crossedBooks).toBe(1);
  });

  it('rejects a capture without a snapshot and a row with a bad number', () => {
    expect(() => decode([`${ns(1200)},2200,update,101,110,,bid,101.50,4`])).toThrow(TrancheError);
    expect(() => decode([`${ns(1150)},,snapshot,,100,,bid,abc,1`])).toThrow(/price must be a number, got "abc"/);
  });
});
