import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { ignoreElements, timer } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AssetCacheManager,
  ExecutionReportSchema,
  ExecutionStrategy,
  ExecutionStrategyOptimizer,
  MemoryLogger,
  MetricCollector,
  STRATEGY_PRIORS_BPS,
  createTranche,
  definePlugin,
  type ExecutionQualityRecord,
  type ExecutionReport,
  type Tranche,
  type TranchePlugin,
} from '@tranche/core';
import { SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import { DEFAULT_PLUGINS, importPlugins } from '../src/compose.js';
import { main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/**
 * The "done when": after a set of executions on the bundled Binance data, the
 * optimizer's choice per market state is the strategy with the best recorded objective
 * for that state, and below min_samples it falls back to the documented priors.
 *
 * Each of the five strategies runs on its own replay of each symbol (so they never trade
 * against each other), one order every 30 s of data time (alternating side, three sizes),
 * each order lasting at most 25 s. The market-state monitor uses a 2-minute window with
 * 10-second bars, so BTC/USDT moves between `normal` and `trending` during the capture;
 * the quality monitor labels each execution with the state at its start and saves it to
 * the SQLite history.
 */

const STRATEGIES = ['market', 'limit', 'twap', 'vwap', 'iceberg'] as const;
const SPACING_MS = 30_000;
const ORDER_MS = 25_000;
const MIN_SAMPLES = 10;

/** A test-only strategy that does nothing for `durationMs`: it spaces the orders in data time. */
const waitStrategy: ExecutionStrategy<{ durationMs: number }> = {
  id: 'wait',
  description: 'waits (test harness)',
  paramsSchema: z.object({ durationMs: z.number().int().positive() }).strict(),
  execute: (ctx) => timer(ctx.params.durationMs, ctx.clock.scheduler).pipe(ignoreElements()),
};
const waitPlugin = definePlugin({
  name: 'test-wait',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(ExecutionStrategy).toConstantValue(waitStrategy);
  }),
});

const dir = mkdtempSync(join(tmpdir(), 'tranche-learning-'));
const historyPath = join(dir, 'history.db');
const config = {
  strategy_optimizer: { strategies: [...STRATEGIES], min_samples: MIN_SAMPLES },
  'journal-sqlite': { path: historyPath },
  'monitor-quality': { waitForMarkouts: false },
  'monitor-market-state': { barSeconds: 10, windowMinutes: 2, hysteresis: { confirmEvaluations: 1 } },
};

async function plugins(): Promise<TranchePlugin<unknown>[]> {
  const extra = DEFAULT_PLUGINS.some((plugin) => plugin.name === 'monitor-quality') ? [] : await importPlugins(['@tranche/monitor-quality']);
  return [...DEFAULT_PLUGINS, ...extra, waitPlugin as TranchePlugin<unknown>];
}

async function compose(): Promise<Tranche> {
  return createTranche({ config, plugins: await plugins(), logger: new MemoryLogger() });
}

/** Runs one strategy's orders over one replay of `symbol`; resolves with their reports. */
async function runSession(symbol: 'BTC/USDT' | 'ETH/USDT', strategy: (typeof STRATEGIES)[number]): Promise<ExecutionReport[]> {
  const tranche = await compose();
  const { manager } = tranche;
  await manager.initialize();
  const cache = tranche.get(AssetCacheManager);
  const base = symbol === 'BTC/USDT' ? 0.2 : 2;
  const running: Promise<ExecutionReport>[] = [];
  for (let batch = 0; batch < 24; batch++) {
    const side = batch % 2 === 0 ? 'buy' : 'sell';
    const quantity = base * (1 + (batch % 3));
    const mid = cache.book(symbol).mid();
    const params: Record<string, unknown> =
      strategy === 'market' ? {} : strategy === 'limit' ? { expireAfterMs: ORDER_MS } : strategy === 'iceberg' ? { durationMs: ORDER_MS, displayQuantity: quantity / 4 } : { durationMs: ORDER_MS };
    if (batch > 0) {
      running.push(manager.executeOrder({ symbol, side, type: strategy, quantity, params, ...(strategy === 'limit' ? { price: Math.round(mid * 100) / 100 } : {}) }));
    }
    const waited = await manager.executeOrder({ symbol, side: 'buy', type: 'wait', quantity: base, params: { durationMs: SPACING_MS } });
    if (/market data ended/.test(waited.endReason)) break;
  }
  const reports = await Promise.all(running);
  for (const collector of tranche.container.getAll<MetricCollector & { flush?: () => Promise<void> }>(MetricCollector)) await collector.flush?.();
  await tranche.close();
  return reports;
}

