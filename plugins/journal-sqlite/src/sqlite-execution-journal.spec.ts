import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionJournal, TrancheError, createTranche, foldJournal, type ChildOrder, type ExecutionEvent, type ExecutionReport, type MarketInfo } from '@tranche/core';
import journalSqlitePlugin, { SqliteExecutionHistoryStore, SqliteExecutionJournal } from './index.js';

const journals: SqliteExecutionJournal[] = [];

function tempPath(name = 'journal.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'tranche-wal-')), name);
}

function open(path: string): SqliteExecutionJournal {
  const journal = SqliteExecutionJournal.open({ journal: { path } });
  journals.push(journal);
  return journal;
}

afterEach(async () => {
  for (const journal of journals.splice(0)) await journal.close();
});

const market: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', tickSize: 0.01, stepSize: 0.0001, minQuantity: 0.0001, minNotional: 5, makerFeeBps: 1, takerFeeBps: 2 };

function started(executionId: string, ts = 1_000): ExecutionEvent {
  return { type: 'execution-started', executionId, ts, request: { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 }, strategy: 'twap', arrivalPrice: 100, market };
}

function child(executionId: string, n: number, patch: Partial<ChildOrder> = {}): ChildOrder {
  return {
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
    ...patch,
  };
}

describe('SqliteExecutionJournal', () => {
  it('records events durably in order (WAL, synchronous FULL) and lists unfinished executions', async () => {
    const path = tempPath();
    const journal = open(path);
    await journal.record(started('a'));
    await journal.record({ type: 'child-order-intent', executionId: 'a', ts: 1_001, order: child('a', 1) });
    await journal.record(started('b', 2_000));
    expect(await journal.unfinished()).toEqual(['a', 'b']);
    await journal.close();
    const db = new BetterSqlite3(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = open(path);
    expect((await again.events('a')).map((event) => event.type)).toEqual(['execution-started', 'child-order-intent']);
    expect(again.eventCount()).toBe(3);
  });

  it('an ended execution is no longer unfinished; compaction removes its events, keeps its summary, and leaves open ones alone', async () => {
    const journal = open(tempPath());
    await journal.record(started('done'));
    await journal.record(started('open', 1_500));
    const report: ExecutionReport = {
      id: 'done', symbol: 'BTC/USDT', side: 'buy', type: 'twap', strategy: 'twap', status: 'filled', endReason: 'filled', requestedQuantity: 1, filledQuantity: 1,
      averagePrice: 100, arrivalPrice: 100, slippageBps: 0, fees: 0, feeCurrency: 'USDT', notional: 100, startedAt: 1_000, endedAt: 2_000, childOrders: [], fills: [], errors: [],
    };
    await journal.record({ type: 'execution-ended', executionId: 'done', ts: 2_000, status: 'filled', report });
    expect(await journal.unfinished()).toEqual(['open']);
    expect(journal.compact()).toEqual({ executions: 1, events: 2 });
    expect(await journal.events('done')).toEqual([]);
    expect(await journal.events('open')).toHaveLength(1);
    expect(journal.compact()).toEqual({ executions: 0, events: 0 });
  });

  it('keeps the run settings', () => {
    const journal = open(tempPath());
    journal.saveSettings('run', { venue: 'ccxt', config: { 'venue-ccxt': { exchange: 'binance' } } });
    expect(journal.settings('run')).toEqual({ venue: 'ccxt', config: { 'venue-ccxt': { exchange: 'binance' } } });
    expect(journal.settings('nothing')).toBeUndefined();
  });

  it('refuses a foreign SQLite file, a history database and a file that is not SQLite, naming the path', async () => {
    const foreign = tempPath('foreign.db');
    const db = new BetterSqlite3(foreign);
    db.exec('CREATE TABLE people (name TEXT)');
    db.close();
    const history = tempPath('tranche.db');
    await SqliteExecutionHistoryStore.open({ path: history }).initialize();
    const text = tempPath('notes.db');
    writeFileSync(text, 'this is not a database at all, just some text that is long enough to have a header '.repeat(20));
    for (const path of [foreign, history, text]) {
      const journal = open(path);
      await expect(journal.unfinished()).rejects.toSatisfy((error: unknown) => error instanceof TrancheError && error.kind === 'validation' && error.message.includes(path));
      await expect(journal.record(started('x'))).rejects.toBeInstanceOf(TrancheError);
    }
  });

  it('a damaged event row is a validation error naming it, not a crash', async () => {
    const path = tempPath();
    const journal = open(path);
    await journal.record(started('a'));
    await journal.close();
    const db = new BetterSqlite3(path);
    db.prepare("UPDATE events SET event_json = '{\"type\":\"bogus\"' WHERE seq = 1").run();
    db.close();
    await expect(open(path).events('a')).rejects.toThrow(/invalid journal .*event 1 is not JSON/);
  });

  it('disabled (the plugin default) records nothing and finds nothing to resume', async () => {
    const path = tempPath();
    const tranche = createTranche({ config: { 'journal-sqlite': { path: tempPath('history.db'), journal: { path } } }, plugins: [journalSqlitePlugin] });
    const journal = tranche.get<ExecutionJournal>(ExecutionJournal);
    expect(journal.enabled).toBe(false);
    await journal.record(started('a'));
    expect(await journal.unfinished()).toEqual([]);
    const enabled = createTranche({ config: { 'journal-sqlite': { path: tempPath('history.db'), journal: { path, enabled: true } } }, plugins: [journalSqlitePlugin] });
    expect(enabled.get<SqliteExecutionJournal>(SqliteExecutionJournal).enabled).toBe(true);
  });

  it('property: replaying the journal reconstructs the recorded state (children, fills, client id sequence)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ n: fc.integer({ min: 1, max: 6 }), step: fc.constantFrom('intent', 'open', 'fill', 'cancel') }), { maxLength: 40 }),
        async (steps) => {
          const journal = SqliteExecutionJournal.open({ journal: { path: ':memory:' } });
          await journal.record(started('p'));
          const live = new Map<string, ChildOrder>();
          let fills = 0;
          let ts = 1_000;
          for (const { n, step } of steps) {
            ts++;
            const id = `p-${n}`;
            const known = live.get(id);
            if (step === 'intent') {
              if (known) continue;
              const order = child('p', n);
              live.set(id, order);
              await journal.record({ type: 'child-order-intent', executionId: 'p', ts, order });
              continue;
            }
            if (!known || ['filled', 'cancelled', 'rejected', 'expired'].includes(known.status)) continue;
            let next: ChildOrder;
            if (step === 'open') next = { ...known, status: 'open', updatedAt: ts };
            else if (step === 'cancel') next = { ...known, status: 'cancelled', updatedAt: ts };
            else {
              const quantity = Math.min(0.05, known.quantity - known.filledQuantity);
              next = { ...known, filledQuantity: known.filledQuantity + quantity, status: known.filledQuantity + quantity >= known.quantity ? 'filled' : 'partially_filled', updatedAt: ts };
              fills++;
              await journal.record({ type: 'fill', executionId: 'p', ts, fill: { fillId: `f${fills}`, clientOrderId: id, symbol: 'BTC/USDT', side: 'buy', ts, price: 100, quantity, fee: 0, feeCurrency: 'USDT', liquidity: 'maker' } });
            }
            live.set(id, next);
            await journal.record({ type: 'child-order-updated', executionId: 'p', ts, order: next });
          }
          const state = foldJournal(await journal.events('p'))!;
          await journal.close();
          expect([...state.children.values()]).toEqual([...live.values()]);
          expect(state.fills).toHaveLength(fills);
          expect(state.lastClientOrderSequence).toBe(Math.max(0, ...[...live.keys()].map((id) => Number(id.slice(2)))));
        },
      ),
      { numRuns: 60 },
    );
  });
});
