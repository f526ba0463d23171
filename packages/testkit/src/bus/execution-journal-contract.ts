import { describe, expect, it } from 'vitest';
import { TrancheError, type ChildOrder, type ExecutionEvent, type ExecutionJournal, type ExecutionReport, type MarketInfo } from '@tranche/core';
import { uniqueToken } from './eventually.js';

/** What `executionJournalContract` needs: journal handles on one backend. */
export interface ExecutionJournalHarness {
  /** A journal on the harness's backend (each call may be another "process", e.g. after a crash). */
  openJournal(): Promise<ExecutionJournal>;
  /** Closes every handle and whatever the harness started. */
  close(): Promise<void>;
}

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.0001, minQuantity: 0.0001, minNotional: 5, makerFeeBps: 1, takerFeeBps: 2 };

/** An `execution-started` event for the journal contract. */
export function journalStartedEvent(executionId: string, ts = 1_000): ExecutionEvent {
  return { type: 'execution-started', executionId, ts, request: { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 }, strategy: 'twap', arrivalPrice: 100, market };
}

/** A `child-order-intent` event (child `n` of the execution) for the journal contract. */
export function journalIntentEvent(executionId: string, n: number): ExecutionEvent {
  const order: ChildOrder = {
    clientOrderId: `${executionId}-${n}`,
    parentId: executionId,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    price: 100,
    quantity: 0.25,
    filledQuantity: 0,
    averagePrice: 0,
    status: 'pending',
    createdAt: 1_000 + n,
    updatedAt: 1_000 + n,
  };
  return { type: 'child-order-intent', executionId, ts: 1_000 + n, order };
}

/** An `execution-ended` event for the journal contract. */
export function journalEndedEvent(executionId: string, ts = 2_000): ExecutionEvent {
  const report: ExecutionReport = {
    id: executionId, symbol: 'BTC/USDT', side: 'buy', type: 'twap', strategy: 'twap', status: 'filled', endReason: 'filled', requestedQuantity: 1, filledQuantity: 1,
    averagePrice: 100, arrivalPrice: 100, slippageBps: 0, fees: 0, feeCurrency: 'USDT', notional: 100, startedAt: 1_000, endedAt: ts, childOrders: [], fills: [], errors: [],
  };
  return { type: 'execution-ended', executionId, ts, status: 'filled', report };
}

/**
 * The contract every durable `ExecutionJournal` must honour: events come back in call
 * order (also when `record` is called again before the previous one resolved, as the
 * engine does), from another handle (a restarted process); unfinished executions are
 * listed until they end; a bad event is refused with a validation error and not stored.
 */
export function executionJournalContract(name: string, makeHarness: () => Promise<ExecutionJournalHarness>): void {
  const withHarness = (body: (harness: ExecutionJournalHarness, scope: string) => Promise<void>) => async () => {
    const harness = await makeHarness();
    try {
      await body(harness, uniqueToken('x'));
    } finally {
      await harness.close();
    }
  };

  describe(`execution journal contract: ${name}`, () => {
    it('returns an execution\'s events in call order, to another handle too', withHarness(async (harness, scope) => {
      const writer = await harness.openJournal();
      const events = [journalStartedEvent(scope), ...Array.from({ length: 8 }, (_, n) => journalIntentEvent(scope, n + 1))];
      await Promise.all(events.map((event) => writer.record(event)));
      expect(await writer.events(scope)).toEqual(events);
      const reader = await harness.openJournal();
      expect(await reader.events(scope)).toEqual(events);
      expect(await reader.events(`${scope}none`)).toEqual([]);
    }));

    it('lists executions started and not ended', withHarness(async (harness, scope) => {
      const journal = await harness.openJournal();
      await journal.record(journalStartedEvent(`${scope}a`));
      await journal.record(journalStartedEvent(`${scope}b`, 1_500));
      await journal.record(journalIntentEvent(`${scope}a`, 1));
      const mine = (ids: string[]) => ids.filter((id) => id.startsWith(scope)).sort();
      expect(mine(await journal.unfinished())).toEqual([`${scope}a`, `${scope}b`]);
      await journal.record(journalEndedEvent(`${scope}b`));
      expect(mine(await journal.unfinished())).toEqual([`${scope}a`]);
      expect(mine(await (await harness.openJournal()).unfinished())).toEqual([`${scope}a`]);
    }));

    it('refuses an event that does not match the schema, naming the field, and stores nothing', withHarness(async (harness, scope) => {
      const journal = await harness.openJournal();
      const bad = { ...journalStartedEvent(scope), arrivalPrice: 'high' } as unknown as ExecutionEvent;
      const error = await journal.record(bad).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).message).toContain('arrivalPrice');
      expect(await journal.events(scope)).toEqual([]);
    }));
  });
}
