import { inject, injectable, multiInject, optional } from 'inversify';
import { interval, type Subscription } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { ExecutionHistoryStore } from '../contracts/execution-history-store.js';
import { ExecutionStrategy } from '../contracts/execution-strategy.js';
import { Logger } from '../contracts/logger.js';
import { TrancheConfig } from '../engine/tokens.js';
import { TrancheError } from '../errors/tranche-error.js';
import { parseInput } from '../errors/validation.js';
import type { CoreConfig, StrategyOptimizerConfig } from '../model/config.schema.js';
import { orderSizeBucket, type OrderSizeBucket } from '../quality/execution-quality.schema.js';
import { EXECUTION_OBJECTIVE_TEXT } from './execution-objective.js';
import { UNKNOWN_MARKET_STATE, objectiveStatistics, type StateStatistics } from './objective-statistics.js';
import { OrderDetailsSchema, type OrderDetails, type OrderDetailsInput } from './order-details.schema.js';
import { NEAR_DEADLINE_MS, sizeAdjustments, urgencyAdjustment, type TraitAdjustment } from './order-trait-adjustments.js';
import { STRATEGY_PRIORS_BPS, priorStateOf, strategyPriorBps } from './strategy-priors.js';
import type { CandidateScore, StrategySelection } from './strategy-selection.schema.js';

/** How uncertain a documented prior is (standard deviation, bps). */
export const PRIOR_UNCERTAINTY_BPS = 5;
/** The spread assumed for one execution's objective before the history shows its own (bps); blended into the recorded one with 2 pseudo-samples. */
export const DEFAULT_OBJECTIVE_SPREAD_BPS = 10;

/**
 * Weight of the recorded mean against the prior (normal-normal shrinkage):
 * `n / (n + σ² / τ²)` with τ = `PRIOR_UNCERTAINTY_BPS` and σ² the recorded variance
 * blended with `DEFAULT_OBJECTIVE_SPREAD_BPS`² as two pseudo-samples, so few or noisy
 * executions count less and many consistent ones soon outweigh the prior.
 */
export function observationWeight(samples: number, stdBps: number | null): number {
  if (samples <= 0) return 0;
  const recorded = stdBps === null ? 0 : stdBps * stdBps * (samples - 1);
  const variance = (recorded + 2 * DEFAULT_OBJECTIVE_SPREAD_BPS * DEFAULT_OBJECTIVE_SPREAD_BPS) / (samples + 1);
  return samples / (samples + variance / (PRIOR_UNCERTAINTY_BPS * PRIOR_UNCERTAINTY_BPS));
}

/** Options of one `getOptimalStrategy` call. */
export interface OptimalStrategyOptions {
  /** Restrict the choice to these strategy ids (e.g. the ones that accept the order's params). */
  candidates?: readonly string[];
}

/**
 * Chooses the execution strategy for a market state and an order (the seed's
 * `ExecutionStrategyOptimizer`). Each candidate (the configured `strategy_optimizer.strategies`
 * that are installed) is scored by its expected cost in bps — the recorded objective
 * (`executionObjectiveBps`: shortfall + fees + a penalty for the unfilled share) of
 * past executions in the same state from the `ExecutionHistoryStore`, shrunk towards the
 * documented prior (`STRATEGY_PRIORS_BPS`) by `observationWeight` (few or noisy samples
 * count less), then refined by the
 * order's size bucket (share of market volume) and shifted by urgency. A state with fewer
 * than `min_samples` recorded executions of the candidates is decided by the priors alone; a state without
 * documented priors (a user's own) starts from the `normal` priors and learns like the
 * others. Scores are cached and re-read from the history every `optimization_interval`
 * hours on the clock's scheduler, or on demand with `optimize()`.
 */
@injectable()
export class ExecutionStrategyOptimizer {
  private readonly settings: StrategyOptimizerConfig;
  private readonly installed: ReadonlySet<string> | undefined;
  private statistics = new Map<string, StateStatistics>();
  private optimizedAt: number;
  private schedule?: Subscription;
  private initializing?: Promise<void>;
  private running?: Promise<void>;

  private readonly logger: Logger;

  constructor(
    @inject(TrancheConfig) config: CoreConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(ExecutionHistoryStore) @optional() private readonly history?: ExecutionHistoryStore,
    @multiInject(ExecutionStrategy) @optional() strategies?: readonly ExecutionStrategy<unknown>[],
  ) {
    this.logger = logger.child({ component: 'optimizer' });
    this.settings = config.strategyOptimizer;
    this.installed = strategies && strategies.length > 0 ? new Set(strategies.map((strategy) => strategy.id)) : undefined;
    this.optimizedAt = clock.now();
  }

  /** The `strategy_optimizer` settings in force. */
  get config(): StrategyOptimizerConfig {
    return this.settings;
  }

