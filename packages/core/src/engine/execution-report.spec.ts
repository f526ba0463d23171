import { ContainerModule } from 'inversify';
import { Subject, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ExecutionContext } from '../contracts/execution-context.js';
import { ExecutionStrategy, type StrategyAction } from '../contracts/execution-strategy.js';
import { MarketDataSource } from '../contracts/market-data-source.js';
import { Venue, type VenueOrderRequest } from '../contracts/venue.js';
import { ExecutionReportSchema, type ExecutionReport } from '../model/execution.schema.js';
import type { Balance, Fill } from '../model/fill.schema.js';
import type { MarketEvent, MarketInfo } from '../model/market.schema.js';
import type { ChildOrder } from '../model/order.schema.js';
import { createTranche } from '../plugin/create-tranche.js';
import { definePlugin } from '../plugin/define-plugin.js';
import { VirtualClock, yieldToEventLoop } from '../time/virtual-clock.js';

const MARKET: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.001, minQuantity: 0.001, minNotional: 1, makerFeeBps: 0, takerFeeBps: 0 };
const FILL_PRICE = 101;

/** A venue that fills market orders at once at `FILL_PRICE` and rests everything else. */
class TinyVenue implements Venue {
  readonly id = 'tiny';
  private readonly updates = new Subject<ChildOrder>();
  private readonly fillSubject = new Subject<Fill>();
  readonly orderUpdates$ = this.updates.asObservable();
  readonly fills$ = this.fillSubject.asObservable();
  constructor(private readonly clock: VirtualClock) {}
  async initialize(): Promise<void> {}
  async markets(): Promise<MarketInfo[]> {
    return [MARKET];
  }
  async market(): Promise<MarketInfo> {
    return MARKET;
  }
  async placeOrder(request: VenueOrderRequest): Promise<ChildOrder> {
    const now = this.clock.now();
    const order: ChildOrder = { ...request, filledQuantity: 0, averagePrice: 0, status: 'open', createdAt: now, updatedAt: now };
    if (request.type !== 'market') return order;
    this.fillSubject.next({
      fillId: `f-${request.clientOrderId}`,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      side: request.side,
      ts: now,
      price: FILL_PRICE,
      quantity: request.quantity,
      fee: 0,
      feeCurrency: 'USDT',
      liquidity: 'taker',
    });
    return { ...order, status: 'filled', filledQuantity: request.quantity, averagePrice: FILL_PRICE };
  }
  async cancelOrder(): Promise<ChildOrder> {
    throw new Error('not used');
  }
  async fetchOrder(): Promise<ChildOrder | undefined> {
    return undefined;
  }
  async openOrders(): Promise<ChildOrder[]> {
    return [];
  }
  async balances(): Promise<Balance[]> {
    return [];
  }
  async close(): Promise<void> {}
}

/** A data source the test drives by hand. */
class HandSource implements MarketDataSource {
  readonly id = 'hand';
  private readonly subject = new Subject<MarketEvent>();
  readonly events$ = this.subject.asObservable();
  constructor(private readonly clock: VirtualClock) {}
  symbols(): readonly string[] {
    return ['BTC/USDT'];
  }
  async initialize(): Promise<void> {}
  async start(): Promise<void> {
    this.emit({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: this.clock.now(), sequence: 1, bids: [[99, 5]], asks: [[101, 5]] });
  }
  emit(event: MarketEvent): void {
    this.clock.advanceTo(event.ts);
    this.subject.next(event);
  }
  async close(): Promise<void> {
    this.subject.complete();
  }
}

/** A strategy whose actions the test sends by hand, exposing its context. */
function handStrategy(): { plugin: ReturnType<typeof definePlugin>; actions: Subject<StrategyAction>; context: () => ExecutionContext<unknown> } {
  const actions = new Subject<StrategyAction>();
  let captured: ExecutionContext<unknown> | undefined;
  const strategy: ExecutionStrategy<Record<string, never>> = {
    id: 'by-hand',
    description: 'actions sent by the test',
    paramsSchema: z.object({}).strict(),
    execute: (ctx): Observable<StrategyAction> => {
      captured = ctx as ExecutionContext<unknown>;
      return actions.asObservable();
    },
  };
  const plugin = definePlugin({ name: 'by-hand', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(ExecutionStrategy).toConstantValue(strategy)) });
  return { plugin, actions, context: () => captured! };
}

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await yieldToEventLoop();
}

