import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Command } from 'commander';
import { registerServeCommand } from '../src/serve/serve-command.js';
import { captureIo } from './capture-io.js';
import { VirtualClock, TrancheError, type MarketEvent } from '@tranche/core';
import { BusMarkets, MAX_BUS_MARKETS } from '../src/serve/bus-feed-markets.js';
import { BusFeedStats } from '../src/serve/bus-feed-stats.js';
import { parseServeNatsUrl, refuseVenueFlagsWithNats } from '../src/serve/bus-feed-serve.js';
import { CancelControlSchema, ControlAckSchema, KillControlSchema, cancelControlSubject, controlAckSubject } from '../src/cluster/cluster-control.schema.js';
import { clusterJobOf } from '../src/cluster/cluster-job-request.js';

const snapshot = (ts: number, bid: number, ask: number): MarketEvent => ({ type: 'book-snapshot', symbol: 'BTC/USDT', ts, sequence: ts, bids: [[bid, 1], [bid - 1, 2]], asks: [[ask, 1], [ask + 1, 2]] }) as MarketEvent;
const delta = (ts: number, bids: [number, number][], asks: [number, number][]): MarketEvent => ({ type: 'book-delta', symbol: 'BTC/USDT', ts, sequence: ts, bids, asks }) as MarketEvent;

