import type { Observable } from 'rxjs';
import type { BookView } from '../book/l2-book.js';
import type { MarketDataFreshness } from '../engine/asset-cache-manager.js';
import type { ExecutionCompletion } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { MarketEvent, MarketInfo } from '../model/market.schema.js';
import type { ChildOrder, OrderRequest } from '../model/order.schema.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { MarketStateUpdate } from './market-state-classifier.js';

/** Quantities of a parent order right now. */
export interface ExecutionProgress {
  requestedQuantity: number;
  filledQuantity: number;
  /** Unfilled quantity of child orders still working at the venue (or on the way). */
  workingQuantity: number;
  /** `requested − filled − working`: what a strategy may still send. */
  unallocatedQuantity: number;
  /** Child orders not yet terminal. */
  workingOrders: readonly ChildOrder[];
}

/** Everything a strategy sees of one parent order and its market. */
export interface ExecutionContext<P = unknown> {
  /** Id of the parent order. */
  readonly executionId: string;
  readonly request: OrderRequest;
  /** The request's `params`, parsed by the strategy's `paramsSchema`. */
  readonly params: P;
  /** The limit price every child must respect (request price or `params.limitPrice`), if any. */
  readonly limitPrice: number | undefined;
  readonly market: MarketInfo;
  /** Mid price when the execution started, `null` if the book was empty. */
  readonly arrivalPrice: number | null;
  readonly clock: Clock;
  /** A logger carrying this execution's ids. */
  readonly logger: Logger;
  /** Market events of this symbol. */
  readonly market$: Observable<MarketEvent>;
  /** Market states of this symbol (never emits when no state monitor is installed). */
  readonly state$: Observable<MarketStateUpdate>;
  /** Fills of this execution's child orders. */
  readonly fills$: Observable<Fill>;
  /** Every state change of this execution's child orders. */
  readonly childOrders$: Observable<ChildOrder>;
  /** The current L2 book of the symbol (check `marketDataFreshness()` before trusting it). */
  book(): BookView;
  /** How old the symbol's market data is, and whether it is stale (older than `cache_ttl`). */
  marketDataFreshness(): MarketDataFreshness;
  /** Filled, working and unallocated quantities now. */
  progress(): ExecutionProgress;
  /** The next deterministic client order id (`{executionId}-{n}`). */
  nextClientOrderId(): string;
  /** Rounds a quantity down to the market's step. */
  roundQuantity(quantity: number): number;
  /** Rounds a price to the tick, towards the passive side for `side` (down for buys). */
  roundPrice(price: number): number;
  /**
   * Records how an algorithm with an end time finished, for the report's `completion`
   * (the last call before the parent order ends wins). Optional so that hand-built
   * contexts stay valid; the engine's context always has it.
   */
  reportCompletion?(completion: ExecutionCompletion): void;
  /**
   * Journals what this strategy needs to continue after a restart (merged with earlier
   * checkpoints; plain JSON values). The engine already checkpoints the params with the
   * window start pinned; a strategy adds its own state (e.g. its position in a plan).
   * Optional so that hand-built contexts stay valid.
   */
  checkpoint?(state: Record<string, unknown>): void;
  /**
   * Set when this execution was resumed from the journal after a restart: the merged
   * checkpoint state and the original start. `progress()` already counts every fill the
   * venue reported, so a strategy that plans from it continues without overfilling.
   */
  readonly resumed?: ExecutionResumeInfo;
}

/** What a resumed execution's strategy is told (see `ExecutionContext.resumed`). */
export interface ExecutionResumeInfo {
  /** When the execution first started (epoch ms). */
  readonly startedAt: number;
  /** The merged journaled checkpoint state. */
  readonly checkpoint: Readonly<Record<string, unknown>>;
}
