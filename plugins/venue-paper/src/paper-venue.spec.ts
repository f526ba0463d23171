import { describe, expect, it } from 'vitest';
import { SharedBooks, TrancheError, yieldToEventLoop, type ChildOrder } from '@tranche/core';
import { PaperScenario } from '../test/paper-scenario.js';

const TAKER = 10 / 10_000;

async function failure(promise: Promise<unknown>): Promise<TrancheError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TrancheError);
  return error as TrancheError;
}

function balance(balances: { asset: string; free: number; locked: number }[], asset: string): { free: number; locked: number } {
  const found = balances.find((entry) => entry.asset === asset);
  return { free: found?.free ?? 0, locked: found?.locked ?? 0 };
}

describe('PaperVenue: market orders', () => {
  it('walk the current book level by level as taker, paying the taker fee in the quote', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ type: 'market', quantity: 1.2 });
    expect(ack.status).toBe('filled');
    expect(ack.filledQuantity).toBe(1.2);
    const fills = s.fillsOf(ack.clientOrderId);
    expect(fills.map((fill) => [fill.price, fill.quantity])).toEqual([
      [60_000.01, 0.5],
      [60_000.02, 0.5],
      [60_000.03, 0.2],
    ]);
    for (const fill of fills) {
      expect(fill.liquidity).toBe('taker');
      expect(fill.feeCurrency).toBe('USDT');
      expect(fill.fee).toBeCloseTo(fill.price * fill.quantity * TAKER, 9);
    }
    expect(ack.averagePrice).toBeCloseTo((60_000.01 * 0.5 + 60_000.02 * 0.5 + 60_000.03 * 0.2) / 1.2, 8);
    expect(new Set(fills.map((fill) => fill.fillId)).size).toBe(3);
  });

  it('never fill beyond the visible depth: the rest is cancelled', async () => {
    const s = new PaperScenario();
    s.standardBook(5, 0.5);
    const ack = await s.place({ type: 'market', quantity: 3 });
    expect(ack.status).toBe('cancelled');
    expect(ack.filledQuantity).toBe(2.5);
    expect(ack.reason).toMatch(/ran out/);
    expect(await s.venue.openOrders()).toEqual([]);
  });

  it('sell into the bids', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ type: 'market', side: 'sell', quantity: 0.7 });
    expect(s.fillsOf(ack.clientOrderId).map((fill) => [fill.price, fill.quantity])).toEqual([
      [59_999.99, 0.5],
      [59_999.98, 0.2],
    ]);
  });

  it('meet the book as it is when they arrive, latencyMs after the call', async () => {
    const s = new PaperScenario({ latencyMs: 20 });
    s.standardBook();
    const promise = s.venue.placeOrder(s.request({ type: 'market', quantity: 0.5 }));
    s.advance(5);
    s.delta([], [[60_000.01, 0]]);
    s.advance(15);
    const ack = await promise;
    expect(s.fillsOf(ack.clientOrderId).map((fill) => fill.price)).toEqual([60_000.02]);
    expect(ack.createdAt).toBe(s.clock.now());
  });

  it('cannot take the same visible liquidity twice until the level updates', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const first = await s.place({ type: 'market', quantity: 0.3 });
    const second = await s.place({ type: 'market', quantity: 0.5 });
    expect(s.fillsOf(first.clientOrderId).map((fill) => [fill.price, fill.quantity])).toEqual([[60_000.01, 0.3]]);
    expect(s.fillsOf(second.clientOrderId).map((fill) => [fill.price, fill.quantity])).toEqual([
      [60_000.01, 0.2],
      [60_000.02, 0.3],
    ]);
    s.delta([], [[60_000.01, 0.5]]);
    const third = await s.place({ type: 'market', quantity: 0.5 });
    expect(s.fillsOf(third.clientOrderId).map((fill) => [fill.price, fill.quantity])).toEqual([[60_000.01, 0.5]]);
  });

  it('on an empty book end cancelled with nothing filled', async () => {
    const s = new PaperScenario();
    const ack = await s.place({ type: 'market', quantity: 0.1 });
    expect(ack.status).toBe('cancelled');
    expect(ack.filledQuantity).toBe(0);
    expect(s.fills).toEqual([]);
  });
});

