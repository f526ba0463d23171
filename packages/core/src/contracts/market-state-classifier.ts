import type { Observable } from 'rxjs';

/** Named numeric features of a market window (volatility, spread, depth, volume, …). */
export type MarketFeatures = Record<string, number>;

/** A classifier's verdict on a window of market features. */
export interface MarketStateClassification {
  /** One of the classifier's `states`. */
  state: string;
  /** 0..1. */
  confidence: number;
  /** The features the verdict was based on. */
  features: MarketFeatures;
}

/** What a classifier may know besides the features: whose market they describe. */
export interface MarketStateContext {
  /** The market the features were computed from (`BTC/USDT`); lets a classifier pick a per-symbol baseline. */
  symbol: string;
}

/** The five states of the seed design; classifiers may add their own. */
export const SEED_MARKET_STATES = ['normal', 'volatile', 'trending', 'illiquid', 'ranging'] as const;

/**
 * Classifies market features into a state. Multi-bound: users add states by
 * registering their own classifier.
 */
export interface MarketStateClassifier {
  /** Kebab-case id. */
  readonly id: string;
  /** States this classifier can emit (an open set of strings). */
  readonly states: readonly string[];
  /** Classifies one window of features (`context` names the symbol, when the caller knows it). */
  classify(features: MarketFeatures, context?: MarketStateContext): MarketStateClassification;
}
/** Token of the `MarketStateClassifier` contract. */
export const MarketStateClassifier = Symbol.for('tranche.MarketStateClassifier');

/** A market state published for a symbol. */
export interface MarketStateUpdate extends MarketStateClassification {
  symbol: string;
  ts: number;
}

/** Publishes the current market state per symbol (implemented by the market-state monitor). */
export interface MarketStateProvider {
  /** States of one symbol, starting with the current one when known. */
  state$(symbol: string): Observable<MarketStateUpdate>;
  /** The current state of a symbol, if known. */
  current(symbol: string): MarketStateUpdate | undefined;
  /** Start-up (load profiles, follow the data source); called by `ExecutionManager.initialize()` before the source starts. */
  initialize?(): Promise<void>;
  /** Stops following the data; called by `ExecutionManager.close()`. */
  close?(): Promise<void>;
}
/** Token of the `MarketStateProvider` contract. */
export const MarketStateProvider = Symbol.for('tranche.MarketStateProvider');
