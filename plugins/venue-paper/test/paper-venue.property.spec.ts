import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TERMINAL_CHILD_STATUSES,
  VirtualClock,
  type Balance,
  type BookLevel,
  type ChildOrder,
  type Fill,
  type OrderSide,
  type TimeInForce,
  type VenueOrderRequest,
} from '@tranche/core';
import { PaperVenue } from '../src/index.js';

const SYMBOL = 'BTC/USDT';
const STEP = 0.00001;
/** Quantities are whole lots of 0.001 BTC, prices whole ticks around 60,000. */
const LOT = 0.001;
const MID_TICKS = 6_000_000;
const LATENCY_MS = 20;
const TAKER_FEE = 10 / 10_000;
const START_MS = 1_723_161_600_000;

type Action =
  | { kind: 'order'; side: OrderSide; type: 'market' | 'limit'; timeInForce: TimeInForce; lots: number; offsetTicks: number }
  | { kind: 'trade'; takerSide: OrderSide; offsetTicks: number; lots: number }
  | { kind: 'delta'; side: 'bids' | 'asks'; offsetTicks: number; lots: number }
  | { kind: 'cancel'; index: number }
  | { kind: 'wait'; ms: number };

interface Scenario {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  balances: { USDT: number; BTC: number };
  queueModel: 'conservative' | 'pro-rata';
  actions: Action[];
}

const price = (ticks: number): number => Math.round(ticks) / 100;
const lots = (count: number): number => Math.round(count * LOT * 1e8) / 1e8;

