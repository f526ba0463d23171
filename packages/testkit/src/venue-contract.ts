import { describe, expect, it } from 'vitest';
import {
  TrancheError,
  ceilToIncrement,
  floorToIncrement,
  roundToIncrement,
  type ChildOrder,
  type Fill,
  type MarketInfo,
  type Venue,
  type VenueOrderRequest,
} from '@tranche/core';

/** What `venueContract` needs to exercise one venue. */
export interface VenueHarness {
  /** The venue under test, initialized, with market data for `symbol` (a book both sides). */
  venue: Venue;
  /** A symbol the venue trades and can fill a small market buy on. */
  symbol: string;
  /** A price at which a buy limit would rest without filling. */
  passiveBuyPrice(): Promise<number>;
  /** Lets time / market data progress so pending requests are processed. */
  settle(): Promise<void>;
  /** Releases the venue and whatever drives it. */
  close(): Promise<void>;
  /** Prefix of the client order ids the suite sends (default `vc`); make it unique per run on a stateful venue. */
  clientOrderIdPrefix?: string;
}

/** How often `settle()` may be called while waiting for one request. */
const MAX_SETTLE_ROUNDS = 50;

/**
 * The contract every `Venue` must honour, run against a harness that builds a fresh,
 * initialized venue per test (the paper venue on a small book, a ccxt venue on a local
 * exchange emulator, …): market rules, acknowledgement and look-up of a resting order,
 * refusal of a duplicate client order id, cancellation (twice), rejections with the
 * right `TrancheError` kind, a small market buy whose fills reconcile with the order,
 * order updates and balances.
 */
