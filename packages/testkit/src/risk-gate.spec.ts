import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { KILL_SWITCH_RECANCEL_INTERVAL_MS, KillSwitch, RiskCheck, TrancheError, RiskGate, definePlugin, isTrancheError, type ChildOrder, type KillSwitchEvent, type RiskContext, type RiskRejection, yieldToEventLoop } from '@tranche/core';
import { InMemoryVenue } from './in-memory-venue.js';
import { TestBench } from './test-bench.js';
import { testStrategies, type FixedOrder } from './test-strategies.js';

/** A check refusing any child order above `maxQuantity` and any parent above `maxParentQuantity`. */
function quantityCheck(maxQuantity: number, maxParentQuantity = Number.POSITIVE_INFINITY) {
  const seen: RiskContext[] = [];
  const check: RiskCheck = {
    id: 'quantity',
    check: (order: ChildOrder, context) => {
      seen.push(context);
      return order.quantity > maxQuantity ? { ok: false, limit: 'max-quantity', reason: `${order.quantity} > ${maxQuantity}` } : { ok: true };
    },
    checkParent: (request) => (request.quantity > maxParentQuantity ? { ok: false, limit: 'max-parent-quantity', reason: `${request.quantity} > ${maxParentQuantity}` } : { ok: true }),
  };
  return {
    seen,
    plugin: definePlugin({ name: 'quantity-check', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(RiskCheck).toConstantValue(check)) }),
  };
}

async function bench(fixed: FixedOrder[], maxQuantity: number, maxParentQuantity?: number) {
  const check = quantityCheck(maxQuantity, maxParentQuantity);
  const created = await TestBench.create({ plugins: [testStrategies(fixed), check.plugin] });
  const rejections: RiskRejection[] = [];
  created.tranche.get(RiskGate).rejections$.subscribe((rejection) => rejections.push(rejection));
  return { bench: created, venue: created.venue as InMemoryVenue, rejections, seen: check.seen };
}

describe('RiskGate in the order router', () => {
  it('rejects a breaching child before the venue, with a risk error event, and never retries it', async () => {
    const { bench: b, venue, rejections, seen } = await bench([{ type: 'market', quantity: 0.5 }, { type: 'market', quantity: 2 }], 1);
    const report = await b.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity: 2.5 });
    expect(venue.allOrders().map((order) => order.quantity)).toEqual([0.5]);
    expect(report.status).toBe('partially_filled');
    const errors = b.events.filter((event) => event.type === 'child-order-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: { kind: 'risk', retryable: false }, willRetry: false });
    expect(errors[0]!.type === 'child-order-error' && errors[0]!.error.message).toContain('max-quantity');
    expect(report.childOrders.find((child) => child.quantity === 2)).toMatchObject({ status: 'rejected' });
    expect(rejections).toEqual([expect.objectContaining({ check: 'quantity', limit: 'max-quantity', parentId: report.id })]);
    expect(seen[0]!.referencePrice).toBeGreaterThan(0);
    expect(seen[1]!.position.openBuy + seen[1]!.position.filled).toBeCloseTo(0.5);
    await b.close();
  });

  it('ends the parent as rejected when every child is refused', async () => {
    const { bench: b, venue } = await bench([{ type: 'market', quantity: 2 }], 1);
    const report = await b.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity: 2 });
    expect(report.status).toBe('rejected');
    expect(report.errors[0]).toMatchObject({ kind: 'risk' });
    expect(venue.allOrders()).toHaveLength(0);
    await b.close();
  });

  it('refuses a parent in executeOrder before anything is sent', async () => {
    const { bench: b, venue } = await bench([{ type: 'market', quantity: 2 }], 10, 1);
    const error = await b.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'fixed', quantity: 2 }).catch((failure: unknown) => failure);
    expect(isTrancheError(error, 'risk')).toBe(true);
    expect(venue.allOrders()).toHaveLength(0);
    expect(b.events).toHaveLength(0);
    await b.close();
  });
});

describe('KillSwitch', () => {
  it('cancels every working child of every execution, ends each parent cancelled with the reason and refuses new orders', async () => {
    const b = await TestBench.create({ plugins: [testStrategies()] });
    const venue = b.venue as InMemoryVenue;
    const killSwitch = b.tranche.get(KillSwitch);
    const steps: KillSwitchEvent[] = [];
    killSwitch.events$.subscribe((event) => steps.push(event));
    const first = b.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 1 });
    const second = b.manager.executeOrder({ symbol: 'BTC/USDT', side: 'sell', type: 'resting', quantity: 2 });
    for (let round = 0; round < 50 && (await venue.openOrders()).length < 2; round++) {
      await yieldToEventLoop();
      await b.runLoop.settle();
    }
    expect(await venue.openOrders()).toHaveLength(2);
    const engaged = killSwitch.engage('operator test');
    await b.runLoop.settle();
    const result = await engaged;
    const reports = await Promise.all([first, second]);
    expect(await venue.openOrders()).toHaveLength(0);
    for (const report of reports) {
      expect(report.status).toBe('cancelled');
      expect(report.endReason).toBe('kill switch: operator test');
      expect(report.childOrders.every((child) => child.status === 'cancelled')).toBe(true);
    }
    expect(result.reports.map((report) => report.id).sort()).toEqual(reports.map((report) => report.id).sort());
    expect(steps.map((step) => step.type)).toEqual(['engaged', 'stopping', 'stopping', 'stopped', 'stopped', 'completed']);
    expect(killSwitch.engage('again')).toBe(engaged);
    const refused = await b.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 1 }).catch((error: unknown) => error);
    expect(isTrancheError(refused, 'risk')).toBe(true);
    expect((refused as Error).message).toContain('kill switch engaged: operator test');
    expect(venue.allOrders()).toHaveLength(2);
    await b.close();
  });

  it('cancels again a child whose cancel the venue refused, until the parent is terminal', async () => {
    const b = await TestBench.create({ plugins: [testStrategies()] });
    const venue = b.venue as InMemoryVenue;
    const done = b.manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 1 });
    for (let round = 0; round < 50 && (await venue.openOrders()).length < 1; round++) {
      await yieldToEventLoop();
      await b.runLoop.settle();
    }
    venue.failNext(new TrancheError('venue-rejected', 'cancel refused'));
    let finished = false;
    const engaged = b.tranche.get(KillSwitch).engage('venue refuses the first cancel');
    void engaged.then(() => (finished = true));
    await b.runLoop.settle();
    expect(finished).toBe(false);
    expect(await venue.openOrders()).toHaveLength(1);
    b.clock.advanceBy(KILL_SWITCH_RECANCEL_INTERVAL_MS);
    await b.runLoop.settle();
    const result = await engaged;
    expect((await done).status).toBe('cancelled');
    expect(result.reports).toHaveLength(1);
    expect(await venue.openOrders()).toHaveLength(0);
    await b.close();
  });

  it('resolves at once with no execution running', async () => {
    const b = await TestBench.create({ plugins: [testStrategies()] });
    const result = await b.tranche.get(KillSwitch).engage('nothing to do');
    expect(result.reports).toEqual([]);
    expect(b.tranche.get(RiskGate).halted).toBe(true);
    await b.close();
  });
});