describe('PaperVenue: limit orders', () => {
  it('that cross take up to their price, then the GTC rest rests (partially filled)', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 60_000.02, quantity: 1.5 });
    expect(ack.status).toBe('partially_filled');
    expect(ack.filledQuantity).toBe(1);
    expect(s.fillsOf(ack.clientOrderId).every((fill) => fill.price <= 60_000.02 && fill.liquidity === 'taker')).toBe(true);
    expect((await s.venue.openOrders('BTC/USDT')).map((order) => order.clientOrderId)).toEqual([ack.clientOrderId]);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0);
  });

  it('IOC: the rest is cancelled', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 60_000.02, quantity: 1.5, timeInForce: 'IOC' });
    expect(ack.status).toBe('cancelled');
    expect(ack.filledQuantity).toBe(1);
    expect(await s.venue.openOrders()).toEqual([]);
  });

  it('FOK: all or nothing', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const killed = await s.place({ price: 60_000.02, quantity: 1.5, timeInForce: 'FOK' });
    expect(killed.status).toBe('cancelled');
    expect(killed.filledQuantity).toBe(0);
    expect(s.fillsOf(killed.clientOrderId)).toEqual([]);
    const filled = await s.place({ price: 60_000.02, quantity: 1, timeInForce: 'FOK' });
    expect(filled.status).toBe('filled');
    expect(filled.filledQuantity).toBe(1);
    const market = await s.place({ type: 'market', quantity: 5, timeInForce: 'FOK' });
    expect(market.status).toBe('cancelled');
    expect(market.filledQuantity).toBe(0);
  });

  it('GTX (post-only) is rejected when it would cross, and rests otherwise', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const error = await failure(s.place({ price: 60_000.01, timeInForce: 'GTX' }));
    expect(error.kind).toBe('venue-rejected');
    expect(error.message).toMatch(/post-only/);
    expect(s.fills).toEqual([]);
    const resting = await s.place({ price: 59_999.99, timeInForce: 'GTX' });
    expect(resting.status).toBe('open');
    expect(s.venue.queueAhead(resting.clientOrderId)).toBe(0.5);
  });

  it('join the queue behind the visible size at their price when they arrive', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const promise = s.venue.placeOrder(s.request({ price: 59_999.99, quantity: 0.2 }));
    s.advance(10);
    s.delta([[59_999.99, 1.25]], []);
    s.advance(10);
    const ack = await promise;
    expect(ack.status).toBe('open');
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(1.25);
  });
});