const levelsArbitrary = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 400 })), {
  minLength: 0,
  maxLength: 8,
  selector: ([offset]) => offset,
});

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      side: fc.constantFrom<OrderSide>('buy', 'sell'),
      type: fc.constantFrom<'market' | 'limit'>('market', 'limit', 'limit'),
      timeInForce: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'IOC', 'FOK', 'GTX'),
      lots: fc.integer({ min: 1, max: 800 }),
      offsetTicks: fc.integer({ min: -12, max: 12 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('trade' as const),
      takerSide: fc.constantFrom<OrderSide>('buy', 'sell'),
      offsetTicks: fc.integer({ min: -12, max: 12 }),
      lots: fc.integer({ min: 1, max: 600 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delta' as const),
      side: fc.constantFrom<'bids' | 'asks'>('bids', 'asks'),
      offsetTicks: fc.integer({ min: -12, max: 12 }),
      lots: fc.integer({ min: 0, max: 400 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat({ max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 60 }) }) },
);

const scenarioArbitrary: fc.Arbitrary<Scenario> = fc.record({
  bids: levelsArbitrary,
  asks: levelsArbitrary,
  balances: fc.record({
    USDT: fc.constantFrom(0, 5_000, 200_000, 10_000_000, 10_000_000),
    BTC: fc.constantFrom(0, 0.5, 3, 1_000, 1_000),
  }),
  queueModel: fc.constantFrom<'conservative' | 'pro-rata'>('conservative', 'pro-rata'),
  actions: fc.array(actionArbitrary, { minLength: 5, maxLength: 80, size: 'medium' }),
});

interface OrderRecord {
  request: VenueOrderRequest;
  /** Visible quantity of the opposite book when it reached the matching engine. */
  visibleAtArrival?: number;
  final?: ChildOrder;
  error?: unknown;
}

interface Outcome {
  emissions: Array<{ fill: Fill } | { update: ChildOrder }>;
  orders: OrderRecord[];
  balanceLog: Balance[][];
  final: Balance[];
}

async function run(scenario: Scenario): Promise<Outcome> {
  const clock = new VirtualClock(START_MS);
  const venue = PaperVenue.create({ clock, config: { latencyMs: LATENCY_MS, balances: scenario.balances, queueModel: scenario.queueModel } });
  const emissions: Outcome['emissions'] = [];
  const orders: OrderRecord[] = [];
  const byId = new Map<string, OrderRecord>();
  const balanceLog: Balance[][] = [];
  venue.fills$.subscribe((fill) => emissions.push({ fill }));
  venue.orderUpdates$.subscribe((update) => {
    emissions.push({ update });
    const record = byId.get(update.clientOrderId);
    if (record && record.visibleAtArrival === undefined) {
      const book = venue.book(SYMBOL);
      const side = update.side === 'buy' ? 'asks' : 'bids';
      let visible = 0;
      for (let index = 0; book && index < book.depth(side); index++) visible += book.quantityAt(side, index);
      record.visibleAtArrival = visible;
    }
  });
  let sequence = 1;
  let tradeId = 0;
  const level = (side: 'bids' | 'asks', offset: number): number => price(side === 'bids' ? MID_TICKS - offset : MID_TICKS + offset);
  venue.onMarketEvent({
    type: 'book-snapshot',
    symbol: SYMBOL,
    ts: clock.now(),
    sequence,
    bids: scenario.bids.map(([offset, count]): BookLevel => [level('bids', offset), lots(count)]),
    asks: scenario.asks.map(([offset, count]): BookLevel => [level('asks', offset), lots(count)]),
  });
  const pending: Promise<unknown>[] = [];
  for (const action of scenario.actions) {
    switch (action.kind) {
      case 'order': {
        const request: VenueOrderRequest = {
          clientOrderId: `o${orders.length + 1}`,
          parentId: 'prop',
          symbol: SYMBOL,
          side: action.side,
          type: action.type,
          quantity: lots(action.lots),
          timeInForce: action.timeInForce,
          ...(action.type === 'limit' ? { price: price(MID_TICKS + action.offsetTicks) } : {}),
        };
        const record: OrderRecord = { request };
        orders.push(record);
        byId.set(request.clientOrderId, record);
        pending.push(venue.placeOrder(request).then(
          (ack) => (record.final = ack),
          (error: unknown) => (record.error = error),
        ));
        break;
      }
      case 'trade':
        venue.onMarketEvent({
          type: 'trade',
          symbol: SYMBOL,
          ts: clock.now(),
          price: price(MID_TICKS + action.offsetTicks),
          quantity: lots(action.lots),
          takerSide: action.takerSide,
          tradeId: String(++tradeId),
        });
        break;
      case 'delta': {
        const changed: BookLevel[] = [[price(MID_TICKS + action.offsetTicks), lots(action.lots)]];
        venue.onMarketEvent({
          type: 'book-delta',
          symbol: SYMBOL,
          ts: clock.now(),
          sequence: ++sequence,
          bids: action.side === 'bids' ? changed : [],
          asks: action.side === 'asks' ? changed : [],
        });
        break;
      }
      case 'cancel': {
        const target = orders[action.index % Math.max(1, orders.length)];
        if (target) pending.push(venue.cancelOrder(SYMBOL, target.request.clientOrderId).catch(() => undefined));
        break;
      }
      case 'wait':
        clock.advanceBy(action.ms);
        break;
    }
    balanceLog.push(await venue.balances());
  }
  clock.advanceBy(LATENCY_MS);
  venue.onMarketDataEnd();
  await Promise.all(pending);
  for (const order of await venue.openOrders()) await venue.cancelOrder(SYMBOL, order.clientOrderId);
  for (const record of orders) {
    if (record.final) record.final = await venue.fetchOrder(SYMBOL, record.request.clientOrderId);
  }
  const final = await venue.balances();
  await venue.close();
  return { emissions, orders, balanceLog, final };
}

const fillsOf = (outcome: Outcome, clientOrderId: string): Fill[] =>
  outcome.emissions.flatMap((emission) => ('fill' in emission && emission.fill.clientOrderId === clientOrderId ? [emission.fill] : []));

describe('PaperVenue properties (random books, trades and orders)', () => {
  it('never overfills, never fills beyond the limit or the visible book, and fills reconcile with the orders', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const outcome = await run(scenario);
        for (const record of outcome.orders) {
          const fills = fillsOf(outcome, record.request.clientOrderId);
          const filled = fills.reduce((sum, fill) => sum + fill.quantity, 0);
          if (record.error !== undefined) {
            expect(fills).toEqual([]);
            continue;
          }
          const final = record.final!;
          expect(TERMINAL_CHILD_STATUSES.has(final.status)).toBe(true);
          expect(filled).toBeLessThanOrEqual(record.request.quantity + STEP / 2);
          expect(final.filledQuantity).toBeCloseTo(filled, 9);
          if (filled > 0) {
            const notional = fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0);
            expect(final.averagePrice).toBeCloseTo(notional / filled, 6);
          } else {
            expect(final.averagePrice).toBe(0);
          }
          if (final.status === 'filled') expect(filled).toBeCloseTo(record.request.quantity, 9);
          if (record.request.type === 'market') {
            expect(filled).toBeLessThanOrEqual(record.visibleAtArrival! + 1e-9);
            expect(fills.every((fill) => fill.liquidity === 'taker')).toBe(true);
          }
          if (record.request.timeInForce === 'FOK' && final.status !== 'filled') expect(filled).toBe(0);
          if (record.request.timeInForce === 'GTX') expect(fills.every((fill) => fill.liquidity === 'maker')).toBe(true);
          for (const fill of fills) {
            expect(fill.side).toBe(record.request.side);
            if (record.request.price !== undefined) {
              if (fill.side === 'buy') expect(fill.price).toBeLessThanOrEqual(record.request.price);
              else expect(fill.price).toBeGreaterThanOrEqual(record.request.price);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never reuses a fillId, emits each fill right before its order update, and keeps balances non-negative and conserved', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const outcome = await run(scenario);
        const fills = outcome.emissions.flatMap((emission) => ('fill' in emission ? [emission.fill] : []));
        expect(new Set(fills.map((fill) => fill.fillId)).size).toBe(fills.length);
        outcome.emissions.forEach((emission, index) => {
          if (!('fill' in emission)) return;
          const next = outcome.emissions[index + 1];
          expect(next !== undefined && 'update' in next && next.update.clientOrderId === emission.fill.clientOrderId).toBe(true);
        });
        for (const balances of [...outcome.balanceLog, outcome.final]) {
          for (const entry of balances) {
            expect(entry.free).toBeGreaterThanOrEqual(0);
            expect(entry.locked).toBeGreaterThanOrEqual(0);
          }
        }
        // With every order finished, nothing is locked and the money adds up.
        let btc = scenario.balances.BTC;
        let usdt = scenario.balances.USDT;
        for (const fill of fills) {
          const signed = fill.side === 'buy' ? 1 : -1;
          btc += signed * fill.quantity;
          usdt -= signed * fill.price * fill.quantity + fill.fee;
        }
        const final = new Map(outcome.final.map((entry) => [entry.asset, entry]));
        expect(final.get('BTC')?.locked ?? 0).toBe(0);
        expect(final.get('USDT')?.locked ?? 0).toBe(0);
        expect(final.get('BTC')?.free ?? 0).toBeCloseTo(btc, 8);
        expect(final.get('USDT')?.free ?? 0).toBeCloseTo(usdt, 4);
        for (const fill of fills) {
          if (fill.liquidity === 'taker') expect(fill.fee).toBeCloseTo(fill.price * fill.quantity * TAKER_FEE, 9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives identical results for identical inputs', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const first = await run(scenario);
        const second = await run(scenario);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      { numRuns: 60 },
    );
  });
});