async function run(side: 'buy' | 'sell', script: (tools: { actions: Subject<StrategyAction>; ctx: ExecutionContext<unknown>; source: HandSource }) => Promise<void>): Promise<ExecutionReport> {
  const clock = new VirtualClock(1_000_000);
  const venue = new TinyVenue(clock);
  const source = new HandSource(clock);
  const { plugin, actions, context } = handStrategy();
  const harness = definePlugin({
    name: 'harness',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(Venue).toConstantValue(venue);
      bind(MarketDataSource).toConstantValue(source);
    }),
  });
  const tranche = createTranche({ plugins: [harness, plugin], clock });
  await tranche.manager.initialize();
  const done = tranche.manager.executeOrder({ symbol: 'BTC/USDT', side, type: 'by-hand', quantity: 1 });
  await settle();
  await script({ actions, ctx: context(), source });
  const report = await done;
  await tranche.close();
  return report;
}

describe('Execution report: market VWAP, completion and the schedule series', () => {
  it('reports the market VWAP of the trades during the execution and the slippage against it', async () => {
    const report = await run('buy', async ({ actions, ctx, source }) => {
      source.emit({ type: 'trade', symbol: 'BTC/USDT', ts: 1_001_000, price: 100, quantity: 1, takerSide: 'buy', tradeId: '1' });
      source.emit({ type: 'trade', symbol: 'BTC/USDT', ts: 1_002_000, price: 110, quantity: 3, takerSide: 'sell', tradeId: '2' });
      actions.next({ kind: 'schedule', scheduledQuantity: 0.5 });
      source.emit({ type: 'book-delta', symbol: 'BTC/USDT', ts: 1_003_000, sequence: 2, bids: [[99.5, 1]], asks: [] });
      actions.next({ kind: 'schedule', scheduledQuantity: 0.6 });
      actions.next({ kind: 'schedule', scheduledQuantity: 0.7 });
      ctx.reportCompletion?.({ policy: 'sweep', outcome: 'swept', remainingQuantity: 1, ts: ctx.clock.now() });
      actions.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity: 1, reason: 'sweep' });
      actions.complete();
      await settle();
    });
    expect(ExecutionReportSchema.parse(report)).toEqual(report);
    expect(report.status).toBe('filled');
    expect(report.marketVolume).toBe(4);
    expect(report.marketVwap).toBeCloseTo(107.5, 12);
    expect(report.vwapSlippageBps).toBeCloseTo(((FILL_PRICE - 107.5) / 107.5) * 10_000, 9);
    expect(report.completion).toEqual({ policy: 'sweep', outcome: 'swept', remainingQuantity: 1, ts: 1_003_000 });
    // One point per schedule timestamp (the last action wins); the end replaces the point at its own timestamp.
    expect(report.schedule).toEqual([
      { ts: 1_002_000, scheduledQuantity: 0.5, filledQuantity: 0 },
      { ts: 1_003_000, scheduledQuantity: 0.7, filledQuantity: 1 },
    ]);
    expect(report.endedAt).toBe(1_003_000);
  });

  it('signs the VWAP slippage of a sell as the trader sees it', async () => {
    const report = await run('sell', async ({ actions, ctx, source }) => {
      source.emit({ type: 'trade', symbol: 'BTC/USDT', ts: 1_001_000, price: 100, quantity: 2, takerSide: 'buy', tradeId: '1' });
      actions.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity: 1, reason: 'take' });
      actions.complete();
      await settle();
    });
    // Sold at 101 against a market VWAP of 100: better than the market, so negative.
    expect(report.vwapSlippageBps).toBeCloseTo(-100, 9);
    expect(report.completion).toBeUndefined();
    expect(report.schedule).toBeUndefined();
  });

  it('has no market VWAP when no trade printed during the execution', async () => {
    const report = await run('buy', async ({ actions, ctx }) => {
      actions.next({ kind: 'place', clientOrderId: ctx.nextClientOrderId(), type: 'market', quantity: 1, reason: 'take' });
      actions.complete();
      await settle();
    });
    expect(report.marketVolume).toBe(0);
    expect(report.marketVwap).toBeNull();
    expect(report.vwapSlippageBps).toBeNull();
    expect(ExecutionReportSchema.safeParse(report).success).toBe(true);
  });
});
