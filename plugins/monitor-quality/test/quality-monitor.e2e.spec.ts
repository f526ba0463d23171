import { describe, expect, it } from 'vitest';
import { type FixedOrder, syntheticMarketInfo, TestBench, testStrategies } from '@tranche/testkit';
import { yieldToEventLoop, type BookSnapshotEvent, type ExecutionQualityRecord, type ExecutionReport, type MarketEvent, type MarketInfo } from '@tranche/core';
import monitorQualityPlugin, { ExecutionQualityMonitor } from '../src/index.js';
import { MemoryHistoryStore, testServices } from './test-services.js';

// A small market where every figure can be worked out by hand. Mid 100.00 at the start;
// a buy of 1: a market order of 0.6 takes 0.4 @ 100.01 and 0.2 @ 100.03 at once, and a
// limit of 0.4 @ 100.00 rests until a sell trade prints at 100.00 three seconds later,
// when the best bid is 100.00 and the mid 100.005. Fees: taker 5 bps, maker −1 bps.
const t0 = 1_700_000_000_000;
const symbol = 'BTC/USDT';
const market: MarketInfo = { ...syntheticMarketInfo(symbol), makerFeeBps: -1, takerFeeBps: 5 };
const snapshot: BookSnapshotEvent = {
  type: 'book-snapshot',
  symbol,
  ts: t0,
  sequence: 1,
  bids: [[99.99, 5]],
  asks: [
    [100.01, 0.4],
    [100.03, 5],
  ],
};
const events: MarketEvent[] = [
  { type: 'trade', symbol, ts: t0 + 1_000, price: 100.01, quantity: 2, takerSide: 'buy', tradeId: '1' },
  { type: 'book-delta', symbol, ts: t0 + 2_000, sequence: 2, bids: [[100, 1]], asks: [] },
  { type: 'trade', symbol, ts: t0 + 3_000, price: 100, quantity: 0.5, takerSide: 'sell', tradeId: '2' },
];
const orders: FixedOrder[] = [
  { type: 'market', quantity: 0.6 },
  { type: 'limit', quantity: 0.4, price: 100 },
];
const request = { id: 'q1', symbol, side: 'buy', type: 'fixed', quantity: 1 };

async function bench(history = new MemoryHistoryStore(), config: unknown = {}) {
  const created = await TestBench.create({
    plugins: [testStrategies(orders), testServices(history), monitorQualityPlugin],
    market: { snapshot, events: [] },
    markets: [market],
    config,
  });
  return { bench: created, monitor: created.tranche.get(ExecutionQualityMonitor), history };
}

/**
 * Runs the request, replaying the events one by one and letting promise reactions run
 * after each (the bench's own replay would run on past the end of a synchronous finish).
 */
async function run(testBench: TestBench): Promise<ExecutionReport> {
  const done = testBench.manager.executeOrder(request);
  while (testBench.manager.activeExecutions().length === 0) await yieldToEventLoop();
  await testBench.runLoop.settle();
  for (const event of events) {
    testBench.source.emit(event);
    await testBench.runLoop.settle();
  }
  return done;
}

function book(ts: number, bid: number, ask: number, sequence: number): BookSnapshotEvent {
  return { type: 'book-snapshot', symbol, ts, sequence, bids: [[bid, 1]], asks: [[ask, 1]] };
}

function trade(ts: number, price: number, id: string): MarketEvent {
  return { type: 'trade', symbol, ts, price, quantity: 0.1, takerSide: 'buy', tradeId: id };
}

/** The figures of this execution before its markouts, worked out by hand. */
function expectHandComputed(record: ExecutionQualityRecord): void {
  expect(record).toMatchObject({
    executionId: 'q1',
    strategy: 'fixed',
    requestedType: 'fixed',
    marketState: 'volatile',
    status: 'filled',
    startedAt: t0,
    endedAt: t0 + 3_000,
    requestedQuantity: 1,
    fillRate: 1,
    arrivalPrice: 100,
    // 0.4 of 1 filled passively.
    makerShare: 0.4,
    // Only the 2.0 traded at t0 + 1 s is in the window (the last trade ended it): 1 / 2.
    participationRate: 0.5,
    marketVolume: 2,
    timeToCompleteMs: 3_000,
    // Shorter than a minute: sized against the minute before the end, of which 3 s were
    // seen with 2.0 traded → 40 a minute; 1 / 40 = 2.5 % is medium.
    sizeBucket: 'medium',
  });
  expect(record.filledQuantity).toBeCloseTo(1, 12);
  // (0.4 × 100.01 + 0.2 × 100.03 + 0.4 × 100.00) / 1 = 100.01.
  expect(record.averagePrice).toBeCloseTo(100.01, 10);
  // (100.01 − 100) / 100 × 10⁴ = 1 bps.
  expect(record.implementationShortfallBps).toBeCloseTo(1, 7);
  // The window's VWAP is the one trade at 100.01: no slippage against it.
  expect(record.vwapSlippageBps).toBeCloseTo(0, 7);
  // 0.4 × 1 + 0.2 × 3 + 0.4 × (100 − 100.005) / 100.005 × 10⁴ = 0.4 + 0.6 − 0.199990 = 0.800010 bps.
  expect(record.spreadCostBps).toBeCloseTo(0.8000099995, 7);
  expect(record.impactCostBps).toBeCloseTo(0.1999900005, 7);
  // Fees 40.004 × 5e-4 + 20.006 × 5e-4 − 40 × 1e-4 = 0.026005 → 0.026005 / 100.01 × 10⁴ = 2.600240 bps.
  expect(record.fees).toBeCloseTo(0.026005, 10);
  expect(record.feeBps).toBeCloseTo(2.600239976, 7);
  expect(record.totalCostBps).toBeCloseTo(3.600239976, 7);
}

