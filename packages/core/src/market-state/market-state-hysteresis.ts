import type { MarketStateClassification } from '../contracts/market-state-classifier.js';
import { TrancheError } from '../errors/tranche-error.js';

/** Options of `MarketStateHysteresis`. */
export interface MarketStateHysteresisOptions {
  /** Consecutive evaluations a new state must win before it replaces the current one (default 5; 1 = no hysteresis). */
  confirmEvaluations?: number;
  /**
   * A new state replaces the current one at once when its confidence exceeds the
   * current state's last confidence by at least this much (default 0.3; above 1 disables it).
   */
  confidenceMargin?: number;
}

/** The state after one evaluation (the verdict that holds, with any extra fields it carried). */
export type HysteresisVerdict<V extends MarketStateClassification = MarketStateClassification> = V & {
  /** True when this evaluation changed the state (the first evaluation counts as a change). */
  changed: boolean;
};

/**
 * Keeps a market state from flickering: a classifier's new verdict replaces the
 * current state only after it has won `confirmEvaluations` evaluations in a row, or at
 * once when it is more confident than the current state by `confidenceMargin`. While
 * the current state holds, its confidence and features are those of its last win.
 * Generic over the verdict type so extra fields (which classifier won) travel along.
 */
export class MarketStateHysteresis<V extends MarketStateClassification = MarketStateClassification> {
  private readonly confirmEvaluations: number;
  private readonly confidenceMargin: number;
  private state?: V;
  private candidate?: string;
  private streak = 0;

  constructor(options: MarketStateHysteresisOptions = {}) {
    this.confirmEvaluations = options.confirmEvaluations ?? 5;
    this.confidenceMargin = options.confidenceMargin ?? 0.3;
    if (!Number.isInteger(this.confirmEvaluations) || this.confirmEvaluations < 1) {
      throw new TrancheError('validation', `confirmEvaluations must be an integer >= 1, got ${this.confirmEvaluations}`, {
        field: 'confirmEvaluations',
        retryable: false,
      });
    }
  }

  /** The current state, if any evaluation happened. */
  get current(): V | undefined {
    return this.state;
  }

  /** Takes one evaluation's verdict and returns the state that holds after it. */
  update(verdict: V): HysteresisVerdict<V> {
    const current = this.state;
    if (!current || verdict.state === current.state) {
      this.state = verdict;
      this.candidate = undefined;
      this.streak = 0;
      return { ...verdict, changed: !current };
    }
    if (verdict.state === this.candidate) this.streak++;
    else {
      this.candidate = verdict.state;
      this.streak = 1;
    }
    if (this.streak >= this.confirmEvaluations || verdict.confidence - current.confidence >= this.confidenceMargin) {
      this.state = verdict;
      this.candidate = undefined;
      this.streak = 0;
      return { ...verdict, changed: true };
    }
    return { ...current, changed: false };
  }

  /** Forgets the current state. */
  reset(): void {
    this.state = undefined;
    this.candidate = undefined;
    this.streak = 0;
  }
}
