import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExecutionReportSchema, STRATEGY_PRIORS_BPS, StrategySelectionSchema, type StrategySelection } from '@tranche/core';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';
import { historyEntry } from '@tranche/testkit';

const dir = mkdtempSync(join(tmpdir(), 'tranche-optimizer-cli-'));

function configWith(db: string, extra: Record<string, unknown> = {}): string {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ 'journal-sqlite': { path: db }, ...extra }));
  return file;
}

async function optimizer(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['optimizer', ...args], io);
  return { code, out: io.out.text, err: io.err.text };
}

describe('tranche optimizer', () => {
  it('without history: the documented priors of the state decide, among the installed strategies', async () => {
    const config = configWith(join(dir, 'empty.db'));
    const { code, out } = await optimizer('--state', 'volatile', '--config', config, '--json');
    expect(code).toBe(0);
    const { strategy, explanation } = StrategySelectionSchema.parse(JSON.parse(out)) as StrategySelection;
    const candidates = explanation.candidates.map((candidate) => candidate.strategy);
    expect(candidates).toEqual(expect.arrayContaining(['market', 'limit', 'twap', 'vwap', 'iceberg']));
    const priors = STRATEGY_PRIORS_BPS['volatile']!;
    expect(strategy).toBe([...candidates].sort((a, b) => priors[a]! - priors[b]!)[0]);
    expect(explanation).toMatchObject({ marketState: 'volatile', rule: 'priors', stateSamples: 0, minSamples: 10, sizeBucket: null, urgent: false });
  });

  it('with order details (the seed\'s market_volume spelling): size bucket and urgency shift the scores', async () => {
    const config = configWith(join(dir, 'empty.db'));
    const { code, out } = await optimizer('--state', 'volatile', '--config', config, '--json', '--order', JSON.stringify({ quantity: 10, market_volume: 100, urgent: true }));
    expect(code).toBe(0);
    const { explanation } = JSON.parse(out) as StrategySelection;
    expect(explanation).toMatchObject({ sizeBucket: 'large', shareOfVolume: 0.1, urgent: true });
    const market = explanation.candidates.find((candidate) => candidate.strategy === 'market')!;
    expect(market.adjustmentBps).toBe(8);
    const limit = explanation.candidates.find((candidate) => candidate.strategy === 'limit')!;
    expect(limit.adjustmentBps).toBe(16);
    expect(limit.adjustments).toEqual(['large share of market volume +4 bps', 'urgent order +12 bps']);
  });

  it('learns from the recorded history once a state has min_samples executions', async () => {
    const db = join(dir, 'learned.db');
    const store = SqliteExecutionHistoryStore.open({ path: db });
    for (let index = 0; index < 6; index++) {
      // In "ranging" the priors like limit (5 bps); the record says limit left half unfilled and iceberg did well.
      await store.save(historyEntry(`limit-${index}`, { strategy: 'limit', marketState: 'ranging', startedAt: index * 60_000, fillRate: 0.5, filledQuantity: 0.5, implementationShortfallBps: -1 }));
      await store.save(historyEntry(`iceberg-${index}`, { strategy: 'iceberg', marketState: 'ranging', startedAt: index * 60_000, implementationShortfallBps: 0.5 }));
    }
    await store.close();
    const config = configWith(db);
    const learned = await optimizer('--state', 'ranging', '--config', config, '--json');
    expect(learned.code).toBe(0);
    const selection = JSON.parse(learned.out) as StrategySelection;
    expect(selection.strategy).toBe('iceberg');
    expect(selection.explanation).toMatchObject({ rule: 'history', stateSamples: 12 });
    expect(selection.explanation.candidates[0]).toMatchObject({ strategy: 'iceberg', samples: 6, observedBps: 1.5 });
    // Twelve is below a min_samples of 13: the priors decide again.
    const strict = await optimizer('--state', 'ranging', '--config', configWith(db, { strategy_optimizer: { min_samples: 13 } }), '--json');
    expect(JSON.parse(strict.out)).toMatchObject({ strategy: 'limit', explanation: { rule: 'priors', stateSamples: 12 } });
  });

  it('prints the choice, the rule and every candidate in human mode; a custom state uses the normal priors', async () => {
    const config = configWith(join(dir, 'empty.db'));
    const { code, out } = await optimizer('--state', 'news-spike', '--config', config);
    expect(code).toBe(0);
    expect(out).toMatch(/^Optimal strategy for market state 'news-spike': vwap\n/);
    expect(out).toMatch(/decided by\s+priors: 0 recorded executions in "news-spike" .*priors of "normal" \("news-spike" has none\)/);
    expect(out).toMatch(/learned from execution history \(.*empty\.db\)/);
    expect(out).toMatch(/strategy\s+prior\s+observed\s+n\s+weight\s+state est\.\s+bucket n\s+adjust\s+score/);
    expect(out).toMatch(/\n {2}vwap\s+6\.00\s+-\s+0\s+0\.00\s+6\.00\s+0\s+\+0\.00\s+6\.00\n/);
  });

  it('rejects bad input with exit code 2 and one line naming it', async () => {
    const config = configWith(join(dir, 'empty.db'));
    const badJson = await optimizer('--state', 'normal', '--config', config, '--order', '{quantity: 1');
    expect(badJson.code).toBe(EXIT_INVALID_INPUT);
    expect(badJson.err).toMatch(/malformed JSON/);
    const unknownKey = await optimizer('--state', 'normal', '--config', config, '--order', '{"quantity":1,"size":2}');
    expect(unknownKey.code).toBe(EXIT_INVALID_INPUT);
    expect(unknownKey.err).toMatch(/invalid order details: unknown key "size"/);
    const negative = await optimizer('--state', 'normal', '--config', config, '--order', '{"quantity":-1}');
    expect(negative.err).toMatch(/quantity/);
    const noState = await optimizer('--config', config);
    expect(noState.code).toBe(EXIT_INVALID_INPUT);
    expect(noState.err).toMatch(/--state/);
    const badConfig = await optimizer('--state', 'normal', '--config', configWith(join(dir, 'empty.db'), { strategy_optimizer: { min_sample: 3 } }));
    expect(badConfig.code).toBe(EXIT_INVALID_INPUT);
    expect(badConfig.err).toMatch(/strategy_optimizer\.min_sample/);
  });
});

