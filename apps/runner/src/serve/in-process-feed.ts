import { randomBytes } from 'node:crypto';
import type { Subscription } from 'rxjs';
import {
  AssetCacheManager,
  Clock,
  ExecutionHistoryStore,
  KillSwitch,
  MarketDataSource,
  MarketStateProvider,
  MetricCollector,
  OrderRequestSchema,
  TrancheError,
  parseInput,
  type ExecutionReport,
  type KillSwitchEvent,
  type MetricSnapshot,
  type Tranche,
} from '@tranche/core';
import { ExecutionQualityMonitor } from '@tranche/monitor-quality';
import type {
  DashboardFeed,
  DashboardHistoryEntry,
  DashboardKillResult,
  DashboardKillSwitch,
  DashboardMarket,
  DashboardMarketDetail,
  DashboardPricePoint,
  DashboardSnapshot,
} from './dashboard-feed.js';
import { DashboardFeedStreams } from './dashboard-feed-streams.js';
import { dashboardMarket } from './dashboard-feed.js';
import { ExecutionTracker } from './execution-tracker.js';
import { refuseMalformedOrder } from '../refuse-malformed-order.js';

/** Exchange-time spacing of the points of a symbol's price series. */
export const PRICE_POINT_SPACING_MS = 1_000;
/** Most points kept per symbol's price series. */
export const MAX_PRICE_POINTS = 1_800;
/** How many ended executions' reports the feed keeps for the history before the store has them. */
const KEEP_SESSION_REPORTS = 100;

/**
 * The dashboard feed of a composed, initialized Tranche app in this process: execution
 * events from `manager.events$`, the market from the asset cache and the market-state
 * provider, metrics from the collectors, the history from the `ExecutionHistoryStore`,
 * and the actions through the manager and the `KillSwitch`.
 */
export class InProcessDashboardFeed extends DashboardFeedStreams implements DashboardFeed {
  private readonly tracker = new ExecutionTracker();
  private readonly subscriptions: Subscription[] = [];
  private readonly markets = new Map<string, { market: DashboardMarket; prices: DashboardPricePoint[] }>();
  private readonly sessionReports: ExecutionReport[] = [];
  private readonly running = new Map<string, Promise<ExecutionReport>>();
  private readonly cache: AssetCacheManager;
  private readonly clock: Clock;
  private readonly source: MarketDataSource | undefined;
  private readonly states: MarketStateProvider | undefined;
  private readonly killSwitch: KillSwitch;
  private killState: DashboardKillSwitch = { engaged: false, reason: null, completed: false, stoppedExecutions: 0 };
  private dataEnded = false;
  private sequence = 0;
  private readonly idPrefix = `w${randomBytes(4).toString('hex')}`;

  /** @param tranche a composed app whose `manager.initialize()` has resolved. */
  constructor(private readonly tranche: Tranche) {
    super();
    const { container } = tranche;
    this.cache = tranche.get(AssetCacheManager);
    this.clock = tranche.get<Clock>(Clock);
    this.source = container.isBound(MarketDataSource) ? tranche.get<MarketDataSource>(MarketDataSource) : undefined;
    this.states = container.isBound(MarketStateProvider) ? tranche.get<MarketStateProvider>(MarketStateProvider) : undefined;
    this.killSwitch = tranche.get(KillSwitch);
    this.subscriptions.push(
      tranche.manager.events$.subscribe((event) => {
        const execution = this.tracker.apply(event);
        if (event.type === 'execution-ended') this.rememberReport(event.report);
        if (execution) this.executionSubject.next({ event, execution });
      }),
      this.killSwitch.events$.subscribe((event) => this.onKillSwitch(event)),
    );
    if (this.source) this.subscriptions.push(this.source.events$.subscribe({ complete: () => (this.dataEnded = true) }));
    for (const symbol of this.cache.symbols()) this.followMarket(symbol);
  }

  /** @inheritDoc */
  snapshot(): DashboardSnapshot {
    const markets: DashboardMarketDetail[] = [...this.markets.keys()].map((symbol) => ({ ...this.marketNow(symbol), prices: [...this.markets.get(symbol)!.prices] }));
    return {
      now: this.clock.now(),
      venue: this.tranche.config.venue ?? 'paper',
      data: { source: this.source?.id ?? null, ended: this.dataEnded },
      executions: this.tracker.executions(),
      markets,
      metrics: this.metrics(),
      killSwitch: { ...this.killState },
      strategies: this.tranche.manager.strategyIds(),
    };
  }

  /** @inheritDoc */
  metrics(): Record<string, MetricSnapshot> {
    const metrics: Record<string, MetricSnapshot> = {};
    if (this.tranche.container.isBound(MetricCollector)) {
      for (const collector of this.tranche.container.getAll<MetricCollector>(MetricCollector)) metrics[collector.id] = collector.snapshot();
    }
    return metrics;
  }

  /** @inheritDoc */
  async history(limit: number): Promise<DashboardHistoryEntry[]> {
    const stored = this.tranche.container.isBound(ExecutionHistoryStore) ? await this.tranche.get<ExecutionHistoryStore>(ExecutionHistoryStore).query({ limit }) : [];
    const storedIds = new Set(stored.map((entry) => entry.report.id));
    const quality = this.tranche.container.isBound(ExecutionQualityMonitor) ? this.tranche.get(ExecutionQualityMonitor) : undefined;
    // Ended this session but not stored yet: the quality monitor saves a record once its markouts are in (or the data ends).
    const pending: DashboardHistoryEntry[] = this.sessionReports
      .filter((report) => !storedIds.has(report.id))
      .map((report) => ({ report, quality: quality?.record(report.id) ?? null, pending: true }));
    const entries = [...pending, ...stored.map((entry) => ({ report: entry.report, quality: entry.quality, pending: false }))];
    return entries.sort((a, b) => b.report.endedAt - a.report.endedAt).slice(0, limit);
  }

