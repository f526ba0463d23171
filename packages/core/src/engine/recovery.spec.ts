import fc from 'fast-check';
import { EMPTY, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ExecutionEvent } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { MarketInfo } from '../model/market.schema.js';
import type { ChildOrder } from '../model/order.schema.js';
import { deadlineOf, foldJournal, pinnedParams, reconcileChild, reconcileExecution, RESUME_DEADLINE_MARGIN_MS } from './recovery.js';

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.0001, minQuantity: 0.0001, minNotional: 5, makerFeeBps: 1, takerFeeBps: 2 };

function child(n: number, patch: Partial<ChildOrder> = {}): ChildOrder {
  return {
    clientOrderId: `p-${n}`, parentId: 'p', symbol: 'BTC/USDT', side: 'buy', type: 'limit', timeInForce: 'GTC', price: 100,
    quantity: 0.25, filledQuantity: 0, averagePrice: 0, status: 'pending', createdAt: 1_000, updatedAt: 1_000, ...patch,
  };
}

function fill(n: number, quantity: number, id = `f-${n}-${quantity}`): Fill {
  return { fillId: id, clientOrderId: `p-${n}`, symbol: 'BTC/USDT', side: 'buy', ts: 1_500, price: 100, quantity, fee: 0, feeCurrency: 'USDT', liquidity: 'maker' };
}

/** A venue holding `orders` by client id; cancel ends an open one as cancelled. */
function fakeVenue(orders: ChildOrder[], options: { failLookups?: boolean } = {}): Venue & { cancels: string[] } {
  const byId = new Map(orders.map((order) => [order.clientOrderId, order]));
  const cancels: string[] = [];
  return {
    id: 'fake',
    cancels,
    orderUpdates$: new Subject<ChildOrder>(),
    fills$: EMPTY,
    initialize: async () => undefined,
    close: async () => undefined,
    markets: async () => [market],
    placeOrder: async () => {
      throw new TrancheError('internal', 'recovery never places orders');
    },
    cancelOrder: async (_symbol: string, clientOrderId: string) => {
      cancels.push(clientOrderId);
      const order = { ...byId.get(clientOrderId)!, status: 'cancelled' as const };
      byId.set(clientOrderId, order);
      return order;
    },
    fetchOrder: async (_symbol: string, clientOrderId: string) => {
      if (options.failLookups) throw new TrancheError('venue-unavailable', '503');
      return byId.get(clientOrderId);
    },
    openOrders: async () => [],
    balances: async () => [],
  } as unknown as Venue & { cancels: string[] };
}

const startedEvent: ExecutionEvent = {
  type: 'execution-started', executionId: 'p', ts: 1_000, request: { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1, params: { durationMs: 60_000 } },
  strategy: 'twap', arrivalPrice: 100, market,
};