export function venueContract(name: string, makeHarness: () => Promise<VenueHarness>): void {
  /** Runs `body` with a fresh harness and always closes it. */
  const withHarness = (body: (harness: VenueHarness, ids: () => string) => Promise<void>) => async () => {
    const harness = await makeHarness();
    let counter = 0;
    const ids = (): string => `${harness.clientOrderIdPrefix ?? 'vc'}-${++counter}`;
    try {
      await body(harness, ids);
    } finally {
      await harness.close();
    }
  };

  describe(`venue contract: ${name}`, () => {
    it('lists its markets, including the harness symbol with positive tick and step', withHarness(async ({ venue, symbol }) => {
      const markets = await venue.markets();
      expect(markets.length).toBeGreaterThan(0);
      const market = markets.find((candidate) => candidate.symbol === symbol);
      expect(market).toBeDefined();
      expect(market!.tickSize).toBeGreaterThan(0);
      expect(market!.stepSize).toBeGreaterThan(0);
      const single = await venue.market(symbol);
      expect(single.symbol).toBe(symbol);
      expect(single.tickSize).toBe(market!.tickSize);
      expect(single.stepSize).toBe(market!.stepSize);
    }));

    it('rejects market() of an unknown symbol with a validation error naming it', withHarness(async ({ venue }) => {
      const error = await venue.market('NOSUCH/COIN').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).message).toContain('NOSUCH/COIN');
    }));

    it('acknowledges a resting limit buy with its client id, open, in openOrders and fetchOrder', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const request = await restingBuy(harness, ids());
      const ack = await settled(harness, venue.placeOrder(request));
      expect(ack.clientOrderId).toBe(request.clientOrderId);
      expect(ack.symbol).toBe(symbol);
      expect(ack.status).toBe('open');
      expect(ack.filledQuantity).toBe(0);
      expect(ack.quantity).toBeCloseTo(request.quantity, 12);
      expect(ack.price).toBeCloseTo(request.price!, 10);
      const open = await venue.openOrders(symbol);
      expect(open.map((order) => order.clientOrderId)).toContain(request.clientOrderId);
      const everywhere = await venue.openOrders();
      expect(everywhere.map((order) => order.clientOrderId)).toContain(request.clientOrderId);
      const fetched = await venue.fetchOrder(symbol, request.clientOrderId);
      expect(fetched?.clientOrderId).toBe(request.clientOrderId);
      expect(fetched?.status).toBe('open');
      await settled(harness, venue.cancelOrder(symbol, request.clientOrderId));
    }));

    it('rejects a second order with a known client id as venue-rejected, creating nothing', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const first = await restingBuy(harness, ids());
      await settled(harness, venue.placeOrder(first));
      const market = await venue.market(symbol);
      const second: VenueOrderRequest = { ...first, quantity: roundToIncrement(first.quantity * 2, market.stepSize) };
      const error = await settled(harness, venue.placeOrder(second)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('venue-rejected');
      const open = (await venue.openOrders(symbol)).filter((order) => order.clientOrderId === first.clientOrderId);
      expect(open).toHaveLength(1);
      expect(open[0]!.quantity).toBeCloseTo(first.quantity, 12);
      const fetched = await venue.fetchOrder(symbol, first.clientOrderId);
      expect(fetched?.quantity).toBeCloseTo(first.quantity, 12);
      await settled(harness, venue.cancelOrder(symbol, first.clientOrderId));
    }));

    it('cancels a resting order: cancelled, nothing filled, gone from openOrders; a second cancel is harmless', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const request = await restingBuy(harness, ids());
      await settled(harness, venue.placeOrder(request));
      const cancelled = await settled(harness, venue.cancelOrder(symbol, request.clientOrderId));
      expect(cancelled.clientOrderId).toBe(request.clientOrderId);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.filledQuantity).toBe(0);
      expect((await venue.openOrders(symbol)).map((order) => order.clientOrderId)).not.toContain(request.clientOrderId);
      const again = await settled(harness, venue.cancelOrder(symbol, request.clientOrderId)).catch((caught: unknown) => caught);
      if (again instanceof Error) {
        // Some exchanges answer "unknown order" for a finished one: acceptable, if typed.
        expect(again).toBeInstanceOf(TrancheError);
        expect((again as TrancheError).kind).toBe('venue-rejected');
      } else {
        expect((again as ChildOrder).status).toBe('cancelled');
        expect((again as ChildOrder).filledQuantity).toBe(0);
      }
      const fetched = await venue.fetchOrder(symbol, request.clientOrderId);
      expect(fetched?.status).toBe('cancelled');
    }));

    it('returns undefined from fetchOrder for an id it never received', withHarness(async ({ venue, symbol }) => {
      expect(await venue.fetchOrder(symbol, 'never-sent-0')).toBeUndefined();
    }));

    it('rejects an order below the minimum quantity as venue-rejected', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const market = await venue.market(symbol);
      const request = await restingBuy(harness, ids());
      const tooSmall = market.minQuantity > market.stepSize ? floorToIncrement(market.minQuantity / 2, market.stepSize) || market.stepSize / 2 : market.stepSize / 2;
      const error = await settled(harness, venue.placeOrder({ ...request, quantity: tooSmall })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('venue-rejected');
      expect(await venue.fetchOrder(symbol, request.clientOrderId)).toBeUndefined();
    }));

    it('rejects a limit order whose price is off the tick as venue-rejected', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const market = await venue.market(symbol);
      const request = await restingBuy(harness, ids());
      const error = await settled(harness, venue.placeOrder({ ...request, price: request.price! + market.tickSize / 2 })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('venue-rejected');
      expect(await venue.fetchOrder(symbol, request.clientOrderId)).toBeUndefined();
    }));

    it('fills a small market buy: filledQuantity equals its fills, each with a unique fillId, a fee and taker liquidity', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const market = await venue.market(symbol);
      const fills: Fill[] = [];
      const updates: ChildOrder[] = [];
      const subscriptions = [venue.fills$.subscribe((fill) => fills.push(fill)), venue.orderUpdates$.subscribe((order) => updates.push(order))];
      try {
        const reference = await harness.passiveBuyPrice();
        const request: VenueOrderRequest = {
          clientOrderId: ids(),
          parentId: 'venue-contract',
          symbol,
          side: 'buy',
          type: 'market',
          quantity: smallQuantity(market, reference),
          timeInForce: 'IOC',
        };
        const ack = await settled(harness, venue.placeOrder(request));
        expect(ack.clientOrderId).toBe(request.clientOrderId);
        const own = (): Fill[] => fills.filter((fill) => fill.clientOrderId === request.clientOrderId);
        let final = await venue.fetchOrder(symbol, request.clientOrderId);
        for (let round = 0; round < MAX_SETTLE_ROUNDS && !(final && isTerminal(final) && sumOf(own()) >= final.filledQuantity - market.stepSize / 2); round++) {
          await harness.settle();
          final = await venue.fetchOrder(symbol, request.clientOrderId);
        }
        expect(final).toBeDefined();
        expect(final!.filledQuantity).toBeGreaterThan(0);
        expect(final!.filledQuantity).toBeLessThanOrEqual(request.quantity + market.stepSize / 2);
        expect(sumOf(own())).toBeCloseTo(final!.filledQuantity, 9);
        const fillIds = fills.map((fill) => fill.fillId);
        expect(new Set(fillIds).size).toBe(fillIds.length);
        for (const fill of own()) {
          expect(fill.fillId.length).toBeGreaterThan(0);
          expect(fill.symbol).toBe(symbol);
          expect(fill.side).toBe('buy');
          expect(fill.liquidity).toBe('taker');
          expect(Number.isFinite(fill.fee)).toBe(true);
          expect(typeof fill.feeCurrency).toBe('string');
          expect(fill.price).toBeGreaterThan(0);
          expect(fill.quantity).toBeGreaterThan(0);
        }
        const notional = own().reduce((sum, fill) => sum + fill.price * fill.quantity, 0);
        expect(final!.averagePrice).toBeCloseTo(notional / sumOf(own()), 6);
        // orderUpdates$ told the same story.
        const reported = updates.filter((order) => order.clientOrderId === request.clientOrderId);
        expect(reported.length).toBeGreaterThan(0);
        expect(Math.max(...reported.map((order) => order.filledQuantity))).toBeCloseTo(final!.filledQuantity, 9);
      } finally {
        for (const subscription of subscriptions) subscription.unsubscribe();
      }
    }));

    it('reports order changes on orderUpdates$ (a cancel ends with a cancelled update)', withHarness(async (harness, ids) => {
      const { venue, symbol } = harness;
      const updates: ChildOrder[] = [];
      const subscription = venue.orderUpdates$.subscribe((order) => updates.push(order));
      try {
        const request = await restingBuy(harness, ids());
        await settled(harness, venue.placeOrder(request));
        await settled(harness, venue.cancelOrder(symbol, request.clientOrderId));
        const own = (): ChildOrder[] => updates.filter((order) => order.clientOrderId === request.clientOrderId);
        for (let round = 0; round < MAX_SETTLE_ROUNDS && !own().some((order) => order.status === 'cancelled'); round++) await harness.settle();
        const reported = own();
        expect(reported.length).toBeGreaterThan(0);
        expect(reported.at(-1)!.status).toBe('cancelled');
        for (const order of reported) {
          expect(order.symbol).toBe(symbol);
          expect(order.filledQuantity).toBe(0);
        }
      } finally {
        subscription.unsubscribe();
      }
    }));

    it('returns balances as non-negative finite numbers', withHarness(async ({ venue }) => {
      const balances = await venue.balances();
      expect(Array.isArray(balances)).toBe(true);
      for (const balance of balances) {
        expect(typeof balance.asset).toBe('string');
        expect(Number.isFinite(balance.free) && balance.free >= 0).toBe(true);
        expect(Number.isFinite(balance.locked) && balance.locked >= 0).toBe(true);
      }
    }));
  });
}

