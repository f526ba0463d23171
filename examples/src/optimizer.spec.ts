import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { runOptimizerExample } from './optimizer.js';

const examplesRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** A quality record of one execution costing `costBps` (filled, no fees). */
function entry(id: string, strategy: string, costBps: number) {
  const base = { startedAt: 1_723_161_255_000, endedAt: 1_723_161_315_000 };
  return {
    report: {
      id, symbol: 'BTC/USDT', side: 'buy' as const, type: strategy, strategy, status: 'filled' as const, endReason: 'filled',
      requestedQuantity: 1, filledQuantity: 1, averagePrice: 100, arrivalPrice: 100, slippageBps: costBps, fees: 0, feeCurrency: 'USDT', notional: 100,
      ...base, childOrders: [], fills: [], errors: [],
    },
    quality: {
      executionId: id, symbol: 'BTC/USDT', side: 'buy' as const, strategy, requestedType: strategy, marketState: 'volatile', sizeBucket: 'large' as const,
      status: 'filled' as const, ...base, requestedQuantity: 1, filledQuantity: 1, fillRate: 1, arrivalPrice: 100, averagePrice: 100,
      implementationShortfallBps: costBps, vwapSlippageBps: null, makerShare: null, fees: 0, feeBps: 0, spreadCostBps: null, impactCostBps: null,
      totalCostBps: costBps, participationRate: null, timeToCompleteMs: 60_000, markout1mBps: null, markout5mBps: null, marketVolume: 10,
    },
  };
}

describe("the seed's optimizer example", () => {
  it('prints the optimal strategy for the volatile state, then for an urgent order of 10% of the volume (priors without history)', async () => {
    const lines: string[] = [];
    const historyPath = join(mkdtempSync(join(tmpdir(), 'tranche-example-')), 'tranche.db');
    const { plain, detailed } = await runOptimizerExample((line) => lines.push(line), { historyPath });
    expect(lines[0]).toBe("시장 상태 'volatile'에 대한 최적 전략: adaptive");
    expect(lines[2]).toBe('주문 상세 정보를 고려한 최적 전략: adaptive');
    expect(plain.explanation.rule).toBe('priors');
    expect(detailed.explanation).toMatchObject({ sizeBucket: 'large', shareOfVolume: 0.1, urgent: true });
    expect(existsSync(historyPath)).toBe(true);
  });

  it('learns from the history: twelve cheap iceberg executions in volatile markets change the choice', async () => {
    const historyPath = join(mkdtempSync(join(tmpdir(), 'tranche-example-')), 'tranche.db');
    const store = SqliteExecutionHistoryStore.open({ path: historyPath });
    for (let index = 0; index < 12; index++) await store.save(entry(`ice-${index}`, 'iceberg', 1 + (index % 3)));
    await store.close();
    const lines: string[] = [];
    const { plain, detailed } = await runOptimizerExample((line) => lines.push(line), { historyPath });
    expect(plain.strategy).toBe('iceberg');
    expect(plain.explanation.rule).toBe('history');
    expect(detailed.strategy).toBe('iceberg');
    expect(lines[0]).toBe("시장 상태 'volatile'에 대한 최적 전략: iceberg");
  });

  it('runs as the npm script does (node on the built file)', () => {
    const script = join(examplesRoot, 'dist', 'optimizer.js');
    if (!existsSync(script)) return; // built by `npm run build` (CI builds before testing)
    const cwd = mkdtempSync(join(tmpdir(), 'tranche-example-cwd-'));
    const out = execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' });
    expect(out).toMatch(/^시장 상태 'volatile'에 대한 최적 전략: \S+\n/);
    expect(out).toMatch(/주문 상세 정보를 고려한 최적 전략: \S+\n/);
    expect(existsSync(join(cwd, '.tranche', 'tranche.db'))).toBe(true);
  });
});
