import { NEVER, Subject, type Observable, type Subscription } from 'rxjs';
import type { BookView } from '../book/l2-book.js';
import type { Clock } from '../contracts/clock.js';
import type { ExecutionContext, ExecutionProgress } from '../contracts/execution-context.js';
import type { ExecutionStrategy, PlaceAction, StrategyAction } from '../contracts/execution-strategy.js';
import type { Logger } from '../contracts/logger.js';
import type { MarketStateUpdate } from '../contracts/market-state-classifier.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ErrorInfo, ExecutionCompletion, ExecutionEvent, ExecutionReport } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { MarketEvent, MarketInfo } from '../model/market.schema.js';
import type { StrategySelection } from '../optimizer/strategy-selection.schema.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type OrderRequest, type TerminalParentStatus, type TimeInForce } from '../model/order.schema.js';
import { ceilToIncrement, floorToIncrement } from '../util/rounding.js';
import type { MarketDataFreshness } from './asset-cache-manager.js';
import { buildExecutionReport } from './execution-report.js';
import { ScheduleSeries } from './schedule-series.js';
import type { OrderRouter, RouterListener } from './order-router.js';
import { pinnedParams, type ExecutionResumeState } from './recovery.js';

/** Most points kept in a report's schedule series; beyond it every other point is dropped. */

/** What an `Execution` needs from the engine. */
export interface ExecutionDeps {
  readonly executionId: string;
  readonly request: OrderRequest;
  readonly params: unknown;
  readonly strategy: ExecutionStrategy<unknown>;
  readonly market: MarketInfo;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly router: OrderRouter;
  readonly book: BookView;
  /** Freshness of the symbol's market data (from the asset cache). */
  readonly freshness: () => MarketDataFreshness;
  readonly market$: Observable<MarketEvent>;
  readonly state$?: Observable<MarketStateUpdate>;
  /** For `type: "auto"`: the optimizer's choice, noted at the start and kept in the report. */
  readonly selection?: StrategySelection;
  /** Publishes an execution event (to `events$`, collectors, the journal). */
  readonly emit: (event: ExecutionEvent) => void;
  /** Set when continuing a journaled execution after a restart (see `ExecutionRecovery`). */
  readonly resume?: ExecutionResumeState;
}

/**
 * One parent order in flight: it runs the strategy, turns its actions into child
 * orders through the router (rounding, limit-price guard, min size, never more than the
 * unallocated quantity), tracks fills, and decides the terminal state.
 */
export class Execution implements RouterListener {
  readonly id: string;
  readonly startedAt: number;
  readonly arrivalPrice: number | null;
  /** Resolves with the report when the parent order is terminal. */
  readonly done: Promise<ExecutionReport>;

  private readonly children = new Map<string, ChildOrder>();
  /** The non-terminal subset of `children`, in the same order, kept as they change (progress() runs several times per decision). */
  private readonly workingChildren = new Map<string, ChildOrder>();
  private readonly fills: Fill[] = [];
  private readonly errors: ErrorInfo[] = [];
  private readonly fillSubject = new Subject<Fill>();
  private readonly childSubject = new Subject<ChildOrder>();
  private readonly limitPrice: number | undefined;
  private readonly halfStep: number;
  private readonly pendingAmends = new Map<string, { newClientOrderId: string; price?: number; quantity?: number; reason: string }>();
  private filledQuantity = 0;
  private filledValue = 0;
  private fees = 0;
  private feeCurrency: string;
  private readonly schedule = new ScheduleSeries();
  /** `filledQuantity` as last rounded for a schedule point, and that rounding (a point is recorded on every `schedule` action). */
  private completion: ExecutionCompletion | undefined;
  private marketVolume = 0;
  private marketValue = 0;
  private marketSubscription?: Subscription;
  private strategyDone = false;
  private finishRequest: { status: 'expired' | 'cancelled'; reason: string } | undefined;
  private stopRequest: { status: 'cancelled' | 'expired'; reason: string } | undefined;
  private subscription?: Subscription;
  private ended = false;
  private resolve!: (report: ExecutionReport) => void;
  private clientOrderSequence = 0;

