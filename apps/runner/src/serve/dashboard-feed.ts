import type { Observable } from 'rxjs';
import type { ExecutionEvent, ExecutionQualityRecord, ExecutionReport, MetricSnapshot, OrderSide, SchedulePoint } from '@tranche/core';

/** One fill as the dashboard shows it (a point on the symbol's price chart). */
export interface DashboardFill {
  readonly ts: number;
  readonly price: number;
  readonly quantity: number;
  readonly liquidity: 'maker' | 'taker';
}

/**
 * A live (or just finished) execution as the dashboard shows it: filled against the
 * schedule, average price and slippage against the arrival mid, signed like the report's
 * (positive is worse for the trader).
 */
export interface DashboardExecution {
  readonly executionId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** The requested type (`auto` stays `auto`). */
  readonly type: string;
  /** The strategy that runs. */
  readonly strategy: string;
  /** `working` until it ends, then the report's status. */
  readonly state: 'working' | ExecutionReport['status'];
  readonly startedAt: number;
  /** Time of the latest event (exchange time on a replay). */
  readonly updatedAt: number;
  readonly requestedQuantity: number;
  readonly filledQuantity: number;
  readonly workingQuantity: number;
  /** What the strategy's schedule wanted filled by now (absent for strategies without one). */
  readonly scheduledQuantity?: number;
  readonly fillCount: number;
  readonly arrivalPrice: number | null;
  /** Quantity-weighted price of the fills, `null` before the first. */
  readonly averagePrice: number | null;
  readonly slippageBps: number | null;
  /** Why it ended (absent while working). */
  readonly endReason?: string;
  /** The latest alert a monitor raised about it (`stalled`, `deadline-at-risk`, …). */
  readonly lastAlert?: { readonly kind: string; readonly severity: 'info' | 'warning' | 'critical'; readonly message: string; readonly ts: number };
}

/** A live execution with its series: fills and schedule-versus-filled points. */
export interface DashboardExecutionDetail extends DashboardExecution {
  readonly fills: readonly DashboardFill[];
  readonly schedule: readonly SchedulePoint[];
}

/** One point of a symbol's price series (the mid, sampled at most once a second of exchange time). */
export interface DashboardPricePoint {
  readonly ts: number;
  readonly mid: number;
}

/** The market of one symbol now: top of book, last trade and the market-state monitor's verdict. */
export interface DashboardMarket {
  readonly symbol: string;
  /** Exchange time of the latest update. */
  readonly ts: number;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly mid: number | null;
  readonly spreadBps: number | null;
  readonly lastPrice: number | null;
  /** The market state (`calm`, `volatile`, …), `null` before the monitor has one. */
  readonly state: string | null;
  readonly stateConfidence: number | null;
}

/** Builds a `DashboardMarket` from its parts, deriving the spread in bps from bid, ask and mid. */
export function dashboardMarket(
  symbol: string,
  ts: number,
  top: { bid: number | null; ask: number | null; mid: number | null },
  lastPrice: number | null,
  state: { state: string; confidence: number } | undefined,
): DashboardMarket {
  const { bid, ask, mid } = top;
  return {
    symbol,
    ts,
    bid,
    ask,
    mid,
    spreadBps: bid !== null && ask !== null && mid !== null && mid > 0 ? ((ask - bid) / mid) * 10_000 : null,
    lastPrice,
    state: state?.state ?? null,
    stateConfidence: state?.confidence ?? null,
  };
}

/** A symbol's market with its recent price series, as the snapshot carries it. */
export interface DashboardMarketDetail extends DashboardMarket {
  readonly prices: readonly DashboardPricePoint[];
}

/** Where the market data stands: a replay can end, after which no order can start. */
export interface DashboardDataStatus {
  /** The data source's id (`replay`, `ccxt`, …), `null` when none is bound. */
  readonly source: string | null;
  /** True once the source's stream has completed (the recorded data ran out). */
  readonly ended: boolean;
}

/** The kill switch as the dashboard shows it. */
export interface DashboardKillSwitch {
  readonly engaged: boolean;
  readonly reason: string | null;
  /** Set once every execution it stopped is terminal. */
  readonly completed: boolean;
  readonly stoppedExecutions: number;
}

/** Everything the page needs on load (and the SSE stream sends first on every connect). */
export interface DashboardSnapshot {
  /** Current time of the app's clock (exchange time on a replay). */
  readonly now: number;
  readonly venue: string;
  readonly data: DashboardDataStatus;
  /** Working executions, and those that ended in this session (most recent last). */
  readonly executions: readonly DashboardExecutionDetail[];
  readonly markets: readonly DashboardMarketDetail[];
  /** Metrics of every installed collector, by collector id. */
  readonly metrics: Readonly<Record<string, MetricSnapshot>>;
  readonly killSwitch: DashboardKillSwitch;
  readonly strategies: readonly string[];
}

/** One row of the execution history. `pending` while its quality record still waits for its markouts (not yet stored). */
export interface DashboardHistoryEntry {
  readonly report: ExecutionReport;
  readonly quality: ExecutionQualityRecord | null;
  readonly pending: boolean;
}

/** A market update: the market now, and the price point it added to the symbol's series (if it added one). */
export interface DashboardMarketUpdate {
  readonly market: DashboardMarket;
  readonly point?: DashboardPricePoint;
}

/** An execution event with the execution's summary after it was applied. */
export interface DashboardExecutionUpdate {
  readonly event: ExecutionEvent;
  readonly execution: DashboardExecution;
}

/** What the kill switch reported, as a plain message. */
export interface DashboardKillSwitchUpdate {
  readonly type: 'engaged' | 'stopping' | 'stopped' | 'completed';
  readonly ts: number;
  readonly killSwitch: DashboardKillSwitch;
  readonly message: string;
}

/** The result of a kill-switch request. */
export interface DashboardKillResult {
  readonly reason: string;
  readonly engagedAt: number;
  readonly completedAt: number;
  readonly stopped: ReadonlyArray<{ executionId: string; status: ExecutionReport['status']; filledQuantity: number }>;
}

/**
 * Where the dashboard's data comes from and where its actions go, independent of the
 * transport: the in-process implementation (`InProcessDashboardFeed`) reads a composed
 * Tranche app; another can read a message bus. The HTTP layer (`DashboardServer`) only
 * talks to this interface.
 */
export interface DashboardFeed {
  /** Every execution event, with the execution's summary after it. */
  readonly executionUpdates$: Observable<DashboardExecutionUpdate>;
  /** Market updates per symbol, unthrottled (the server bounds the rate it sends). */
  readonly marketUpdates$: Observable<DashboardMarketUpdate>;
  /** Kill-switch steps. */
  readonly killSwitchUpdates$: Observable<DashboardKillSwitchUpdate>;
  /** The state now. */
  snapshot(): DashboardSnapshot;
  /** Metrics of every installed collector now, by collector id (also in the snapshot). */
  metrics(): Record<string, MetricSnapshot>;
  /** Past executions, newest first: this session's just-ended ones and the stored history. */
  history(limit: number): Promise<DashboardHistoryEntry[]>;
  /**
   * Starts a parent order (the `tranche execute --order` request shape); resolves with its
   * id once it runs, rejects with the manager's `TrancheError` (validation, risk) otherwise.
   */
  submitOrder(order: unknown): Promise<{ executionId: string }>;
  /** Cancels a working execution; resolves with its final report. */
  cancelExecution(executionId: string): Promise<ExecutionReport>;
  /** Engages the kill switch; resolves once every execution it stopped is terminal. */
  engageKillSwitch(reason: string): Promise<DashboardKillResult>;
}