/** The documented objective of one record, recomputed here from its fields. */
function objective(record: ExecutionQualityRecord): number {
  const shortfall = Math.max(-200, Math.min(200, record.implementationShortfallBps ?? 0));
  return shortfall + (record.feeBps ?? 0) + 25 * (1 - record.fillRate);
}

/** The documented shrinkage, recomputed here: n / (n + σ²/5²), σ² = ((n − 1)·s² + 2·10²) / (n + 1). */
function weightOf(costs: readonly number[]): number {
  const n = costs.length;
  if (n === 0) return 0;
  const mean = costs.reduce((sum, cost) => sum + cost, 0) / n;
  const squares = costs.reduce((sum, cost) => sum + (cost - mean) ** 2, 0);
  const variance = (squares + 2 * 100) / (n + 1);
  return n / (n + variance / 25);
}

interface Figures {
  state: string;
  strategy: string;
  samples: number;
  meanBps: number;
  priorBps: number;
  weight: number;
  posteriorBps: number;
}

describe('the optimizer learns the best strategy per market state from executions on the bundled data', () => {
  let records: ExecutionQualityRecord[] = [];
  const figures: Figures[] = [];

  beforeAll(async () => {
    for (const symbol of ['BTC/USDT', 'ETH/USDT'] as const) {
      for (const strategy of STRATEGIES) {
        const reports = await runSession(symbol, strategy);
        expect(reports.length).toBeGreaterThan(5);
        for (const report of reports) expect(report.strategy).toBe(strategy);
      }
    }
    const store = SqliteExecutionHistoryStore.open({ path: historyPath });
    records = (await store.qualityRecords()).filter((record) => record.strategy !== 'wait');
    await store.close();
    for (const state of new Set(records.map((record) => record.marketState).filter((state): state is string => state !== null))) {
      for (const strategy of STRATEGIES) {
        const costs = records.filter((record) => record.marketState === state && record.strategy === strategy).map(objective);
        const meanBps = costs.reduce((sum, cost) => sum + cost, 0) / Math.max(1, costs.length);
        const priorBps = STRATEGY_PRIORS_BPS[state]?.[strategy] ?? STRATEGY_PRIORS_BPS['normal']![strategy]!;
        const weight = weightOf(costs);
        figures.push({ state, strategy, samples: costs.length, meanBps, priorBps, weight, posteriorBps: weight * meanBps + (1 - weight) * priorBps });
      }
    }
    // The figures behind the assertions, for the reader of the test log.
    console.info(
      figures.map((row) => `${row.state.padEnd(9)} ${row.strategy.padEnd(8)} n=${String(row.samples).padStart(2)} mean ${row.meanBps.toFixed(2).padStart(6)} prior ${String(row.priorBps).padStart(2)} weight ${row.weight.toFixed(3)} posterior ${row.posteriorBps.toFixed(2)}`).join('\n'),
    );
  }, 240_000);

  it('records every execution with its state, both seen states with at least min_samples', () => {
    const states = new Set(records.map((record) => record.marketState));
    expect(states).toContain('normal');
    expect(states).toContain('trending');
    for (const state of ['normal', 'trending']) {
      expect(records.filter((record) => record.marketState === state).length).toBeGreaterThanOrEqual(MIN_SAMPLES);
      for (const strategy of STRATEGIES) expect(records.some((record) => record.marketState === state && record.strategy === strategy)).toBe(true);
    }
  });

  it("chooses, per state, the strategy with the best recorded objective (the documented objective's argmin)", async () => {
    const tranche = await compose();
    const optimizer = tranche.get(ExecutionStrategyOptimizer);
    await optimizer.initialize();
    try {
      for (const state of ['normal', 'trending']) {
        const rows = figures.filter((row) => row.state === state);
        const best = [...rows].sort((a, b) => a.posteriorBps - b.posteriorBps)[0]!;
        const { strategy, explanation } = optimizer.getOptimalStrategy(state);
        expect(explanation.rule).toBe('history');
        expect(strategy).toBe(best.strategy);
        for (const row of rows) {
          const scored = explanation.candidates.find((candidate) => candidate.strategy === row.strategy)!;
          expect(scored.samples).toBe(row.samples);
          expect(scored.observedBps!).toBeCloseTo(row.meanBps, 2);
          expect(scored.scoreBps).toBeCloseTo(row.posteriorBps, 2);
        }
        // When the recorded means are decisive (their gap exceeds what any prior can still move), the best mean wins outright.
        const byMean = [...rows].sort((a, b) => a.meanBps - b.meanBps);
        const slack = Math.max(...rows.map((row) => (1 - row.weight) * Math.abs(row.priorBps - row.meanBps)));
        if (byMean[1]!.meanBps - byMean[0]!.meanBps > 2 * slack) expect(strategy).toBe(byMean[0]!.strategy);
      }
    } finally {
      await optimizer.close();
    }
  });

  it('falls back to the documented priors below min_samples and for states without history', async () => {
    const trending = records.filter((record) => record.marketState === 'trending').length;
    const tranche = createTranche({ config: { ...config, strategy_optimizer: { strategies: [...STRATEGIES], min_samples: trending + 1 } }, plugins: await plugins() });
    const optimizer = tranche.get(ExecutionStrategyOptimizer);
    await optimizer.initialize();
    try {
      for (const state of ['trending', 'volatile', 'illiquid', 'ranging']) {
        const { strategy, explanation } = optimizer.getOptimalStrategy(state);
        expect(explanation.rule).toBe('priors');
        const row = STRATEGY_PRIORS_BPS[state]!;
        expect(strategy).toBe([...STRATEGIES].sort((a, b) => row[a]! - row[b]! || STRATEGIES.indexOf(a) - STRATEGIES.indexOf(b))[0]);
      }
      expect(optimizer.getOptimalStrategy('trending').explanation.stateSamples).toBe(trending);
    } finally {
      await optimizer.close();
    }
  });

  it('type "auto" asks the optimizer with the symbol\'s current state, which decides from this history; the report records the choice', async () => {
    const tranche = await compose();
    const { manager } = tranche;
    await manager.initialize();
    try {
      await manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'wait', quantity: 0.1, params: { durationMs: 60_000 } });
      const events: string[] = [];
      const subscription = manager.events$.subscribe((event) => {
        if (event.type === 'note' && event.message.startsWith('auto:')) events.push(event.message);
      });
      const report = await manager.executeOrder({ symbol: 'BTC/USDT', side: 'buy', type: 'auto', quantity: 0.3, params: { durationMs: ORDER_MS } });
      subscription.unsubscribe();
      expect(report.type).toBe('auto');
      const { strategy, explanation } = report.selection!;
      expect(report.strategy).toBe(strategy);
      expect(explanation.marketStateKnown).toBe(true);
      expect(['normal', 'trending']).toContain(explanation.marketState);
      expect(explanation.rule).toBe('history');
      expect(explanation.stateSamples).toBe(records.filter((record) => record.marketState === explanation.marketState).length);
      expect(explanation.sizeBucket).not.toBeNull();
      expect(explanation.candidates[0]!.strategy).toBe(strategy);
      // A limit needs a price: not eligible for this order.
      expect(explanation.candidates.map((candidate) => candidate.strategy)).not.toContain('limit');
      expect(events).toEqual([`auto: the optimizer chose ${strategy}: ${explanation.decidedBy}`]);
    } finally {
      await tranche.close();
    }
  });

  it('type "auto" from the CLI at the first event of the replay: no state known yet, so the unknown state (normal priors) decides', async () => {
    const file = join(dir, 'auto.json');
    writeFileSync(file, JSON.stringify({ 'journal-sqlite': { path: join(dir, 'fresh.db') }, strategy_optimizer: { strategies: [...STRATEGIES], min_samples: MIN_SAMPLES } }));
    const io = captureIo();
    // A 5-minute window: not urgent (a deadline under 2 minutes would count as urgent).
    const order = { symbol: 'BTC/USDT', side: 'buy', type: 'auto', quantity: 0.3, params: { durationMs: 300_000 } };
    const code = await main(['execute', '--config', file, '--json', '--order', JSON.stringify(order)], io);
    expect(code, io.err.text).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(io.out.text));
    expect(report.selection!.explanation).toMatchObject({ marketState: 'unknown', marketStateKnown: false, priorState: 'normal', rule: 'priors', urgent: false });
    // Eligible: market, twap, vwap (iceberg needs a display quantity, limit a price); normal priors 12, 7, 6.
    expect(report.selection!.explanation.candidates.map((candidate) => candidate.strategy)).toEqual(['vwap', 'twap', 'market']);
    expect(report.strategy).toBe('vwap');
    expect(report.fills.length).toBeGreaterThan(0);
  });
});