describe('ExecutionQualityMonitor in the engine', () => {
  it('computes the record of a small fixed fill set by hand, then its markouts as the data moves on', async () => {
    const { bench: testBench, monitor, history } = await bench();
    const finals: ExecutionQualityRecord[] = [];
    monitor.records$.subscribe((record) => finals.push(record));
    const report = await run(testBench);
    expect(report.status).toBe('filled');

    // Provisional until the markouts are known.
    expect(monitor.isFinal('q1')).toBe(false);
    expect(monitor.pendingIds()).toEqual(['q1']);
    expectHandComputed(monitor.record('q1')!);
    expect(monitor.record('q1')!.markout1mBps).toBeNull();

    // A minute after the end (t0 + 63 s) the mid is 100.11: (100.11 − 100.01) / 100.01 × 10⁴ = +9.999 bps.
    testBench.source.emit(book(t0 + 60_000, 100.1, 100.12, 3));
    testBench.source.emit(trade(t0 + 64_000, 100.11, '3'));
    expect(monitor.record('q1')!.markout1mBps).toBeCloseTo(9.999000100, 7);
    expect(monitor.isFinal('q1')).toBe(false);

    // Five minutes after (t0 + 303 s) it is 99.90: (99.90 − 100.01) / 100.01 × 10⁴ = −10.999 bps (adverse).
    testBench.source.emit(book(t0 + 300_000, 99.89, 99.91, 4));
    testBench.source.emit(trade(t0 + 304_000, 99.9, '4'));
    expect(monitor.isFinal('q1')).toBe(true);
    const record = monitor.record('q1')!;
    expectHandComputed(record);
    expect(record.markout1mBps).toBeCloseTo(9.999000100, 7);
    expect(record.markout5mBps).toBeCloseTo(-10.998900110, 7);
    expect(finals).toEqual([record]);
    expect(monitor.records()).toEqual([record]);

    await monitor.flush();
    // Opened once, by the engine (the strategy optimizer installed with a history store).
    expect(history.initializations).toBe(1);
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]!.quality).toEqual(record);
    expect(history.entries[0]!.report.id).toBe('q1');

    const [group] = monitor.aggregate();
    expect(group).toMatchObject({ strategy: 'fixed', marketState: 'volatile', sizeBucket: 'medium', count: 1, filledCount: 1 });
    expect(group!.stats.implementationShortfallBps.mean).toBeCloseTo(1, 7);
    expect(group!.stats.implementationShortfallBps.p90).toBeCloseTo(1, 7);
    const snapshot = monitor.snapshot();
    const labels = '{market_state="volatile",size_bucket="medium",strategy="fixed"}';
    expect(snapshot['quality_records_total']).toMatchObject({ kind: 'counter', value: 1 });
    expect(snapshot[`quality_executions${labels}`]).toMatchObject({ kind: 'gauge', value: 1 });
    expect((snapshot[`quality_total_cost_bps_mean${labels}`] as { value: number }).value).toBeCloseTo(3.600239976, 7);
    expect((snapshot[`quality_markout_5m_bps_p90${labels}`] as { value: number }).value).toBeCloseTo(-10.998900110, 7);
    expect(snapshot['quality_history_saves_total']).toMatchObject({ value: 1 });
    await testBench.close();
  });

  it('finalises at the end of the data with the markouts the data did not reach left null', async () => {
    const { bench: testBench, monitor, history } = await bench();
    await run(testBench);
    // A trade a minute later, but the book is then 61 s old: the mid does not count.
    testBench.source.emit(trade(t0 + 64_000, 100.11, '3'));
    expect(monitor.record('q1')!.markout1mBps).toBeNull();
    await testBench.close();
    expect(monitor.isFinal('q1')).toBe(true);
    const record = monitor.record('q1')!;
    expectHandComputed(record);
    expect(record.markout1mBps).toBeNull();
    expect(record.markout5mBps).toBeNull();
    await monitor.flush();
    expect(history.entries.map((entry) => entry.quality.executionId)).toEqual(['q1']);
  });

  it('with waitForMarkouts off, a record is final at the end of the execution', async () => {
    const { bench: testBench, monitor } = await bench(new MemoryHistoryStore(), { 'monitor-quality': { wait_for_markouts: false } });
    await run(testBench);
    expect(monitor.isFinal('q1')).toBe(true);
    expectHandComputed(monitor.records()[0]!);
    await testBench.close();
  });

  it('rejects unknown config keys', async () => {
    await expect(bench(new MemoryHistoryStore(), { 'monitor-quality': { markouts: true } })).rejects.toThrow(/markouts/);
  });

  it('logs a history save that fails and counts it', async () => {
    const failing = new MemoryHistoryStore();
    failing.save = async () => {
      throw new Error('disk full');
    };
    const { bench: testBench, monitor } = await bench(failing, { 'monitor-quality': { wait_for_markouts: false } });
    await run(testBench);
    await monitor.flush();
    expect(monitor.snapshot()['quality_history_save_errors_total']).toMatchObject({ value: 1 });
    expect(testBench.logger.records.some((line) => line.level === 'error' && line.message.includes('history save failed'))).toBe(true);
    await testBench.close();
  });
});
