import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionHistoryEntry, ExecutionHistoryQuery, ExecutionHistoryStore } from '../contracts/execution-history-store.js';
import type { ExecutionQualityRecord, OrderSizeBucket } from '../quality/execution-quality.schema.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { createStrategyOptimizer } from './create-strategy-optimizer.js';
import { executionObjectiveBps, UNFILLED_PENALTY_BPS } from './execution-objective.js';
import { observationWeight } from './execution-strategy-optimizer.js';
import { StrategySelectionSchema } from './strategy-selection.schema.js';
import { STRATEGY_PRIORS_BPS } from './strategy-priors.js';

const SEED_STRATEGIES = ['twap', 'vwap', 'market', 'limit', 'iceberg', 'adaptive'];

/** A history store in memory (records only). */
class MemoryHistory implements ExecutionHistoryStore {
  readonly records: ExecutionQualityRecord[] = [];
  opened = 0;
  async initialize(): Promise<void> {
    this.opened++;
  }
  async save(entry: ExecutionHistoryEntry): Promise<void> {
    this.records.push(entry.quality);
  }
  async query(): Promise<ExecutionHistoryEntry[]> {
    return [];
  }
  async qualityRecords(query: ExecutionHistoryQuery = {}): Promise<ExecutionQualityRecord[]> {
    return this.records.filter((record) => query.marketState === undefined || record.marketState === query.marketState);
  }
  async close(): Promise<void> {
    this.opened--;
  }
}

let sequence = 0;
/** A quality record whose objective is `costBps` (a filled order with no fees). */
function record(strategy: string, marketState: string | null, costBps: number, sizeBucket: OrderSizeBucket = 'small', fillRate = 1): ExecutionQualityRecord {
  const id = `r${++sequence}`;
  return {
    executionId: id,
    symbol: 'BTC/USDT',
    side: 'buy',
    strategy,
    requestedType: strategy,
    marketState,
    sizeBucket,
    status: fillRate === 1 ? 'filled' : 'partially_filled',
    startedAt: 0,
    endedAt: 1,
    requestedQuantity: 1,
    filledQuantity: fillRate,
    fillRate,
    arrivalPrice: 100,
    averagePrice: 100,
    implementationShortfallBps: costBps - UNFILLED_PENALTY_BPS * (1 - fillRate),
    vwapSlippageBps: null,
    makerShare: null,
    fees: 0,
    feeBps: 0,
    spreadCostBps: null,
    impactCostBps: null,
    totalCostBps: null,
    participationRate: null,
    timeToCompleteMs: null,
    markout1mBps: null,
    markout5mBps: null,
    marketVolume: null,
  };
}

function argmin(row: Readonly<Record<string, number>>, candidates: readonly string[]): string {
  return [...candidates].sort((a, b) => row[a]! - row[b]! || candidates.indexOf(a) - candidates.indexOf(b))[0]!;
}

