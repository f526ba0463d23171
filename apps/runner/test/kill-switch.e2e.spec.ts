import { describe, expect, it } from 'vitest';
import { ActiveVenue, KillSwitch, MemoryLogger, RiskGate, TERMINAL_CHILD_STATUSES, type ExecutionEvent, type KillSwitchEvent, type RiskRejection, type Venue } from '@tranche/core';
import { composeRunner } from '../src/compose.js';

/**
 * The kill switch and the default risk limits on the paper venue in virtual time: a TWAP
 * with resting children is stopped mid-run (no working order left, the parent
 * `cancelled` with the reason), and a TWAP whose every child breaches a limit ends
 * instead of hanging.
 */

const config = { 'journal-sqlite': { path: ':memory:' } };
const passiveTwap = {
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'twap',
  quantity: 1,
  // A limit far below the market: every child rests.
  params: { durationMs: 120_000, slices: 4, urgency: 'low', limitPrice: 60_000, completion: 'best-effort' },
};

describe('kill switch on the paper venue (virtual time)', () => {
  it('cancels the resting children of a running TWAP and ends it cancelled with the reason', async () => {
    const tranche = await composeRunner({ config: { ...config }, speed: 'max', logger: new MemoryLogger() });
    try {
      const { manager } = tranche;
      await manager.initialize();
      const killSwitch = tranche.get(KillSwitch);
      const venue = tranche.get<Venue>(ActiveVenue);
      const steps: KillSwitchEvent[] = [];
      killSwitch.events$.subscribe((event) => steps.push(event));
      const events: ExecutionEvent[] = [];
      let engaged: ReturnType<KillSwitch['engage']> | undefined;
      manager.events$.subscribe((event) => {
        events.push(event);
        if (!engaged && event.type === 'child-order-updated' && event.order.status === 'open') engaged = killSwitch.engage('test: operator pressed the button');
      });
      const report = await manager.executeOrder(passiveTwap);
      expect(engaged).toBeDefined();
      const result = await engaged!;
      expect(report.status).toBe('cancelled');
      expect(report.endReason).toBe('kill switch: test: operator pressed the button');
      expect(report.childOrders.length).toBeGreaterThan(0);
      expect(report.childOrders.every((child) => TERMINAL_CHILD_STATUSES.has(child.status))).toBe(true);
      expect(await venue.openOrders('BTC/USDT')).toEqual([]);
      expect(result.reports.map((entry) => entry.id)).toEqual([report.id]);
      expect(steps.map((step) => step.type)).toEqual(['engaged', 'stopping', 'stopped', 'completed']);
      // Nothing was sent after the switch: every child was placed before it.
      const engagedAt = result.engagedAt;
      expect(events.filter((event) => event.type === 'child-order-intent' && event.ts > engagedAt)).toEqual([]);
    } finally {
      await tranche.close();
    }
  }, 60_000);

  it('a TWAP whose every child breaches max_order_notional ends rejected instead of hanging', async () => {
    const tranche = await composeRunner({ config: { ...config, 'risk-limits': { max_order_notional: 100 } }, speed: 'max', logger: new MemoryLogger() });
    try {
      await tranche.manager.initialize();
      const rejections: RiskRejection[] = [];
      tranche.get(RiskGate).rejections$.subscribe((rejection) => rejections.push(rejection));
      const report = await tranche.manager.executeOrder({ ...passiveTwap, params: { durationMs: 60_000, slices: 3 } });
      expect(report.filledQuantity).toBe(0);
      expect(['rejected', 'expired']).toContain(report.status);
      expect(report.childOrders.length).toBeGreaterThan(0);
      expect(report.childOrders.every((child) => child.status === 'rejected')).toBe(true);
      expect(report.errors.every((error) => error.kind === 'risk' && error.message.includes('max_order_notional 100'))).toBe(true);
      expect(rejections.length).toBe(report.childOrders.length);
      expect(await tranche.get<Venue>(ActiveVenue).openOrders()).toEqual([]);
    } finally {
      await tranche.close();
    }
  }, 60_000);

  it('refuses a parent beyond max_parent_notional before anything is sent', async () => {
    const tranche = await composeRunner({ config: { ...config, 'risk-limits': { max_parent_notional: 10_000 } }, speed: 'max', logger: new MemoryLogger() });
    try {
      await tranche.manager.initialize();
      await expect(tranche.manager.executeOrder(passiveTwap)).rejects.toThrow(/max-parent-notional.*60000 \(1 × 60000\) exceeds max_parent_notional 10000/);
      expect(tranche.manager.activeExecutions()).toEqual([]);
    } finally {
      await tranche.close();
    }
  }, 60_000);
});