describe('PaperVenue: resting orders and recorded trades', () => {
  it('a trade at the order price first consumes the queue ahead, then fills it as maker (partially)', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.trade(59_999.99, 0.3, 'sell');
    expect(s.fillsOf(ack.clientOrderId)).toEqual([]);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBeCloseTo(0.2, 12);
    s.trade(59_999.99, 0.3, 'sell');
    const fills = s.fillsOf(ack.clientOrderId);
    expect(fills.map((fill) => [fill.price, fill.quantity, fill.liquidity])).toEqual([[59_999.99, 0.1, 'maker']]);
    expect(fills[0]!.fee).toBeCloseTo(59_999.99 * 0.1 * 0.001, 9);
    expect((await s.venue.fetchOrder('BTC/USDT', ack.clientOrderId))!.status).toBe('partially_filled');
    s.trade(59_999.99, 5, 'sell');
    const final = (await s.venue.fetchOrder('BTC/USDT', ack.clientOrderId))!;
    expect(final.status).toBe('filled');
    expect(final.filledQuantity).toBe(0.2);
    expect(s.fillsOf(ack.clientOrderId).reduce((sum, fill) => sum + fill.quantity, 0)).toBeCloseTo(0.2, 12);
  });

  it('a trade strictly through the order price fills it up to the trade size, queue or not', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.trade(59_999.98, 0.15, 'sell');
    expect(s.fillsOf(ack.clientOrderId).map((fill) => [fill.price, fill.quantity])).toEqual([[59_999.99, 0.15]]);
  });

  it('a trade whose aggressor is on the order side does not fill it', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.trade(59_999.99, 5, 'buy');
    s.trade(60_000.01, 5, 'buy');
    expect(s.fillsOf(ack.clientOrderId)).toEqual([]);
  });

  it('fills a resting sell from buy trades at or above its price', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ side: 'sell', price: 60_000.01, quantity: 0.2 });
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0.5);
    s.trade(60_000.01, 0.6, 'buy');
    expect(s.fillsOf(ack.clientOrderId).map((fill) => [fill.price, fill.quantity, fill.side])).toEqual([[60_000.01, 0.1, 'sell']]);
  });

  it('two of our orders at one level share a trade in time priority, never more than its size', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const first = await s.place({ price: 59_999.99, quantity: 0.2 });
    const second = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.trade(59_999.99, 0.8, 'sell');
    expect((await s.venue.fetchOrder('BTC/USDT', first.clientOrderId))!.filledQuantity).toBe(0.2);
    expect((await s.venue.fetchOrder('BTC/USDT', second.clientOrderId))!.filledQuantity).toBe(0.1);
    expect(s.fills.reduce((sum, fill) => sum + fill.quantity, 0)).toBeLessThanOrEqual(0.8 - 0.5 + 1e-12);
  });

  it('conservative queue model: cancellations at the level are assumed to be behind us', async () => {
    const s = new PaperScenario({ queueModel: 'conservative' });
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.delta([[59_999.99, 1]], []);
    s.delta([[59_999.99, 0.8]], []);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0.5);
    s.delta([[59_999.99, 0.3]], []);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0.3);
  });

  it('pro-rata queue model: unexplained decreases move us up in proportion; trade-explained ones do not count twice', async () => {
    const s = new PaperScenario({ queueModel: 'pro-rata' });
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.delta([[59_999.99, 1]], []);
    s.delta([[59_999.99, 0.8]], []);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBeCloseTo(0.4, 12);
    s.trade(59_999.99, 0.2, 'sell');
    expect(s.venue.queueAhead(ack.clientOrderId)).toBeCloseTo(0.2, 12);
    s.delta([[59_999.99, 0.6]], []);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBeCloseTo(0.2, 12);
  });

  it('on a book shared with a reader that applies each delta first, queue positions move exactly as on its own book', async () => {
    const run = async (books?: SharedBooks): Promise<number[]> => {
      const s = new PaperScenario({ queueModel: 'pro-rata' }, 'BTC/USDT', 1_723_161_600_000, books);
      s.standardBook();
      const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
      const seen: number[] = [];
      s.delta([[59_999.99, 1]], []);
      s.delta([[59_999.99, 0.8], [59_999.98, 2]], []);
      seen.push(s.venue.queueAhead(ack.clientOrderId)!);
      s.trade(59_999.99, 0.2, 'sell');
      s.delta([[59_999.99, 0.5]], []);
      seen.push(s.venue.queueAhead(ack.clientOrderId)!);
      return seen;
    };
    const own = await run();
    expect(await run(new SharedBooks())).toEqual(own);
    expect(own[0]).toBeCloseTo(0.4, 12);
  });

  it('the level disappearing puts us at the front: the next trade at the price fills us', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.delta([[59_999.99, 0]], []);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0);
    s.trade(59_999.99, 0.05, 'sell');
    expect(s.fillsOf(ack.clientOrderId).map((fill) => fill.quantity)).toEqual([0.05]);
  });

  it('a book that moves through the order without trades fills it as maker at its price, at most the crossing quantity, once', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.3 });
    s.delta([], [[59_999.98, 0.1], [59_999.99, 0.1]]);
    const fills = s.fillsOf(ack.clientOrderId);
    expect(fills.map((fill) => [fill.price, fill.quantity, fill.liquidity])).toEqual([[59_999.99, 0.2, 'maker']]);
    s.delta([[59_999.97, 2]], []);
    expect(s.fillsOf(ack.clientOrderId)).toHaveLength(1);
    expect((await s.venue.fetchOrder('BTC/USDT', ack.clientOrderId))!.status).toBe('partially_filled');
  });

  it('a crossing GTC rest is not filled again from liquidity it already took until that level updates', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 60_000.02, quantity: 1.5 });
    s.delta([[59_999.99, 0.7]], []);
    expect((await s.venue.fetchOrder('BTC/USDT', ack.clientOrderId))!.filledQuantity).toBe(1);
    s.delta([], [[60_000.02, 0.4]]);
    const after = (await s.venue.fetchOrder('BTC/USDT', ack.clientOrderId))!;
    expect(after.filledQuantity).toBeCloseTo(1.4, 12);
    expect(s.fillsOf(ack.clientOrderId).at(-1)).toMatchObject({ price: 60_000.02, quantity: 0.4, liquidity: 'maker' });
  });

  it('a snapshot re-bases queue positions on the new book', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.snapshot([[59_999.99, 0.1]], [[60_000.01, 1]]);
    expect(s.venue.queueAhead(ack.clientOrderId)).toBe(0.1);
  });
});