describe('ExecutionStrategyOptimizer', () => {
  it("takes the seed's config (snake_case) and decides by the documented priors per state without history", async () => {
    const optimizer = createStrategyOptimizer({ strategies: SEED_STRATEGIES, optimization_interval: 24, min_samples: 10 }, { clock: new VirtualClock(0) });
    await optimizer.initialize();
    expect(optimizer.config).toEqual({ strategies: SEED_STRATEGIES, optimizationInterval: 24, minSamples: 10 });
    for (const [state, row] of Object.entries(STRATEGY_PRIORS_BPS)) {
      const { strategy, explanation } = optimizer.getOptimalStrategy(state);
      expect(strategy).toBe(argmin(row, SEED_STRATEGIES));
      expect(explanation.rule).toBe('priors');
      expect(explanation.priorState).toBe(state);
      expect(explanation.candidates.map((candidate) => candidate.scoreBps)).toEqual(
        [...SEED_STRATEGIES].map((id) => row[id]!).sort((a, b) => a - b),
      );
      expect(StrategySelectionSchema.parse({ strategy, explanation })).toBeTruthy();
    }
    expect(optimizer.getOptimalStrategy('volatile').strategy).toBe('adaptive');
    expect(optimizer.getOptimalStrategy('illiquid').strategy).toBe('iceberg');
    expect(optimizer.getOptimalStrategy('ranging').strategy).toBe('limit');
    await optimizer.close();
  });

  it('chooses only among the configured strategies that are installed, and among the eligible ones when told', () => {
    const strategies = ['market', 'twap', 'vwap'].map((id) => ({ id }) as never);
    const optimizer = createStrategyOptimizer({ strategies: ['adaptive', 'market', 'twap', 'iceberg'] }, { strategies, clock: new VirtualClock(0) });
    expect(optimizer.candidates()).toEqual(['market', 'twap']);
    expect(optimizer.getOptimalStrategy('volatile').strategy).toBe('twap');
    expect(optimizer.getOptimalStrategy('volatile', undefined, { candidates: ['market'] }).strategy).toBe('market');
    expect(() => optimizer.getOptimalStrategy('volatile', undefined, { candidates: ['vwap'] })).toThrow(/no strategy to choose from/);
  });

  it('learns from the history once a state has min_samples executions, shrinking each mean towards its prior', async () => {
    const history = new MemoryHistory();
    // In "normal" the priors prefer vwap (6) over market (12); the history says market is cheaper.
    for (let index = 0; index < 6; index++) history.records.push(record('market', 'normal', 2), record('vwap', 'normal', 9));
    const optimizer = createStrategyOptimizer({ strategies: ['vwap', 'market'], min_samples: 12 }, { history, clock: new VirtualClock(0) });
    await optimizer.initialize();
    expect(history.opened).toBe(1);
    const { strategy, explanation } = optimizer.getOptimalStrategy('normal');
    expect(explanation.rule).toBe('history');
    expect(explanation.stateSamples).toBe(12);
    expect(strategy).toBe('market');
    const market = explanation.candidates.find((candidate) => candidate.strategy === 'market')!;
    const weight = observationWeight(6, 0);
    // Six identical costs: the variance is the default spread blended in with 2 of 7 pseudo-samples.
    expect(weight).toBeCloseTo(6 / (6 + ((2 * 100) / 7) / 25), 6);
    expect(market.weight).toBeCloseTo(weight, 4);
    expect(market.scoreBps).toBeCloseTo(weight * 2 + (1 - weight) * 12, 3);
    expect(market.observedBps).toBe(2);
    expect(explanation.decidedBy).toMatch(/market has the lowest expected cost in "normal".*6 recorded executions \(mean 2 bps\) shrunk towards its prior 12 bps/);

    // One sample short of min_samples: the priors decide again.
    const strict = createStrategyOptimizer({ strategies: ['vwap', 'market'], min_samples: 13 }, { history, clock: new VirtualClock(0) });
    await strict.initialize();
    expect(strict.getOptimalStrategy('normal')).toMatchObject({ strategy: 'vwap', explanation: { rule: 'priors', stateSamples: 12 } });
    await optimizer.close();
    await strict.close();
    expect(history.opened).toBe(0);
  });

  it('gives an unknown (user-added) state the normal priors, then learns it like the others', async () => {
    const history = new MemoryHistory();
    const clock = new VirtualClock(0);
    const optimizer = createStrategyOptimizer({ strategies: ['twap', 'vwap', 'market'], min_samples: 4, optimization_interval: 1 }, { history, clock });
    await optimizer.initialize();
    const before = optimizer.getOptimalStrategy('news-spike');
    expect(before.strategy).toBe('vwap');
    expect(before.explanation).toMatchObject({ marketState: 'news-spike', priorState: 'normal', rule: 'priors' });
    expect(before.explanation.decidedBy).toMatch(/priors of "normal" \("news-spike" has none\)/);
    for (let index = 0; index < 4; index++) history.records.push(record('twap', 'news-spike', 1));
    // Cached until the next scheduled re-optimization, one hour of clock time later.
    clock.advanceBy(3_599_000);
    await Promise.resolve();
    expect(optimizer.getOptimalStrategy('news-spike').explanation.rule).toBe('priors');
    clock.advanceBy(1_000);
    await optimizer.optimize();
    const after = optimizer.getOptimalStrategy('news-spike');
    expect(after.strategy).toBe('twap');
    expect(after.explanation.rule).toBe('history');
    expect(after.explanation.optimizedAt).toBe(3_600_000);
    expect(optimizer.states()).toContain('news-spike');
    await optimizer.close();
  });

  it('an unknown market state (null) is learned from the executions that started without one, with the normal priors', async () => {
    const history = new MemoryHistory();
    for (let index = 0; index < 5; index++) history.records.push(record('market', null, 1), record('vwap', null, 9), record('vwap', 'normal', 0));
    const optimizer = createStrategyOptimizer({ strategies: ['vwap', 'market'], min_samples: 10 }, { history, clock: new VirtualClock(0) });
    await optimizer.initialize();
    const unknown = optimizer.getOptimalStrategy(null);
    expect(unknown.strategy).toBe('market');
    expect(unknown.explanation).toMatchObject({ marketState: 'unknown', marketStateKnown: false, priorState: 'normal', rule: 'history', stateSamples: 10 });
    expect(unknown.explanation.decidedBy).toMatch(/^market state unknown/);
    expect(optimizer.getOptimalStrategy('normal').explanation.rule).toBe('priors');
    await optimizer.close();
  });

  it('re-optimizes on the clock every optimization_interval hours, and stops at close()', async () => {
    const history = new MemoryHistory();
    const clock = new VirtualClock(0);
    let reads = 0;
    const counting = Object.assign(Object.create(history) as MemoryHistory, {
      qualityRecords: async () => {
        reads++;
        return history.records;
      },
    });
    const optimizer = createStrategyOptimizer({ optimization_interval: 2 }, { history: counting, clock });
    await optimizer.initialize();
    expect(reads).toBe(1);
    clock.advanceBy(2 * 3_600_000);
    await optimizer.optimize();
    clock.advanceBy(2 * 3_600_000);
    await optimizer.optimize();
    // Two scheduled re-optimizations (each joined by the on-demand call made while it ran).
    expect(reads).toBe(3);
    await optimizer.close();
    clock.advanceBy(10 * 3_600_000);
    expect(reads).toBe(3);
  });

  it('order traits: urgent → faster tactics; a large share of volume → volume-following or iceberg; illiquid and large → passive with caps', () => {
    const optimizer = createStrategyOptimizer({ strategies: ['twap', 'vwap', 'market', 'limit', 'iceberg'] }, { clock: new VirtualClock(0) });
    // Ranging: the priors like resting (limit); urgency moves to a faster tactic.
    expect(optimizer.getOptimalStrategy('ranging').strategy).toBe('limit');
    const urgent = optimizer.getOptimalStrategy('ranging', { urgent: true });
    expect(urgent.strategy).not.toBe('limit');
    expect(urgent.explanation.urgent).toBe(true);
    expect(urgent.explanation.decidedBy).toMatch(/traits changed the choice from limit/);
    // Trending with a small order: market is competitive; 30 % of the volume is not.
    const small = optimizer.getOptimalStrategy('trending', { quantity: 0.1, marketVolume: 1_000 });
    expect(small.explanation.sizeBucket).toBe('small');
    const big = optimizer.getOptimalStrategy('trending', { quantity: 300, market_volume: 1_000 });
    expect(big.explanation).toMatchObject({ sizeBucket: 'xlarge', shareOfVolume: 0.3 });
    expect(['vwap', 'iceberg']).toContain(big.strategy);
    const marketScore = big.explanation.candidates.find((candidate) => candidate.strategy === 'market')!;
    expect(marketScore.adjustmentBps).toBe(20);
    // Illiquid and large: never sweep the book.
    const illiquid = optimizer.getOptimalStrategy('illiquid', { quantity: 50, marketVolume: 100, urgent: true });
    expect(['iceberg', 'vwap']).toContain(illiquid.strategy);
    expect(illiquid.explanation.candidates.at(-1)!.strategy).toBe('market');
    // A deadline two minutes away counts as urgent.
    expect(optimizer.getOptimalStrategy('ranging', { deadline: 60_000 }).explanation.urgent).toBe(true);
    expect(optimizer.getOptimalStrategy('ranging', { deadline: 3_600_000 }).explanation.urgent).toBe(false);
  });

  it("the seed's example: volatile, then with { quantity: 10, market_volume: 100, urgent: true }", () => {
    const optimizer = createStrategyOptimizer({ strategies: SEED_STRATEGIES, optimization_interval: 24, min_samples: 10 }, { clock: new VirtualClock(0) });
    expect(optimizer.getOptimalStrategy('volatile').strategy).toBe('adaptive');
    const detailed = optimizer.getOptimalStrategy('volatile', { quantity: 10.0, market_volume: 100.0, urgent: true });
    expect(detailed.strategy).toBe('adaptive');
    expect(detailed.explanation).toMatchObject({ sizeBucket: 'large', shareOfVolume: 0.1, urgent: true });
    expect(detailed.explanation.candidates.map((candidate) => candidate.strategy)).toEqual(['adaptive', 'vwap', 'twap', 'market', 'iceberg', 'limit']);
  });

  it('rejects bad order details and a bad config with validation errors naming the key', () => {
    const optimizer = createStrategyOptimizer({}, { clock: new VirtualClock(0) });
    expect(() => optimizer.getOptimalStrategy('normal', { quantity: -1 })).toThrow(/order details: quantity/);
    expect(() => optimizer.getOptimalStrategy('normal', { quantity: 1, size: 3 } as never)).toThrow(/unknown key "size"/);
    expect(() => optimizer.getOptimalStrategy('normal', { marketVolume: 1, market_volume: 2 })).toThrow(/not both/);
    expect(() => createStrategyOptimizer({ min_sample: 3 })).toThrow(/min_sample/);
    expect(() => createStrategyOptimizer({ min_samples: -1 })).toThrow(/min_samples/);
  });

  it('uses the size bucket data when recorded: a bucket mean overrides the size prior', async () => {
    const history = new MemoryHistory();
    for (let index = 0; index < 10; index++) history.records.push(record('market', 'normal', 1, 'small'), record('vwap', 'normal', 12, 'small'));
    for (let index = 0; index < 10; index++) history.records.push(record('market', 'normal', 40, 'xlarge'), record('vwap', 'normal', 8, 'xlarge'));
    const optimizer = createStrategyOptimizer({ strategies: ['vwap', 'market'], min_samples: 10 }, { history, clock: new VirtualClock(0) });
    await optimizer.initialize();
    expect(optimizer.getOptimalStrategy('normal', { quantity: 1, marketVolume: 1_000 }).strategy).toBe('market');
    const big = optimizer.getOptimalStrategy('normal', { quantity: 500, marketVolume: 1_000 });
    expect(big.strategy).toBe('vwap');
    expect(big.explanation.candidates.find((candidate) => candidate.strategy === 'market')).toMatchObject({ bucketSamples: 10, bucketObservedBps: 40 });
  });

  it('property: the choice has the lowest score; below min_samples the history does not matter; scores lie between prior and observed', async () => {
    const strategies = ['twap', 'vwap', 'market', 'limit', 'iceberg'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            strategy: fc.constantFrom(...strategies),
            state: fc.constantFrom('normal', 'volatile', 'custom'),
            cost: fc.double({ min: -50, max: 80, noNaN: true }),
            fill: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom('normal', 'volatile', 'custom'),
        async (rows, minSamples, state) => {
          const history = new MemoryHistory();
          for (const row of rows) history.records.push(record(row.strategy, row.state, row.cost, 'small', row.fill));
          const optimizer = createStrategyOptimizer({ strategies, min_samples: minSamples }, { history, clock: new VirtualClock(0) });
          await optimizer.initialize();
          const { strategy, explanation } = optimizer.getOptimalStrategy(state);
          const scores = explanation.candidates.map((candidate) => candidate.scoreBps);
          expect(explanation.candidates[0]!.strategy).toBe(strategy);
          expect(Math.min(...scores)).toBe(scores[0]);
          const samples = rows.filter((row) => row.state === state).length;
          if (samples < minSamples || samples === 0) {
            expect(explanation.rule).toBe('priors');
            const priors = createStrategyOptimizer({ strategies }, { clock: new VirtualClock(0) }).getOptimalStrategy(state);
            expect(strategy).toBe(priors.strategy);
          }
          for (const candidate of explanation.candidates) {
            if (candidate.observedBps === null || explanation.rule === 'priors') expect(candidate.scoreBps).toBeCloseTo(candidate.priorBps, 2);
            else {
              expect(candidate.scoreBps).toBeGreaterThanOrEqual(Math.min(candidate.priorBps, candidate.observedBps) - 1e-2);
              expect(candidate.scoreBps).toBeLessThanOrEqual(Math.max(candidate.priorBps, candidate.observedBps) + 1e-2);
            }
          }
          await optimizer.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('observation weight: grows with the sample count, shrinks with the recorded spread', () => {
    expect(observationWeight(0, null)).toBe(0);
    expect(observationWeight(1, null)).toBeCloseTo(1 / (1 + 100 / 25), 9);
    expect(observationWeight(20, 2)).toBeGreaterThan(observationWeight(5, 2));
    expect(observationWeight(20, 2)).toBeGreaterThan(observationWeight(20, 20));
    expect(observationWeight(40, 3)).toBeGreaterThan(0.98);
  });

  it('objective: shortfall + fees + 25 bps per unfilled share, shortfall clipped at ±200', () => {
    expect(executionObjectiveBps({ implementationShortfallBps: 3, feeBps: 10, fillRate: 1 })).toBe(13);
    expect(executionObjectiveBps({ implementationShortfallBps: null, feeBps: null, fillRate: 0 })).toBe(25);
    expect(executionObjectiveBps({ implementationShortfallBps: 1_000, feeBps: 2, fillRate: 0.5 })).toBe(214.5);
  });
});