  /** @inheritDoc */
  async submitOrder(order: unknown): Promise<{ executionId: string }> {
    refuseMalformedOrder(this.tranche, order);
    const request = parseInput(OrderRequestSchema, order, 'order');
    if (this.dataEnded) {
      // The replay does not restart: a new order would expire at once. Say so plainly (docs/dashboard.md).
      throw new TrancheError('validation', `invalid order: the market data of ${this.source?.id ?? 'the source'} has ended; restart tranche serve to replay it again`, {
        field: 'symbol',
        retryable: false,
      });
    }
    const executionId = request.id ?? `${this.idPrefix}${(++this.sequence).toString(36)}`;
    let subscription: Subscription | undefined;
    const started = new Promise<void>((resolve) => {
      subscription = this.tranche.manager.events$.subscribe((event) => {
        if (event.executionId === executionId && event.type === 'execution-started') resolve();
      });
    });
    const done = this.tranche.manager.executeOrder({ ...request, id: executionId });
    this.running.set(executionId, done);
    done.then(
      () => this.running.delete(executionId),
      () => this.running.delete(executionId),
    );
    try {
      // Refused before it starts (unknown symbol, too small, kill switch): the rejection wins the race.
      await Promise.race([started, done.then(() => undefined)]);
    } finally {
      subscription?.unsubscribe();
    }
    return { executionId };
  }

  /** @inheritDoc */
  async cancelExecution(executionId: string): Promise<ExecutionReport> {
    return this.tranche.manager.cancel(executionId, 'cancelled from the dashboard');
  }

  /** @inheritDoc */
  async engageKillSwitch(reason: string): Promise<DashboardKillResult> {
    const result = await this.killSwitch.engage(reason);
    return {
      reason: result.reason,
      engagedAt: result.engagedAt,
      completedAt: result.completedAt,
      stopped: result.reports.map((report) => ({ executionId: report.id, status: report.status, filledQuantity: report.filledQuantity })),
    };
  }

  /** Stops following the app (does not close it). Waits for nothing: executions keep their own promises. */
  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    this.completeStreams();
  }

  /** Reports of executions submitted here that are still running (the command waits for them on shutdown). */
  runningExecutions(): Promise<ExecutionReport>[] {
    return [...this.running.values()];
  }

  private followMarket(symbol: string): void {
    this.markets.set(symbol, { market: this.marketNow(symbol), prices: [] });
    this.subscriptions.push(
      this.cache.events$(symbol).subscribe((event) => {
        const entry = this.markets.get(symbol)!;
        const market = this.marketNow(symbol, event.type === 'trade' ? event.price : undefined);
        entry.market = market;
        const last = entry.prices.at(-1);
        if (market.mid !== null && (last === undefined || market.ts - last.ts >= PRICE_POINT_SPACING_MS)) {
          const point = { ts: market.ts, mid: market.mid };
          entry.prices.push(point);
          if (entry.prices.length > MAX_PRICE_POINTS) entry.prices.shift();
          this.marketSubject.next({ market, point });
        } else {
          this.marketSubject.next({ market });
        }
      }),
    );
  }

  private marketNow(symbol: string, tradePrice?: number): DashboardMarket {
    const previous = this.markets.get(symbol)?.market;
    const book = this.cache.hasBook(symbol) ? this.cache.book(symbol) : undefined;
    const finite = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null);
    const bid = finite(book?.bestBid());
    const ask = finite(book?.bestAsk());
    const mid = finite(book?.mid());
    const state = this.states?.current(symbol);
    const lastPrice = tradePrice ?? this.cache.lastTrade(symbol)?.price ?? previous?.lastPrice ?? null;
    const ts = Math.max(book?.ts ?? 0, this.cache.lastTrade(symbol)?.ts ?? 0, previous?.ts ?? 0);
    return dashboardMarket(symbol, ts, { bid, ask, mid }, lastPrice, state);
  }

  private rememberReport(report: ExecutionReport): void {
    this.sessionReports.push(report);
    if (this.sessionReports.length > KEEP_SESSION_REPORTS) this.sessionReports.shift();
  }

  private onKillSwitch(event: KillSwitchEvent): void {
    let message: string;
    switch (event.type) {
      case 'engaged':
        this.killState = { engaged: true, reason: event.reason, completed: false, stoppedExecutions: 0 };
        message = `kill switch engaged (${event.reason}): stopping ${event.executionIds.length} execution(s)`;
        break;
      case 'stopping':
        message = `cancelling the working orders of ${event.executionId}`;
        break;
      case 'stopped':
        this.killState = { ...this.killState, stoppedExecutions: this.killState.stoppedExecutions + 1 };
        message = `${event.executionId} is ${event.status} (filled ${event.filledQuantity})`;
        break;
      case 'completed':
        this.killState = { ...this.killState, completed: true, stoppedExecutions: event.reports.length };
        message = `kill switch completed: ${event.reports.length} execution(s) stopped, no working order left`;
        break;
    }
    this.killSubject.next({ type: event.type, ts: event.ts, killSwitch: { ...this.killState }, message });
  }
}