/** A resting limit buy just big enough for the market's minimum quantity and notional. */
async function restingBuy(harness: VenueHarness, clientOrderId: string): Promise<VenueOrderRequest> {
  const market = await harness.venue.market(harness.symbol);
  const price = roundToIncrement(await harness.passiveBuyPrice(), market.tickSize);
  return {
    clientOrderId,
    parentId: 'venue-contract',
    symbol: harness.symbol,
    side: 'buy',
    type: 'limit',
    quantity: smallQuantity(market, price),
    price,
    timeInForce: 'GTC',
  };
}

/** The smallest comfortable quantity: above the minimum quantity and 1.5 × the minimum notional at `price`. */
function smallQuantity(market: MarketInfo, price: number): number {
  const byNotional = price > 0 ? (market.minNotional * 1.5) / price : 0;
  return ceilToIncrement(Math.max(market.minQuantity, market.stepSize, byNotional), market.stepSize);
}

/** Awaits a venue call, letting the harness move time / data until it is answered. */
async function settled<T>(harness: VenueHarness, promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let round = 0; round < MAX_SETTLE_ROUNDS && !done; round++) await harness.settle();
  if (!done) {
    promise.catch(() => undefined);
    throw new Error(`the venue did not answer after ${MAX_SETTLE_ROUNDS} settle() rounds`);
  }
  return promise;
}

function isTerminal(order: ChildOrder): boolean {
  return order.status === 'filled' || order.status === 'cancelled' || order.status === 'expired' || order.status === 'rejected';
}

function sumOf(fills: readonly Fill[]): number {
  return fills.reduce((sum, fill) => sum + fill.quantity, 0);
}