describe('recovery', () => {
  it('folds a journal: latest child states (fills as their floor), fills once, the highest client id sequence, merged checkpoints', () => {
    const state = foldJournal([
      startedEvent,
      { type: 'checkpoint', executionId: 'p', ts: 1_000, state: { params: { durationMs: 60_000, startTime: 1_000 } } },
      { type: 'child-order-intent', executionId: 'p', ts: 1_001, order: child(1) },
      { type: 'child-order-intent', executionId: 'p', ts: 1_002, order: child(12) },
      { type: 'child-order-updated', executionId: 'p', ts: 1_003, order: child(1, { status: 'open' }) },
      { type: 'fill', executionId: 'p', ts: 1_004, fill: fill(1, 0.1, 'a') },
      { type: 'fill', executionId: 'p', ts: 1_004, fill: fill(1, 0.1, 'a') },
      { type: 'checkpoint', executionId: 'p', ts: 1_005, state: { planIndex: 3 } },
    ])!;
    // The fill arrived after the last status update: the fills are the floor of the child's state.
    expect(state.children.get('p-1')).toMatchObject({ status: 'partially_filled', filledQuantity: 0.1, averagePrice: 100 });
    expect(state.fills).toHaveLength(1);
    expect(state.lastClientOrderSequence).toBe(12);
    expect(state.checkpoint).toEqual({ params: { durationMs: 60_000, startTime: 1_000 }, planIndex: 3 });
    expect(state.ended).toBe(false);
    expect(foldJournal([])).toBeUndefined();
  });

  it('reconciles: an open order is cancelled with its missed fills, a filled one gets its fills, an unsent one is marked', async () => {
    const venue = fakeVenue([child(1, { status: 'partially_filled', filledQuantity: 0.1, averagePrice: 100 }), child(2, { status: 'filled', filledQuantity: 0.25, averagePrice: 101 })]);
    const open = await reconcileChild(venue, child(1, { status: 'open' }), [], 2_000, market);
    expect(open.found).toBe('open');
    expect(open.order.status).toBe('cancelled');
    expect(open.missedFills.map((item) => item.quantity)).toEqual([0.1]);
    const filled = await reconcileChild(venue, child(2, { status: 'open' }), [fill(2, 0.05)], 2_000, market);
    expect(filled.order.status).toBe('filled');
    expect(filled.missedFills[0]!.quantity).toBeCloseTo(0.2, 12);
    // (101 × 0.25 − 100 × 0.05) / 0.2: the missed part's price makes the average the venue's.
    expect(filled.missedFills[0]!.price).toBeCloseTo(101.25, 9);
    expect(filled.order.averagePrice).toBeCloseTo(101, 9);
    const unsent = await reconcileChild(venue, child(3), [], 2_000, market);
    expect(unsent.order.status).toBe('rejected');
    expect(unsent.order.reason).toMatch(/never arrived/);
    const lost = await reconcileChild(venue, child(4, { status: 'open' }), [], 2_000, market);
    expect(lost.order.status).toBe('cancelled');
    expect(venue.cancels).toEqual(['p-1']);
  });

  it('a venue that cannot answer fails the resume with a retryable error (nothing continues on a guess)', async () => {
    await expect(reconcileChild(fakeVenue([], { failLookups: true }), child(1, { status: 'open' }), [], 2_000, market)).rejects.toMatchObject({ kind: 'venue-unavailable', retryable: true });
  });

  it('pins the window start so a restart keeps the deadline, and ends past it', async () => {
    expect(pinnedParams({ durationMs: 60_000 }, 1_000)).toEqual({ durationMs: 60_000, startTime: 1_000 });
    expect(pinnedParams({ endTime: 9_000 }, 1_000)).toEqual({ endTime: 9_000 });
    expect(deadlineOf({ durationMs: 60_000, startTime: 1_000 })).toBe(61_000);
    const state = foldJournal([startedEvent])!;
    const live = await reconcileExecution(state, fakeVenue([]), () => 2_000);
    expect(live.resume.endReason).toBeUndefined();
    expect(live.params).toEqual({ durationMs: 60_000, startTime: 1_000 });
    const late = await reconcileExecution(state, fakeVenue([]), () => 61_000 - RESUME_DEADLINE_MARGIN_MS);
    expect(late.resume.endReason).toMatch(/deadline .* passed/);
  });

  it('property: after reconciliation every child is terminal, the fills per child equal what the venue filled, and never exceed the parent', async () => {
    const childArb = fc.record({
      journaledStatus: fc.constantFrom('pending', 'open', 'partially_filled', 'filled', 'cancelled'),
      atVenue: fc.boolean(),
      venueStatus: fc.constantFrom('open', 'partially_filled', 'filled', 'cancelled'),
      venueSteps: fc.integer({ min: 0, max: 25 }),
      journaledShare: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(childArb, { minLength: 1, maxLength: 4 }), async (specs) => {
        const events: ExecutionEvent[] = [startedEvent];
        const venueOrders: ChildOrder[] = [];
        const venueFilled = new Map<string, number>();
        specs.forEach((spec, index) => {
          const n = index + 1;
          const filledAtVenue = spec.venueStatus === 'filled' ? 0.25 : Math.round(spec.venueSteps) / 100;
          const journaledFill = spec.journaledStatus === 'pending' ? 0 : Math.floor(filledAtVenue * spec.journaledShare * 10_000) / 10_000;
          const terminal = spec.journaledStatus === 'filled' || spec.journaledStatus === 'cancelled';
          const journaled = child(n, { status: spec.journaledStatus as ChildOrder['status'], filledQuantity: terminal ? filledAtVenue : journaledFill });
          events.push({ type: 'child-order-intent', executionId: 'p', ts: 1_001, order: child(n) }, { type: 'child-order-updated', executionId: 'p', ts: 1_002, order: journaled });
          const journaledFills = terminal ? filledAtVenue : journaledFill;
          if (journaledFills > 0) events.push({ type: 'fill', executionId: 'p', ts: 1_003, fill: fill(n, journaledFills) });
          const atVenue = spec.atVenue || spec.journaledStatus !== 'pending';
          if (atVenue) venueOrders.push(child(n, { status: spec.venueStatus, filledQuantity: filledAtVenue, averagePrice: filledAtVenue > 0 ? 100 : 0 }));
          venueFilled.set(`p-${n}`, atVenue ? filledAtVenue : 0);
        });
        const state = foldJournal(events)!;
        const { resume } = await reconcileExecution(state, fakeVenue(venueOrders), () => 2_000);
        let total = 0;
        for (const order of resume.children) {
          expect(['filled', 'cancelled', 'rejected', 'expired']).toContain(order.status);
          const byFills = resume.fills.filter((item) => item.clientOrderId === order.clientOrderId).reduce((sum, item) => sum + item.quantity, 0);
          expect(byFills).toBeCloseTo(venueFilled.get(order.clientOrderId)!, 9);
          expect(order.filledQuantity).toBeCloseTo(byFills, 9);
          total += byFills;
        }
        expect(total).toBeLessThanOrEqual(state.request.quantity + 1e-9);
        expect(resume.lastClientOrderSequence).toBe(specs.length);
      }),
      { numRuns: 200 },
    );
  });
});