  /** Strategy ids the optimizer chooses from: the configured ones that are installed, in configured order. */
  candidates(): string[] {
    const configured = [...new Set(this.settings.strategies)];
    return this.installed ? configured.filter((id) => this.installed!.has(id)) : configured;
  }

  /** Market states with documented priors or recorded executions. */
  states(): string[] {
    return [...new Set([...Object.keys(STRATEGY_PRIORS_BPS), ...this.statistics.keys()])];
  }

  /** Recorded executions per state (all strategies), as of the last optimization. */
  stateSamples(): Record<string, number> {
    return Object.fromEntries([...this.statistics].map(([state, stats]) => [state, stats.samples]));
  }

  /**
   * Opens the history store (when one is installed), computes the scores and schedules
   * their re-optimization every `optimization_interval` hours. Idempotent.
   */
  initialize(): Promise<void> {
    this.initializing ??= this.start();
    return this.initializing;
  }

  /** Re-reads the history and recomputes the per-state statistics now. */
  optimize(): Promise<void> {
    this.running ??= this.readHistory().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * The best strategy for an order in `marketState` (`null`/`undefined`: unknown, scored
   * as the state `unknown`: executions recorded without a state, `normal` priors), with its explanation. `orderDetails` (the seed's dict: quantity,
   * marketVolume or market_volume, urgent, and optionally side, symbol, deadline) shifts
   * the scores by the order's traits. Throws a validation `TrancheError` for bad details
   * or when no candidate is left.
   */
  getOptimalStrategy(marketState: string | null | undefined, orderDetails?: OrderDetailsInput, options: OptimalStrategyOptions = {}): StrategySelection {
    const details: OrderDetails = orderDetails === undefined ? {} : parseInput(OrderDetailsSchema, orderDetails, 'order details');
    const known = !(marketState === null || marketState === undefined || marketState === '');
    const state = known ? marketState : UNKNOWN_MARKET_STATE;
    const priorState = priorStateOf(state);
    let candidates = this.candidates();
    if (options.candidates) {
      const allowed = new Set(options.candidates);
      candidates = candidates.filter((id) => allowed.has(id));
    }
    if (candidates.length === 0) {
      throw new TrancheError(
        'validation',
        `no strategy to choose from: strategy_optimizer.strategies (${this.settings.strategies.join(', ')}) ∩ installed (${this.installed ? [...this.installed].join(', ') : 'any'})` +
          `${options.candidates ? ` ∩ eligible for the order (${options.candidates.join(', ') || 'none'})` : ''} is empty`,
        { field: 'strategy_optimizer.strategies', retryable: false },
      );
    }
    const stats = this.statistics.get(state);
    // Evidence about the strategies it chooses among (other strategies' executions do not count).
    const stateSamples = this.candidates().reduce((sum, id) => sum + (stats?.strategies.get(id)?.samples ?? 0), 0);
    const rule: 'priors' | 'history' = stateSamples >= this.settings.minSamples && stateSamples > 0 ? 'history' : 'priors';
    const share = details.quantity !== undefined && details.marketVolume !== undefined && details.marketVolume !== null && details.marketVolume > 0 ? details.quantity / details.marketVolume : null;
    const bucket: OrderSizeBucket | null = share === null ? null : orderSizeBucket(details.quantity!, details.marketVolume);
    const urgentWhy = details.urgent
      ? 'urgent order'
      : details.deadline !== undefined && details.deadline - this.clock.now() < NEAR_DEADLINE_MS
        ? `deadline in ${Math.max(0, Math.round((details.deadline - this.clock.now()) / 1000))} s`
        : undefined;

    const scored = candidates.map((strategy, order) => {
      const priorBps = strategyPriorBps(state, strategy);
      const observed = stats?.strategies.get(strategy);
      const samples = observed?.samples ?? 0;
      const weight = rule === 'history' ? observationWeight(samples, observed?.stdBps ?? null) : 0;
      const stateScoreBps = weight * (observed?.meanBps ?? 0) + (1 - weight) * priorBps;
      // Size: the bucket's prior is the state estimate plus the documented size adjustment; recorded bucket data refine it.
      const size = sizeAdjustments(strategy, bucket, state);
      const sizePrior = stateScoreBps + size.reduce((sum, item) => sum + item.bps, 0);
      const inBucket = bucket === null ? undefined : stats?.buckets.get(bucket)?.get(strategy);
      const bucketSamples = inBucket?.samples ?? 0;
      const bucketWeight = rule === 'history' && bucket !== null ? observationWeight(bucketSamples, inBucket?.stdBps ?? null) : 0;
      const bucketScore = bucketWeight * (inBucket?.meanBps ?? 0) + (1 - bucketWeight) * sizePrior;
      const adjustments: TraitAdjustment[] = [...size];
      if (bucketWeight > 0) adjustments.push({ bps: 0, reason: `${bucketSamples} recorded ${bucket} executions (mean ${round(inBucket!.meanBps)} bps) weigh ${round(bucketWeight, 2)}` });
      const urgency = urgentWhy === undefined ? undefined : urgencyAdjustment(strategy, urgentWhy);
      if (urgency) adjustments.push(urgency);
      const scoreBps = bucketScore + (urgency?.bps ?? 0);
      const candidate: CandidateScore = {
        strategy,
        priorBps: round(priorBps),
        samples,
        observedBps: observed ? round(observed.meanBps) : null,
        observedStdBps: observed?.stdBps === null || observed === undefined ? null : round(observed.stdBps),
        weight: round(weight, 4),
        stateScoreBps: round(stateScoreBps),
        bucketSamples,
        bucketObservedBps: inBucket ? round(inBucket.meanBps) : null,
        adjustmentBps: round(scoreBps - stateScoreBps),
        adjustments: adjustments.map((item) => item.reason),
        scoreBps: round(scoreBps),
      };
      return { candidate, order, exact: scoreBps, base: stateScoreBps };
    });
    const best = [...scored].sort((a, b) => a.exact - b.exact || a.order - b.order);
    const winner = best[0]!;
    const baseWinner = [...scored].sort((a, b) => a.base - b.base || a.order - b.order)[0]!;
    const decidedBy = (known ? '' : 'market state unknown (learned from executions that started without one, normal priors): ') + this.describe({
      rule,
      state,
      priorState,
      stateSamples,
      winner: winner.candidate,
      baseWinner: baseWinner.candidate,
      single: candidates.length === 1,
    });
    return {
      strategy: winner.candidate.strategy,
      explanation: {
        marketState: state,
        marketStateKnown: known,
        priorState,
        rule,
        decidedBy,
        objective: EXECUTION_OBJECTIVE_TEXT,
        stateSamples,
        minSamples: this.settings.minSamples,
        sizeBucket: bucket,
        shareOfVolume: share === null ? null : round(share, 6),
        urgent: urgentWhy !== undefined,
        candidates: best.map((item) => item.candidate),
        optimizedAt: this.optimizedAt,
      },
    };
  }

  /** Stops the re-optimization schedule and releases the history store. */
  async close(): Promise<void> {
    this.schedule?.unsubscribe();
    this.schedule = undefined;
    const wasInitialized = this.initializing !== undefined;
    this.initializing = undefined;
    if (wasInitialized) {
      await this.running?.catch(() => undefined);
      await this.history?.close();
    }
  }

  private async start(): Promise<void> {
    await this.history?.initialize();
    await this.optimize();
    const periodMs = this.settings.optimizationInterval * 3_600_000;
    this.schedule = interval(periodMs, this.clock.scheduler).subscribe(() => {
      this.optimize().catch((error: unknown) => {
        this.logger.warn('strategy re-optimization failed; keeping the previous scores', { error: TrancheError.from(error).message });
      });
    });
  }

  private async readHistory(): Promise<void> {
    if (!this.history) {
      this.optimizedAt = this.clock.now();
      return;
    }
    const records = await this.history.qualityRecords();
    this.statistics = objectiveStatistics(records);
    this.optimizedAt = this.clock.now();
    this.logger.info('strategy optimizer scores updated', { records: records.length, states: this.stateSamples() });
  }

  private describe(input: {
    rule: 'priors' | 'history';
    state: string;
    priorState: string;
    stateSamples: number;
    winner: CandidateScore;
    baseWinner: CandidateScore;
    single: boolean;
  }): string {
    const { rule, state, priorState, stateSamples, winner, baseWinner } = input;
    if (input.single) return `${winner.strategy} is the only candidate`;
    const priors = priorState === state ? `the documented priors of "${state}"` : `the documented priors of "normal" ("${state}" has none)`;
    let sentence =
      rule === 'priors'
        ? `${stateSamples} recorded executions in "${state}" (fewer than min_samples ${this.settings.minSamples}): ${priors} decide; ${winner.strategy} has the lowest expected cost, ${winner.scoreBps} bps`
        : `${winner.strategy} has the lowest expected cost in "${state}", ${winner.scoreBps} bps: ${winner.samples} recorded executions` +
          `${winner.observedBps === null ? '' : ` (mean ${winner.observedBps} bps)`} shrunk towards its prior ${winner.priorBps} bps, out of ${stateSamples} in the state`;
    if (baseWinner.strategy !== winner.strategy) {
      const traits = (candidate: CandidateScore): string => `${candidate.strategy} ${candidate.adjustments.join(', ') || 'no adjustment'}`;
      sentence += `; the order's traits changed the choice from ${baseWinner.strategy} (${traits(winner)}; ${traits(baseWinner)})`;
    }
    return sentence;
  }
}

function round(value: number, decimals = 3): number {
  return Number(value.toFixed(decimals));
}