describe('BusMarkets: the markets of the bus', () => {
  it('keeps the L2 book from snapshots and deltas; deltas before the first snapshot are ignored', () => {
    const markets = new BusMarkets();
    expect(markets.applyMarketEvent(delta(1_000, [[99, 1]], []))).toBeUndefined();
    expect(markets.applyMarketEvent(snapshot(2_000, 100, 101))?.market).toMatchObject({ bid: 100, ask: 101, mid: 100.5 });
    // The best bid leaves, a better ask arrives.
    const update = markets.applyMarketEvent(delta(2_500, [[100, 0]], [[100.5, 3]]))!;
    expect(update.market).toMatchObject({ bid: 99, ask: 100.5, mid: 99.75 });
    expect(update.market.spreadBps).toBeCloseTo((1.5 / 99.75) * 10_000, 9);
  });

  it('uses tickers only without a book; trades set the last price; a state joins the market', () => {
    const markets = new BusMarkets();
    markets.applyMarketEvent({ type: 'ticker', symbol: 'ETH/USDT', ts: 1_000, bid: 10, bidQuantity: 1, ask: 11, askQuantity: 1, last: 10.5 } as MarketEvent);
    markets.applyMarketEvent({ type: 'trade', symbol: 'ETH/USDT', ts: 1_100, price: 10.7, quantity: 1, takerSide: 'buy', tradeId: 't1' } as MarketEvent);
    const withState = markets.applyState({ symbol: 'ETH/USDT', ts: 1_200, state: 'calm', confidence: 0.8 })!;
    expect(withState.market).toMatchObject({ bid: 10, ask: 11, lastPrice: 10.7, state: 'calm', stateConfidence: 0.8 });
  });

  it('follows at most MAX_BUS_MARKETS symbols', () => {
    const markets = new BusMarkets();
    for (let n = 0; n < MAX_BUS_MARKETS + 5; n++) markets.applyMarketEvent({ type: 'trade', symbol: `S${n}/USDT`, ts: 1, price: 1, quantity: 1, takerSide: 'buy', tradeId: `${n}` } as MarketEvent);
    expect(markets.snapshot()).toHaveLength(MAX_BUS_MARKETS);
  });

  it('property: price points are at least a second apart, in time order, bounded, and each mid lies between bid and ask', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3_000 }), bid: fc.integer({ min: 1_000, max: 2_000 }), spread: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 300 }),
        (steps) => {
          const markets = new BusMarkets();
          let ts = 1_000;
          for (const step of steps) {
            ts += step.dt;
            const update = markets.applyMarketEvent(snapshot(ts, step.bid, step.bid + step.spread))!;
            expect(update.market.mid!).toBeGreaterThanOrEqual(update.market.bid!);
            expect(update.market.mid!).toBeLessThanOrEqual(update.market.ask!);
          }
          const prices = markets.snapshot()[0]!.prices;
          expect(prices.length).toBeLessThanOrEqual(1_800);
          for (let index = 1; index < prices.length; index++) expect(prices[index]!.ts - prices[index - 1]!.ts).toBeGreaterThanOrEqual(1_000);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('BusFeedStats: metrics derived from the events', () => {
  it('counts executions by status and by worker, and events per wall second over the window', () => {
    const clock = new VirtualClock(1_000_000);
    const stats = new BusFeedStats(clock);
    stats.started('a', 'w1');
    stats.started('b', 'w2');
    stats.started('c', 'w1');
    for (let n = 0; n < 20; n++) stats.event();
    stats.ended('a', 'filled', 'w1');
    stats.ended('b', 'cancelled', 'w2');
    const now = stats.snapshot(7);
    expect(now['executions_started_total']).toMatchObject({ value: 3 });
    expect(now['executions_working']).toMatchObject({ value: 1 });
    expect(now['executions_filled_total']).toMatchObject({ value: 1 });
    expect(now['executions_cancelled_total']).toMatchObject({ value: 1 });
    expect(now['worker_w1_executions_total']).toMatchObject({ value: 2 });
    expect(now['worker_w1_working']).toMatchObject({ value: 1 });
    expect(now['worker_w2_working']).toMatchObject({ value: 0 });
    expect(now['execution_events_per_second']).toMatchObject({ value: 2 });
    expect(now['market_messages_total']).toMatchObject({ value: 7 });
    clock.advanceBy(11_000);
    expect(stats.snapshot(7)['execution_events_per_second']).toMatchObject({ value: 0 });
    expect(stats.snapshot(7)['execution_events_total']).toMatchObject({ value: 20 });
  });
});

describe('tranche serve --nats flags', () => {
  it('refuses every flag that composes a venue, naming them in one validation error', () => {
    expect(() => refuseVenueFlagsWithNats({ nats: true, port: 0 })).not.toThrow();
    let caught: unknown;
    try {
      refuseVenueFlagsWithNats({ nats: true, venue: 'ccxt', baseUrl: 'http://x', speed: 10 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrancheError);
    expect((caught as TrancheError).kind).toBe('validation');
    expect((caught as TrancheError).field).toBe('--speed');
    expect((caught as TrancheError).message).toContain('--speed, --venue, --base-url cannot be given with --nats');
  });

  it('tranche serve --nats with venue flags or a bad URL fails before connecting, with one validation error', async () => {
    for (const [argv, message] of [
      [['serve', '--nats', '--venue', 'ccxt', '--speed', '5'], 'invalid --speed: --speed, --venue cannot be given with --nats'],
      [['serve', '--nats', 'nats://127.0.0.1:1', '--data', '/tmp'], 'invalid --data: --data cannot be given with --nats'],
      [['serve', '--nats', 'http://127.0.0.1:4222'], 'invalid --nats: must be a NATS URL'],
    ] as const) {
      const io = captureIo();
      const program = new Command('tranche').exitOverride();
      registerServeCommand(program, io, () => undefined);
      const failure = await program.parseAsync([...argv], { from: 'user' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(TrancheError);
      expect((failure as TrancheError).kind).toBe('validation');
      expect((failure as TrancheError).message).toContain(message);
    }
  });

  it('checks the NATS URL', () => {
    expect(parseServeNatsUrl('nats://127.0.0.1:4222,nats://10.0.0.2:4222')).toBe('nats://127.0.0.1:4222,nats://10.0.0.2:4222');
    expect(() => parseServeNatsUrl('http://127.0.0.1:4222')).toThrow(/invalid --nats: must be a NATS URL.*"http:\/\/127.0.0.1:4222"/);
  });
});

describe('control messages and jobs on the bus', () => {
  it('are strict and name their field', () => {
    expect(CancelControlSchema.safeParse({ type: 'cancel', requestId: 'r1', executionId: 'o1', reason: 'x' }).success).toBe(true);
    expect(CancelControlSchema.safeParse({ type: 'cancel', requestId: 'r1', executionId: 'o1', reason: 'x', extra: 1 }).success).toBe(false);
    expect(CancelControlSchema.safeParse({ type: 'cancel', requestId: 'r.1', executionId: 'o1', reason: 'x' }).success).toBe(false);
    expect(KillControlSchema.safeParse({ type: 'kill', requestId: 'r1', reason: '' }).success).toBe(false);
    expect(ControlAckSchema.safeParse({ requestId: 'r1', worker: 'w1', type: 'kill', accepted: true, executionIds: ['a'] }).success).toBe(true);
    expect(cancelControlSubject('o-1')).toBe('control.cancel.o-1');
    expect(controlAckSubject('r1')).toBe('control.ack.r1');
  });

  it('builds the job as tranche submit does: the id kept or made, one validation error naming the field', () => {
    expect(clusterJobOf({ id: 'o1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 }).order.id).toBe('o1');
    expect(clusterJobOf({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 }).order.id).toMatch(/^c[0-9a-f]{18}$/);
    expect(clusterJobOf({ id: 'o1', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1 }, { venue: 'ccxt' }).venue).toBe('ccxt');
    expect(() => clusterJobOf({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0 })).toThrow(/quantity/);
  });
});