describe('type "auto" from the CLI', () => {
  async function execute(order: Record<string, unknown>, ...flags: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIo();
    const code = await main(['execute', '--config', configWith(join(dir, 'auto.db')), '--order', JSON.stringify(order), ...flags], io);
    return { code, out: io.out.text, err: io.err.text };
  }

  it('chooses among the strategies that accept the order: with a window the algorithms, and the choice is noted and reported', async () => {
    const { code, out, err } = await execute({ symbol: 'BTC/USDT', side: 'sell', type: 'auto', quantity: 0.5, params: { durationMs: 60_000, urgent: true } });
    expect(code, err).toBe(0);
    expect(out).toMatch(/Execution \S+: sell 0\.5 BTC\/USDT \(auto → (twap|vwap|iceberg|market|adaptive)\)/);
    expect(out).toMatch(/chosen by\s+the optimizer \(priors\): market state unknown \(learned from executions that started without one, normal priors\)/);
  });

  it('without params only market is eligible (the algorithms need a window, limit a price); a limit price guards any choice', async () => {
    const plain = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'auto', quantity: 0.1 }, '--json');
    expect(plain.code, plain.err).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(plain.out));
    expect(report.strategy).toBe('market');
    expect(report.selection!.explanation.candidates.map((candidate) => candidate.strategy)).toEqual(['market']);
    expect(report.selection!.explanation.decidedBy).toMatch(/market is the only candidate/);

    const guarded = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'auto', quantity: 0.1, params: { limitPrice: 50_000 } }, '--json');
    expect(guarded.code, guarded.err).toBe(0);
    const capped = ExecutionReportSchema.parse(JSON.parse(guarded.out));
    // Far below the market: whatever was chosen, nothing fills above the guard.
    expect(capped.filledQuantity).toBe(0);
    for (const child of capped.childOrders) expect(child.price).toBeLessThanOrEqual(50_000);
  });

  it('an auto order no candidate accepts is rejected naming why', async () => {
    const { code, err } = await execute({ symbol: 'BTC/USDT', side: 'buy', type: 'auto', quantity: 0.1, params: { maxOrders: 0 } });
    expect(code).toBe(EXIT_INVALID_INPUT);
    expect(err).toMatch(/no strategy the optimizer may choose accepts this "auto" order \(twap: params\.durationMs is required.*; market: params\.maxOrders must be >=1, got 0; limit: price is required/);
  });
});
