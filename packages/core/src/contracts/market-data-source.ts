import type { Observable } from 'rxjs';
import type { MarketEvent } from '../model/market.schema.js';

/**
 * A stream of market data (trades, book snapshots and deltas, tickers) for a set of
 * symbols: a live exchange connection or a replay of recorded data. Book events of a
 * symbol arrive in sequence order, starting with a snapshot.
 */
export interface MarketDataSource {
  /** Kebab-case id (`replay`, `ccxt`). */
  readonly id: string;
  /** Every market event, in time order. Completes when the source has no more data. */
  readonly events$: Observable<MarketEvent>;
  /** Symbols this source provides. */
  symbols(): readonly string[];
  /** Connects or loads data, without emitting; called once by `ExecutionManager.initialize()`. */
  initialize(): Promise<void>;
  /**
   * Starts emitting, once every consumer has subscribed. A replay emits until each
   * symbol's book is known and then runs while executions are active; a live source
   * starts its streams.
   */
  start(): Promise<void>;
  /** Stops and releases resources; idempotent. */
  close(): Promise<void>;
}
/** Token of the `MarketDataSource` contract. */
export const MarketDataSource = Symbol.for('tranche.MarketDataSource');