describe('PaperVenue: fees', () => {
  it('uses the market maker/taker bps: the ETH/USDT perpetual defaults to 2/5', async () => {
    const s = new PaperScenario({}, 'ETH/USDT');
    s.snapshot([[2_500, 10]], [[2_500.01, 10]]);
    const taker = await s.place({ type: 'market', quantity: 1 });
    expect(s.fillsOf(taker.clientOrderId)[0]!.fee).toBeCloseTo(2_500.01 * 5 / 10_000, 9);
    const maker = await s.place({ price: 2_500, quantity: 1 });
    s.trade(2_499.99, 1, 'sell');
    expect(s.fillsOf(maker.clientOrderId)[0]!.fee).toBeCloseTo(2_500 * 2 / 10_000, 9);
  });

  it('config fees override every market (a negative maker fee is a rebate)', async () => {
    const s = new PaperScenario({ fees: { makerBps: -1, takerBps: 3 } });
    expect((await s.venue.market('BTC/USDT'))).toMatchObject({ makerFeeBps: -1, takerFeeBps: 3 });
    s.standardBook();
    const taker = await s.place({ type: 'market', quantity: 0.1 });
    expect(s.fillsOf(taker.clientOrderId)[0]!.fee).toBeCloseTo(60_000.01 * 0.1 * 3 / 10_000, 9);
    const maker = await s.place({ price: 59_999.99, quantity: 0.1 });
    s.trade(59_999.98, 0.1, 'sell');
    expect(s.fillsOf(maker.clientOrderId)[0]!.fee).toBeCloseTo(-59_999.99 * 0.1 / 10_000, 9);
  });
});

describe('PaperVenue: latency and sequencing', () => {
  it('acknowledges an order only once latencyMs of clock time has passed', async () => {
    const s = new PaperScenario({ latencyMs: 20 });
    s.standardBook();
    let ack: ChildOrder | undefined;
    const promise = s.venue.placeOrder(s.request({ price: 59_999.99 })).then((order) => (ack = order));
    s.advance(19);
    await yieldToEventLoop();
    expect(ack).toBeUndefined();
    expect(await s.venue.openOrders()).toEqual([]);
    s.advance(1);
    await promise;
    expect(ack?.status).toBe('open');
    const cancelled = s.venue.cancelOrder('BTC/USDT', ack!.clientOrderId);
    s.advance(19);
    expect((await s.venue.openOrders()).length).toBe(1);
    s.advance(1);
    expect((await cancelled).status).toBe('cancelled');
  });

  it('processes requests at once after the market data ended, including those still travelling', async () => {
    const s = new PaperScenario({ latencyMs: 1_000 });
    s.standardBook();
    const travelling = s.venue.placeOrder(s.request({ price: 59_999.99 }));
    s.venue.onMarketDataEnd();
    expect((await travelling).status).toBe('open');
    const immediate = await s.venue.placeOrder(s.request({ type: 'market', quantity: 0.1 }));
    expect(immediate.status).toBe('filled');
  });

  it('queues a request made while a market event is processed until the event is done', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const resting = await s.place({ price: 59_999.99, quantity: 0.2 });
    s.venue.onMarketDataEnd();
    let follow: Promise<ChildOrder> | undefined;
    s.venue.fills$.subscribe((fill) => {
      if (fill.clientOrderId === resting.clientOrderId && !follow) {
        follow = s.venue.placeOrder(s.request({ clientOrderId: 'follow', type: 'market', side: 'sell', quantity: 0.1 }));
      }
    });
    s.trade(59_999.98, 1, 'sell');
    expect((await follow!).status).toBe('filled');
    const sequence = s.emissions.map((emission) =>
      emission.kind === 'fill' ? `fill:${emission.fill.clientOrderId}` : `update:${emission.order.clientOrderId}:${emission.order.status}`,
    );
    const from = sequence.indexOf(`fill:${resting.clientOrderId}`);
    expect(sequence.slice(from)).toEqual([
      `fill:${resting.clientOrderId}`,
      `update:${resting.clientOrderId}:filled`,
      'update:follow:open',
      'fill:follow',
      'update:follow:filled',
    ]);
  });

  it('emits each fill before the order update it causes', async () => {
    const s = new PaperScenario();
    s.standardBook();
    await s.place({ type: 'market', quantity: 1.2 });
    s.emissions.forEach((emission, index) => {
      if (emission.kind !== 'fill') return;
      const next = s.emissions[index + 1];
      expect(next?.kind).toBe('update');
      if (next?.kind === 'update') expect(next.order.clientOrderId).toBe(emission.fill.clientOrderId);
    });
  });

  it('fails requests still travelling when closed, and refuses new ones', async () => {
    const s = new PaperScenario();
    const travelling = s.venue.placeOrder(s.request({ price: 59_999.99 }));
    await s.venue.close();
    expect((await failure(travelling)).kind).toBe('venue-unavailable');
    expect((await failure(s.venue.placeOrder(s.request({})))).kind).toBe('venue-unavailable');
    await s.venue.close();
  });
});