  constructor(private readonly deps: ExecutionDeps) {
    this.id = deps.executionId;
    this.startedAt = deps.resume?.startedAt ?? deps.clock.now();
    const mid = deps.book.mid();
    this.arrivalPrice = deps.resume ? deps.resume.arrivalPrice : Number.isFinite(mid) ? mid : null;
    this.halfStep = deps.market.stepSize / 2;
    this.feeCurrency = deps.market.quote;
    this.limitPrice = deps.request.price ?? readLimitPrice(deps.params);
    this.done = new Promise((resolve) => (this.resolve = resolve));
    if (deps.resume) this.restore(deps.resume);
  }

  /** Loads a resumed execution's children, fills and client id sequence. */
  private restore(resume: ExecutionResumeState): void {
    this.clientOrderSequence = resume.lastClientOrderSequence;
    for (const child of resume.children) this.setChild(child);
    for (const fill of resume.fills) {
      this.fills.push(fill);
      this.filledQuantity += fill.quantity;
      this.filledValue += fill.price * fill.quantity;
      this.fees += fill.fee;
      if (fill.feeCurrency) this.feeCurrency = fill.feeCurrency;
    }
  }

  /** Emits `execution-started` and subscribes to the strategy. */
  start(): void {
    const { deps } = this;
    deps.router.register(this.id, this);
    if (deps.resume) {
      this.note(`resumed after a restart: ${this.filledQuantity} of ${deps.request.quantity} filled, client ids continue after ${this.id}-${this.clientOrderSequence}`);
      if (deps.resume.endReason) return this.stop('expired', deps.resume.endReason);
    } else {
      deps.emit({
        type: 'execution-started',
        executionId: this.id,
        ts: this.startedAt,
        request: deps.request,
        strategy: deps.strategy.id,
        arrivalPrice: this.arrivalPrice,
        market: deps.market,
      });
      deps.emit({ type: 'checkpoint', executionId: this.id, ts: this.startedAt, state: { params: pinnedParams(deps.params, this.startedAt) } });
    }
    if (deps.selection) {
      this.note(`auto: the optimizer chose ${deps.selection.strategy}: ${deps.selection.explanation.decidedBy}`, { selection: deps.selection });
    }
    // Market trades during the execution, for the report's market VWAP (every strategy).
    this.marketSubscription = deps.market$.subscribe((event) => {
      if (event.type !== 'trade' || this.ended) return;
      this.marketVolume += event.quantity;
      this.marketValue += event.price * event.quantity;
    });
    const context = this.context();
    try {
      this.subscription = deps.strategy.execute(context).subscribe({
        next: (action) => this.onAction(action),
        error: (error: unknown) => this.onStrategyError(error),
        complete: () => {
          this.strategyDone = true;
          this.checkEnd();
        },
      });
    } catch (error) {
      this.onStrategyError(error);
    }
    this.checkEnd();
  }

  /** Cancels working children and ends as `cancelled` (user) or `expired` (no more data). */
  stop(status: 'cancelled' | 'expired', reason: string): void {
    if (this.ended || this.stopRequest) return;
    this.stopRequest = { status, reason };
    this.subscription?.unsubscribe();
    this.note(`stopping: ${reason}`);
    this.cancelWorking();
    this.checkEnd();
  }

  /** Records the latest state of a child order (and whether it still works). */
  private setChild(order: ChildOrder): void {
    this.children.set(order.clientOrderId, order);
    if (TERMINAL_CHILD_STATUSES.has(order.status)) this.workingChildren.delete(order.clientOrderId);
    else this.workingChildren.set(order.clientOrderId, order);
  }

  /** Current quantities. */
  progress(): ExecutionProgress {
    const workingOrders = [...this.workingChildren.values()];
    const workingQuantity = this.workingQuantity();
    const requestedQuantity = this.deps.request.quantity;
    return {
      requestedQuantity,
      filledQuantity: this.filledQuantity,
      workingQuantity,
      unallocatedQuantity: Math.max(0, requestedQuantity - this.filledQuantity - workingQuantity),
      workingOrders,
    };
  }

  /** Unfilled quantity of the working children, summed in their order (no copy: it runs on every decision). */
  private workingQuantity(): number {
    let sum = 0;
    for (const child of this.workingChildren.values()) sum += Math.max(0, child.quantity - child.filledQuantity);
    return sum;
  }

