import { expect } from 'vitest';
import type { ExecutionEvent, ExecutionReport, MarketEvent, MarketInfo, VenueOrderRequest } from '@tranche/core';
import { expectConsistentReport } from './strategy-contract.js';

/** What `expectAlgoInvariants` checks a report against. */
export interface InvariantInput {
  report: ExecutionReport;
  /** Every order the venue received. */
  received: readonly VenueOrderRequest[];
  /** The execution's events (child-order intents give each child's time). */
  executionEvents: readonly ExecutionEvent[];
  /** The market events replayed (for the participation check). */
  events: readonly MarketEvent[];
  market: MarketInfo;
  limitPrice?: number | undefined;
  maxParticipation?: number | undefined;
  /** End of the execution window: the end-time sweep is allowed beyond the cap. */
  endTime: number;
}

/**
 * The invariants of every algorithmic execution: never overfills, filled equals the sum
 * of fills, unique client ids, never beyond the limit price, no child below the venue
 * minimum, and never more than `maxParticipation` of the market volume since the start
 * by more than one child order (before the end-time sweep).
 */
export function expectAlgoInvariants(input: InvariantInput): void {
  const { report, received, market } = input;
  expectConsistentReport(report, report.requestedQuantity);
  const fillSum = report.fills.reduce((sum, fill) => sum + fill.quantity, 0);
  expect(fillSum).toBeLessThanOrEqual(report.requestedQuantity + market.stepSize / 2);
  const ids = received.map((order) => order.clientOrderId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const order of received) {
    expect(order.quantity).toBeGreaterThanOrEqual(market.minQuantity);
    if (input.limitPrice !== undefined && order.price !== undefined) {
      if (report.side === 'buy') expect(order.price).toBeLessThanOrEqual(input.limitPrice + 1e-9);
      else expect(order.price).toBeGreaterThanOrEqual(input.limitPrice - 1e-9);
    }
  }
  if (input.limitPrice !== undefined) {
    for (const fill of report.fills) {
      if (report.side === 'buy') expect(fill.price).toBeLessThanOrEqual(input.limitPrice + 1e-9);
      else expect(fill.price).toBeGreaterThanOrEqual(input.limitPrice - 1e-9);
    }
  }
  if (input.maxParticipation !== undefined) {
    const beforeEnd = input.executionEvents.flatMap((event) => (event.type === 'child-order-intent' && event.ts < input.endTime ? [event.order.quantity] : []));
    const largestChild = Math.max(0, ...beforeEnd);
    const trades = input.events.filter((event): event is Extract<MarketEvent, { type: 'trade' }> => event.type === 'trade' && event.ts >= report.startedAt);
    let filled = 0;
    for (const fill of report.fills) {
      filled += fill.quantity;
      if (fill.ts >= input.endTime) continue;
      const volume = trades.filter((trade) => trade.ts <= fill.ts).reduce((sum, trade) => sum + trade.quantity, 0);
      expect(filled).toBeLessThanOrEqual(input.maxParticipation * volume + largestChild + 1e-9);
    }
  }
}