describe('PaperVenue: balances', () => {
  it('starts from generous defaults', async () => {
    const s = new PaperScenario();
    const balances = await s.venue.balances();
    expect(balances).toEqual([
      { asset: 'BTC', free: 1_000, locked: 0 },
      { asset: 'ETH', free: 10_000, locked: 0 },
      { asset: 'USDT', free: 10_000_000, locked: 0 },
    ]);
  });

  it('a limit buy locks price × quantity × (1 + fee) of the quote; a cancel releases it', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const ack = await s.place({ price: 59_999.99, quantity: 0.1 });
    const locked = 59_999.99 * 0.1 * 1.001;
    const during = balance(await s.venue.balances(), 'USDT');
    expect(during.locked).toBeCloseTo(locked, 6);
    expect(during.free).toBeCloseTo(10_000_000 - locked, 6);
    await s.cancel(ack.clientOrderId);
    expect(balance(await s.venue.balances(), 'USDT')).toEqual({ free: 10_000_000, locked: 0 });
  });

  it('a sell locks the base', async () => {
    const s = new PaperScenario();
    s.standardBook();
    await s.place({ side: 'sell', price: 60_000.05, quantity: 0.1 });
    expect(balance(await s.venue.balances(), 'BTC')).toEqual({ free: 999.9, locked: 0.1 });
  });

  it('fills move base and quote (cost plus fee) and leave nothing locked', async () => {
    const s = new PaperScenario();
    s.standardBook();
    await s.place({ type: 'market', quantity: 1.2 });
    const cost = (60_000.01 * 0.5 + 60_000.02 * 0.5 + 60_000.03 * 0.2) * (1 + TAKER);
    const balances = await s.venue.balances();
    expect(balance(balances, 'BTC').free).toBeCloseTo(1_001.2, 9);
    expect(balance(balances, 'USDT').free).toBeCloseTo(10_000_000 - cost, 5);
    expect(balance(balances, 'USDT').locked).toBe(0);
    await s.place({ type: 'market', side: 'sell', quantity: 0.5 });
    const after = await s.venue.balances();
    expect(balance(after, 'BTC').free).toBeCloseTo(1_000.7, 9);
    expect(balance(after, 'USDT').free).toBeCloseTo(10_000_000 - cost + 59_999.99 * 0.5 * (1 - TAKER), 5);
  });

  it('refuses what the account cannot pay as insufficient-funds', async () => {
    const s = new PaperScenario({ balances: { USDT: 100 } });
    s.standardBook();
    const buy = await failure(s.place({ price: 59_999.99, quantity: 0.01 }));
    expect(buy.kind).toBe('insufficient-funds');
    expect(buy.message).toContain('USDT');
    expect((await failure(s.place({ type: 'market', quantity: 0.01 }))).kind).toBe('insufficient-funds');
    expect((await failure(s.place({ side: 'sell', price: 60_000.05, quantity: 0.01 }))).kind).toBe('insufficient-funds');
    expect(await s.venue.openOrders()).toEqual([]);
    expect(await s.venue.balances()).toEqual([
      { asset: 'BTC', free: 0, locked: 0 },
      { asset: 'USDT', free: 100, locked: 0 },
    ]);
  });
});