  // RouterListener
  onOrder(order: ChildOrder): void {
    if (this.ended) return;
    this.setChild(order);
    this.deps.emit({ type: 'child-order-updated', executionId: this.id, ts: this.deps.clock.now(), order });
    this.childSubject.next(order);
    this.emitProgress();
    if (TERMINAL_CHILD_STATUSES.has(order.status)) {
      const amend = this.pendingAmends.get(order.clientOrderId);
      if (amend) {
        this.pendingAmends.delete(order.clientOrderId);
        if (!this.stopRequest) this.placeReplacement(order, amend);
      }
    }
    this.checkEnd();
  }

  onFill(fill: Fill): void {
    if (this.ended) return;
    this.fills.push(fill);
    this.filledQuantity += fill.quantity;
    this.filledValue += fill.price * fill.quantity;
    this.fees += fill.fee;
    this.feeCurrency = fill.feeCurrency;
    const routed = this.deps.router.get(fill.clientOrderId);
    if (routed) this.setChild(routed);
    this.deps.emit({ type: 'fill', executionId: this.id, ts: fill.ts, fill });
    this.emitProgress();
    this.fillSubject.next(fill);
    this.checkEnd();
  }

  onError(clientOrderId: string, error: TrancheError, willRetry: boolean): void {
    if (this.ended) return;
    if (!willRetry) this.errors.push(error.toInfo());
    this.deps.emit({ type: 'child-order-error', executionId: this.id, ts: this.deps.clock.now(), clientOrderId, error: error.toInfo(), willRetry });
  }

  private context(): ExecutionContext<unknown> {
    const { deps } = this;
    return {
      executionId: this.id,
      request: deps.request,
      params: deps.params,
      limitPrice: this.limitPrice,
      market: deps.market,
      arrivalPrice: this.arrivalPrice,
      clock: deps.clock,
      logger: deps.logger,
      market$: deps.market$,
      state$: deps.state$ ?? NEVER,
      fills$: this.fillSubject.asObservable(),
      childOrders$: this.childSubject.asObservable(),
      book: () => deps.book,
      marketDataFreshness: () => deps.freshness(),
      progress: () => this.progress(),
      nextClientOrderId: () => `${this.id}-${++this.clientOrderSequence}`,
      roundQuantity: (quantity) => floorToIncrement(quantity, deps.market.stepSize),
      roundPrice: (price) =>
        deps.request.side === 'buy' ? floorToIncrement(price, deps.market.tickSize) : ceilToIncrement(price, deps.market.tickSize),
      reportCompletion: (completion) => {
        if (!this.ended) this.completion = { ...completion };
      },
      checkpoint: (state) => {
        if (!this.ended) deps.emit({ type: 'checkpoint', executionId: this.id, ts: deps.clock.now(), state: { ...state } });
      },
      ...(deps.resume ? { resumed: { startedAt: this.startedAt, checkpoint: deps.resume.checkpoint } } : {}),
    };
  }

  private onAction(action: StrategyAction): void {
    if (this.ended || this.stopRequest) return;
    switch (action.kind) {
      case 'note':
        this.note(action.message, action.data);
        break;
      case 'schedule':
        this.schedule.scheduledQuantity = action.scheduledQuantity;
        this.schedule.record(this.deps.clock.now(), this.filledQuantity);
        this.emitProgress();
        break;
      case 'place':
        this.place(action);
        break;
      case 'cancel':
        this.note(`cancel ${action.clientOrderId}: ${action.reason}`);
        void this.deps.router.cancel(action.clientOrderId);
        break;
      case 'amend': {
        const child = this.children.get(action.clientOrderId);
        if (!child || TERMINAL_CHILD_STATUSES.has(child.status)) {
          this.note(`amend of ${action.clientOrderId} ignored: the order is no longer working`);
          break;
        }
        this.pendingAmends.set(action.clientOrderId, {
          newClientOrderId: action.newClientOrderId,
          reason: action.reason,
          ...(action.price === undefined ? {} : { price: action.price }),
          ...(action.quantity === undefined ? {} : { quantity: action.quantity }),
        });
        this.note(`amend ${action.clientOrderId} → ${action.newClientOrderId}: ${action.reason}`);
        void this.deps.router.cancel(action.clientOrderId);
        break;
      }
      case 'finish':
        this.finishRequest = { status: action.status, reason: action.reason };
        this.strategyDone = true;
        this.subscription?.unsubscribe();
        this.cancelWorking();
        this.checkEnd();
        break;
    }
  }

