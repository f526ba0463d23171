import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionReportSchema } from '@tranche/core';
import { SqliteExecutionJournal } from '@tranche/journal-sqlite';
import { runTranche } from './crash-harness.js';

/**
 * Resume on the paper venue: a TWAP on the bundled replay (20x real time) is SIGKILLed
 * mid-schedule and `tranche resume` continues it. The replay restarts at the start of
 * the recorded data at the journaled speed, the simulated exchange's working orders were
 * lost with the process (cancelled on resume), the journaled fills stand, and the parent
 * completes within its journaled window without exceeding its quantity.
 */
describe('tranche resume on the paper venue (replay)', () => {
  it('a killed TWAP resumes and completes without overfilling or re-using a client id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tranche-paper-resume-'));
    const journal = join(dir, 'journal.db');
    const order = { id: 'paper1', symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 2, params: { durationMs: 300_000, slices: 10, seed: 7, limitPrice: 61_900, urgency: 'medium', completion: 'sweep' } };
    const first = await runTranche(['execute', '--speed', '25', '--json', '--journal', journal, '--order', JSON.stringify(order)], process.env, dir, { afterMs: 5_000 });
    expect(first.killed, first.stderr).toBe(true);
    const inspect = SqliteExecutionJournal.open({ journal: { path: journal } });
    const before = (await inspect.events('paper1')).filter((event) => event.type === 'child-order-intent').length;
    await inspect.close();
    expect(before).toBeGreaterThan(0);

    const resumed = await runTranche(['resume', '--journal', journal, '--json'], process.env, dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const [report] = ExecutionReportSchema.array().parse(JSON.parse(resumed.stdout));
    expect(report!.status).toBe('filled');
    expect(report!.filledQuantity).toBeLessThanOrEqual(2 + 1e-9);
    expect(report!.fills.reduce((sum, fill) => sum + fill.quantity, 0)).toBeCloseTo(report!.filledQuantity, 9);
    const ids = report!.childOrders.map((child) => child.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(report!.childOrders.length).toBeGreaterThan(before);

    const again = await runTranche(['resume', '--journal', journal], process.env, dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to resume/);
  }, 120_000);
});