describe('PaperVenue: rejections and look-ups', () => {
  it('rejects orders that break the market rules as venue-rejected', async () => {
    const s = new PaperScenario();
    s.standardBook();
    const cases: Array<[string, Parameters<PaperScenario['place']>[0], RegExp]> = [
      ['below the minimum quantity', { quantity: 0.000005 }, /below the minimum|step/],
      ['off the step', { quantity: 0.012345, price: 59_999.99 }, /step size/],
      ['above the maximum quantity', { quantity: 9_001, price: 59_999.99 }, /maximum/],
      ['below the minimum notional', { quantity: 0.0001, price: 59_999.99 }, /notional/],
      ['off the tick', { quantity: 0.01, price: 59_999.995 }, /tick size/],
      ['a limit without a price', { quantity: 0.01, price: undefined }, /needs a price/],
      ['an unknown symbol', { symbol: 'XRP/USDT', price: 1 }, /unknown symbol "XRP\/USDT"/],
      ['a market buy below the notional', { type: 'market', quantity: 0.0001 }, /notional/],
    ];
    for (const [what, overrides, pattern] of cases) {
      const error = await failure(s.place({ price: 59_999.99, ...overrides }));
      expect(error.kind, what).toBe('venue-rejected');
      expect(error.message, what).toMatch(pattern);
    }
    expect(await s.venue.openOrders()).toEqual([]);
    expect(s.fills).toEqual([]);
  });

  it('rejects a client order id it already knows, even of a finished order', async () => {
    const s = new PaperScenario();
    s.standardBook();
    await s.place({ clientOrderId: 'dup', type: 'market', quantity: 0.1 });
    const error = await failure(s.place({ clientOrderId: 'dup', price: 59_999.99 }));
    expect(error.kind).toBe('venue-rejected');
    expect(error.message).toMatch(/duplicate/);
    await s.place({ clientOrderId: 'dup2', price: 59_999.99 });
    expect((await failure(s.place({ clientOrderId: 'dup2', price: 59_999.98 }))).kind).toBe('venue-rejected');
    expect((await s.venue.openOrders()).map((order) => order.price)).toEqual([59_999.99]);
  });

  it('cancel: unknown id (or wrong symbol) is venue-rejected; a finished order resolves with its final state', async () => {
    const s = new PaperScenario();
    s.standardBook();
    expect((await failure(s.cancel('nope'))).kind).toBe('venue-rejected');
    const filled = await s.place({ type: 'market', quantity: 0.1 });
    const final = await s.cancel(filled.clientOrderId);
    expect(final.status).toBe('filled');
    expect(final.filledQuantity).toBe(0.1);
    const resting = await s.place({ price: 59_999.99 });
    expect((await failure(s.cancel(resting.clientOrderId, 'ETH/USDT'))).kind).toBe('venue-rejected');
  });

  it('market(): the rules of a symbol; a validation error naming an unknown one', async () => {
    const s = new PaperScenario();
    expect(await s.venue.market('BTC/USDT')).toMatchObject({ tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 10 });
    const error = await failure(s.venue.market('DOGE/USDT'));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('DOGE/USDT');
  });

  it('fetchOrder: undefined for an unknown id; openOrders filters by symbol', async () => {
    const s = new PaperScenario();
    s.standardBook();
    expect(await s.venue.fetchOrder('BTC/USDT', 'nope')).toBeUndefined();
    const ack = await s.place({ price: 59_999.99 });
    expect(await s.venue.fetchOrder('ETH/USDT', ack.clientOrderId)).toBeUndefined();
    expect((await s.venue.openOrders('BTC/USDT')).length).toBe(1);
    expect(await s.venue.openOrders('ETH/USDT')).toEqual([]);
    expect((await s.venue.openOrders()).length).toBe(1);
  });
});