  private placeReplacement(old: ChildOrder, amend: { newClientOrderId: string; price?: number; quantity?: number; reason: string }): void {
    const remaining = old.quantity - old.filledQuantity;
    this.place({
      kind: 'place',
      clientOrderId: amend.newClientOrderId,
      type: old.type,
      quantity: amend.quantity ?? remaining,
      price: amend.price ?? old.price,
      timeInForce: old.timeInForce,
      reason: amend.reason,
    });
  }

  /** Applies the engine's guards to a place action, then hands the child to the router. */
  private place(action: PlaceAction): void {
    const { deps } = this;
    const { market, request } = deps;
    if (deps.router.knows(action.clientOrderId) || this.children.has(action.clientOrderId)) {
      this.note(`order ${action.clientOrderId} refused: client order id already used`);
      return;
    }
    const requested = request.quantity;
    const unallocated = Math.max(0, requested - this.filledQuantity - this.workingQuantity());
    let quantity = floorToIncrement(Math.min(action.quantity, unallocated), market.stepSize);
    if (quantity + this.halfStep < action.quantity) {
      this.note(`order ${action.clientOrderId} reduced from ${action.quantity} to ${quantity}: only ${unallocated} left to allocate`);
    }
    let type = action.type;
    let price = action.price;
    let timeInForce: TimeInForce = action.timeInForce ?? (type === 'market' ? 'IOC' : 'GTC');
    if (type === 'limit' && (price === undefined || !Number.isFinite(price) || price <= 0)) {
      this.note(`order ${action.clientOrderId} refused: a limit order needs a positive price`);
      return;
    }
    if (this.limitPrice !== undefined) {
      if (type === 'market') {
        // A market order under a parent limit becomes a marketable limit at that limit.
        type = 'limit';
        price = this.limitPrice;
        if (timeInForce === 'GTC') timeInForce = 'IOC';
      } else if (price !== undefined && (request.side === 'buy' ? price > this.limitPrice : price < this.limitPrice)) {
        this.note(`order ${action.clientOrderId} price ${price} capped at the limit price ${this.limitPrice}`);
        price = this.limitPrice;
      }
    }
    if (price !== undefined) {
      price = request.side === 'buy' ? floorToIncrement(price, market.tickSize) : ceilToIncrement(price, market.tickSize);
    }
    const freshness = deps.freshness();
    if (freshness.stale) {
      // Never act on stale data silently: the decision is the strategy's, the record is ours.
      this.note(`market data for ${request.symbol} is stale (${Number.isFinite(freshness.ageMs) ? `${Math.round(freshness.ageMs)} ms old` : 'never received'}) when placing ${action.clientOrderId}`);
    }
    const referencePrice = price ?? (request.side === 'buy' ? deps.book.bestAsk() : deps.book.bestBid());
    if (quantity < market.minQuantity || quantity <= 0) {
      this.note(`order ${action.clientOrderId} not sent: quantity ${quantity} is below the venue minimum ${market.minQuantity}`);
      this.checkEnd();
      return;
    }
    if (Number.isFinite(referencePrice) && quantity * referencePrice < market.minNotional) {
      this.note(`order ${action.clientOrderId} not sent: notional ${(quantity * referencePrice).toFixed(2)} is below the venue minimum ${market.minNotional}`);
      this.checkEnd();
      return;
    }
    if (market.maxQuantity !== undefined && quantity > market.maxQuantity) quantity = floorToIncrement(market.maxQuantity, market.stepSize);
    const now = deps.clock.now();
    const order: ChildOrder = {
      clientOrderId: action.clientOrderId,
      parentId: this.id,
      symbol: request.symbol,
      side: request.side,
      type,
      timeInForce,
      quantity,
      filledQuantity: 0,
      averagePrice: 0,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    if (price !== undefined) order.price = price;
    this.setChild(order);
    this.note(`${type} ${request.side} ${quantity}${price === undefined ? '' : ` @ ${price}`} (${timeInForce}) as ${order.clientOrderId}: ${action.reason}`);
    const intent = { type: 'child-order-intent' as const, executionId: this.id, ts: now, order };
    deps.emit(intent);
    void deps.router.submit(order, intent);
  }

  private onStrategyError(error: unknown): void {
    const failure = TrancheError.from(error);
    this.errors.push(failure.toInfo());
    this.deps.logger.error('strategy failed', { strategy: this.deps.strategy.id, error: failure.message });
    this.stopRequest ??= { status: 'cancelled', reason: `strategy ${this.deps.strategy.id} failed: ${failure.message}` };
    this.strategyDone = true;
    this.cancelWorking();
    this.checkEnd();
  }

  private cancelWorking(): void {
    for (const child of this.children.values()) {
      if (!TERMINAL_CHILD_STATUSES.has(child.status)) void this.deps.router.cancel(child.clientOrderId);
    }
  }

  private checkEnd(): void {
    if (this.ended) return;
    const requested = this.deps.request.quantity;
    const working = this.workingChildren.size;
    const complete = this.filledQuantity >= requested - this.halfStep;
    if (complete && working === 0) return this.end('filled', 'filled the requested quantity');
    if (complete) {
      // Filled while children still work (e.g. fills ahead of their status update): cancel only what is left open.
      for (const child of [...this.workingChildren.values()]) {
        if (child.quantity - child.filledQuantity > this.halfStep) void this.deps.router.cancel(child.clientOrderId);
      }
      return;
    }
    if (working > 0 || this.pendingAmends.size > 0) return;
    if (this.stopRequest) {
      const { status, reason } = this.stopRequest;
      return this.end(status === 'cancelled' ? 'cancelled' : this.filledQuantity > 0 ? 'partially_filled' : 'expired', reason);
    }
    if (!this.strategyDone) return;
    if (this.finishRequest?.status === 'cancelled') return this.end('cancelled', this.finishRequest.reason);
    const reason = this.finishRequest?.reason ?? `strategy ${this.deps.strategy.id} completed`;
    this.end(this.filledQuantity > 0 ? 'partially_filled' : this.errors.length > 0 && this.fills.length === 0 ? 'rejected' : 'expired', reason);
  }

  private end(status: TerminalParentStatus, reason: string): void {
    if (this.ended) return;
    this.subscription?.unsubscribe();
    this.ended = true;
    this.marketSubscription?.unsubscribe();
    if (this.schedule.points.length > 0) this.schedule.record(this.deps.clock.now(), this.filledQuantity);
    this.deps.router.unregister(this.id);
    const report = this.report(status, reason);
    this.deps.emit({ type: 'execution-ended', executionId: this.id, ts: report.endedAt, status, report });
    this.fillSubject.complete();
    this.childSubject.complete();
    this.resolve(report);
  }

  private report(status: TerminalParentStatus, reason: string): ExecutionReport {
    const { request, strategy, clock, selection } = this.deps;
    return buildExecutionReport({
      id: this.id,
      request,
      strategy: strategy.id,
      status,
      reason,
      arrivalPrice: this.arrivalPrice,
      startedAt: this.startedAt,
      endedAt: clock.now(),
      filledQuantity: this.filledQuantity,
      filledValue: this.filledValue,
      fees: this.fees,
      feeCurrency: this.feeCurrency,
      marketVolume: this.marketVolume,
      marketValue: this.marketValue,
      children: [...this.children.values()],
      fills: this.fills,
      errors: this.errors,
      completion: this.completion,
      schedule: this.schedule.points,
      selection,
    });
  }

  private note(message: string, data?: Record<string, unknown>): void {
    const ts = this.deps.clock.now();
    this.deps.emit(data === undefined ? { type: 'note', executionId: this.id, ts, message } : { type: 'note', executionId: this.id, ts, message, data });
  }

  private emitProgress(): void {
    const ts = this.deps.clock.now();
    const requestedQuantity = this.deps.request.quantity;
    const workingQuantity = this.workingQuantity();
    const scheduledQuantity = this.schedule.scheduledQuantity;
    this.deps.emit(
      scheduledQuantity === undefined
        ? { type: 'progress', executionId: this.id, ts, requestedQuantity, filledQuantity: this.filledQuantity, workingQuantity }
        : { type: 'progress', executionId: this.id, ts, requestedQuantity, filledQuantity: this.filledQuantity, workingQuantity, scheduledQuantity },
    );
  }
}

function readLimitPrice(params: unknown): number | undefined {
  if (params && typeof params === 'object' && 'limitPrice' in params) {
    const value = (params as { limitPrice?: unknown }).limitPrice;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
}
