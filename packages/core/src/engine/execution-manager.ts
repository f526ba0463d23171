import { inject, injectable, multiInject, optional } from 'inversify';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { ExecutionJournal } from '../contracts/execution-journal.js';
import { ExecutionStrategy } from '../contracts/execution-strategy.js';
import { Logger } from '../contracts/logger.js';
import { MarketDataSource } from '../contracts/market-data-source.js';
import { MarketStateProvider } from '../contracts/market-state-classifier.js';
import { MetricCollector } from '../contracts/metric-collector.js';
import { Venue } from '../contracts/venue.js';
import type { MarketInfo } from '../model/market.schema.js';
import { autoOrderDetails, fitAutoOrder } from '../optimizer/auto-order.js';
import { ExecutionStrategyOptimizer } from '../optimizer/execution-strategy-optimizer.js';
import type { StrategySelection } from '../optimizer/strategy-selection.schema.js';
import { TrancheError } from '../errors/tranche-error.js';
import { parseInput } from '../errors/validation.js';
import type { CoreConfig } from '../model/config.schema.js';
import { ExecutionAlertSchema, type ExecutionAlert, type ExecutionEvent, type ExecutionReport } from '../model/execution.schema.js';
import { OrderRequestSchema, type OrderRequest } from '../model/order.schema.js';
import { RunLoop } from '../time/run-loop.js';
import { AssetCacheManager } from './asset-cache-manager.js';
import { Execution } from './execution.js';
import { ExecutionRecovery, JOURNALED_EVENT_TYPES } from './execution-recovery.js';
import { OrderRouter } from './order-router.js';
import { RiskGate } from './risk-gate.js';
import { ActiveVenue, TrancheConfig } from './tokens.js';

/**
 * The entry point of the engine: validates an order request, picks its strategy,
 * runs it as an `Execution` against the active venue and resolves with an
 * `ExecutionReport` once the parent order is terminal. Every event of every execution
 * is published on `events$`.
 */
@injectable()
export class ExecutionManager {
  private readonly eventsSubject = new Subject<ExecutionEvent>();
  private readonly executions = new Map<string, Execution>();
  private readonly usedIds = new Set<string>();
  private readonly strategies: Map<string, ExecutionStrategy<unknown>>;
  private readonly subscriptions: Subscription[] = [];
  private initializing?: Promise<void>;
  private recovering?: Promise<Promise<ExecutionReport>[]>;
  private readonly journalOn: boolean;
  private closed = false;
  private readonly journalWrites = new Set<Promise<void>>();
  private dataEnded = false;
  private sequence = 0;

  private readonly logger: Logger;

  constructor(
    @inject(TrancheConfig) private readonly config: CoreConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(OrderRouter) private readonly router: OrderRouter,
    @inject(AssetCacheManager) private readonly cache: AssetCacheManager,
    @inject(RunLoop) private readonly runLoop: RunLoop,
    @inject(ActiveVenue) private readonly venue: Venue,
    @multiInject(ExecutionStrategy) @optional() strategies: ExecutionStrategy<unknown>[] | undefined,
    @multiInject(MetricCollector) @optional() private readonly collectors: MetricCollector[] = [],
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
    @inject(MarketStateProvider) @optional() private readonly states?: MarketStateProvider,
    @inject(ExecutionStrategyOptimizer) @optional() private readonly optimizer?: ExecutionStrategyOptimizer,
    @inject(RiskGate) @optional() private readonly riskGate?: RiskGate,
    @inject(ExecutionJournal) @optional() private readonly journal?: ExecutionJournal,
  ) {
    this.logger = logger.child({ component: 'engine' });
    this.journalOn = journal !== undefined && journal.enabled !== false;
    this.strategies = new Map();
    for (const strategy of strategies ?? []) {
      if (this.strategies.has(strategy.id)) throw new TrancheError('internal', `two strategies are registered as "${strategy.id}"`);
      this.strategies.set(strategy.id, strategy);
    }
    this.collectors ??= [];
    for (const collector of this.collectors) collector.attach?.((alert) => this.publishAlert(collector.id, alert));
  }

  /** Every event of every execution. */
  get events$(): Observable<ExecutionEvent> {
    return this.eventsSubject.asObservable();
  }

  /** Ids of the installed strategies. */
  strategyIds(): string[] {
    return [...this.strategies.keys()].sort();
  }

  /**
   * Connects the data source, the venue and the asset cache, then starts the data
   * source. The venue is initialized before the cache so that it sees each market
   * event first (a replayed exchange updates its book before strategies react).
   */
  initialize(): Promise<void> {
    this.initializing ??= this.doInitialize();
    return this.initializing;
  }

  /**
   * Resumes the journaled executions that did not end (also started by `initialize()`
   * when an enabled journal is bound): reconciles their child orders with the venue by
   * client id and continues each with its remaining quantity and time (see
   * `ExecutionRecovery`). Resolves with their reports once they are terminal; with none
   * when there is no journal or nothing to resume.
   */
  async resume(): Promise<ExecutionReport[]> {
    await this.initialize();
    this.recovering ??= this.recover();
    return Promise.all(await this.recovering);
  }

  /**
   * Executes one parent order. Rejects with a validation `TrancheError` naming the field
   * and value for a bad request (nothing is sent); otherwise resolves with the report
   * when the order is terminal, whatever its fill status.
   */
  async executeOrder(input: unknown): Promise<ExecutionReport> {
    if (this.closed) throw new TrancheError('internal', 'the execution manager is closed', { retryable: false });
    await this.initialize();
    let request: OrderRequest = parseInput(OrderRequestSchema, input, 'order');
    const auto = request.type === 'auto' && this.optimizer !== undefined;
    let strategy = auto ? undefined : this.resolveStrategy(request.type);
    this.cache.assertKnownSymbol(request.symbol);
    const market = await this.cache.market(request.symbol);
    if (request.quantity < market.minQuantity) {
      // No strategy can complete an order the venue would never accept: refuse it here, for all of them.
      throw new TrancheError('validation', `invalid order: quantity must be at least ${market.minQuantity} on ${market.symbol}, got ${request.quantity}`, {
        field: 'quantity',
        retryable: false,
      });
    }
    let params: unknown;
    let selection: StrategySelection | undefined;
    if (strategy) {
      params = parseInput(strategy.paramsSchema, request.params ?? {}, 'order', (path) => ['params', ...path].map(String).join('.'));
      strategy.validate?.(request, params, market);
    } else {
      ({ strategy, params, request, selection } = this.selectStrategy(request, market));
    }
    // Pre-trade risk on the parent (max parent notional, kill switch): refused before anything is sent.
    this.riskGate?.checkParent(request);
    const executionId = this.newExecutionId(request);
    if (this.dataEnded) {
      throw new TrancheError('validation', `invalid order: the market data of ${this.source?.id ?? 'the source'} has ended`, { retryable: false });
    }
    const execution = new Execution({
      executionId,
      request,
      params,
      strategy,
      market,
      clock: this.clock,
      logger: this.logger.child({ component: 'strategy', executionId, strategy: strategy.id, symbol: request.symbol }),
      router: this.router,
      book: this.cache.book(request.symbol),
      freshness: () => this.cache.freshness(request.symbol),
      market$: this.cache.events$(request.symbol),
      ...(this.states ? { state$: this.states.state$(request.symbol) } : {}),
      ...(selection === undefined ? {} : { selection }),
      emit: (event) => this.publish(event),
    });
    this.executions.set(executionId, execution);
    this.runLoop.begin();
    execution.done.then(() => {
      this.executions.delete(executionId);
      this.runLoop.end();
      this.runLoop.poke();
    }, () => undefined);
    execution.start();
    return execution.done;
  }

  /** Cancels a parent order: cancels its working children, ends it as `cancelled` with `reason`. */
  async cancel(executionId: string, reason = 'cancelled by request'): Promise<ExecutionReport> {
    const execution = this.executions.get(executionId);
    if (!execution) throw new TrancheError('validation', `no active execution "${executionId}"`, { field: 'executionId', retryable: false });
    execution.stop('cancelled', reason);
    return execution.done;
  }

  /** Ids of executions still running. */
  activeExecutions(): string[] {
    return [...this.executions.keys()];
  }

  /** Cancels every running execution, then closes the venue and the data source. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.executions.values()];
    for (const execution of running) execution.stop('cancelled', 'execution manager closed');
    await Promise.all(running.map((execution) => execution.done));
    // Every event is journaled before the manager says it is closed (a network journal's last writes may still be travelling).
    await Promise.allSettled([...this.journalWrites]);
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    this.router.close();
    this.cache.close();
    await this.states?.close?.();
    await this.optimizer?.close();
    await this.venue.close();
    await this.source?.close();
    this.eventsSubject.complete();
  }

  private async doInitialize(): Promise<void> {
    await this.source?.initialize();
    await this.venue.initialize();
    this.router.start();
    await this.cache.initialize();
    await this.states?.initialize?.();
    await this.optimizer?.initialize();
    for (const collector of this.collectors) await collector.initialize?.();
    if (this.source) {
      const collectors = this.collectors.filter((collector) => collector.onMarketEvent);
      this.subscriptions.push(
        this.source.events$.subscribe({
          next: collectors.length === 0 ? () => undefined : (event) => {
            for (const collector of collectors) collector.onMarketEvent!(event);
          },
          complete: () => this.onDataEnded(),
        }),
      );
      await this.source.start();
    }
    if (this.journalOn) this.recovering ??= this.recover();
    await this.recovering;
    this.logger.info('execution manager ready', {
      venue: this.venue.id,
      source: this.source?.id,
      strategies: this.strategyIds(),
    });
  }

  private onDataEnded(): void {
    this.dataEnded = true;
    for (const execution of this.executions.values()) execution.stop('expired', 'market data ended before the order completed');
  }

  private resolveStrategy(type: string): ExecutionStrategy<unknown> {
    const id = type === 'auto' ? this.config.defaultStrategy : type;
    const strategy = this.strategies.get(id);
    if (!strategy) {
      const installed = this.strategyIds();
      const where = type === 'auto' ? `default_strategy "${id}" (used for type "auto")` : `type "${type}"`;
      throw new TrancheError(
        'validation',
        `invalid order: ${where} is not an installed strategy (installed: ${installed.length > 0 ? installed.join(', ') : 'none'})`,
        { field: 'type', retryable: false },
      );
    }
    return strategy;
  }

  /**
   * `type: "auto"` with the optimizer installed: fits the order to each candidate (see
   * `fitAutoOrder`) and asks the optimizer to choose among the eligible ones for the
   * symbol's current market state and the order's details.
   */
  private selectStrategy(request: OrderRequest, market: MarketInfo): { strategy: ExecutionStrategy<unknown>; params: unknown; request: OrderRequest; selection: StrategySelection } {
    const optimizer = this.optimizer!;
    const eligible = new Map<string, { request: OrderRequest; params: unknown }>();
    const refused: string[] = [];
    for (const id of optimizer.candidates()) {
      const strategy = this.strategies.get(id);
      if (!strategy) continue;
      const fitted = fitAutoOrder(request, strategy, market);
      if (fitted.ok) eligible.set(id, fitted);
      else refused.push(`${id}: ${fitted.reason}`);
    }
    if (eligible.size === 0) {
      throw new TrancheError('validation', `invalid order: no strategy the optimizer may choose accepts this "auto" order (${refused.join('; ') || `candidates: ${optimizer.candidates().join(', ') || 'none installed'}`})`, {
        field: 'type',
        retryable: false,
      });
    }
    const state = this.states?.current(request.symbol)?.state ?? null;
    const details = autoOrderDetails(request, this.cache.recentTrades(request.symbol), this.clock.now());
    const selection = optimizer.getOptimalStrategy(state, details, { candidates: [...eligible.keys()] });
    const chosen = eligible.get(selection.strategy)!;
    return { strategy: this.strategies.get(selection.strategy)!, params: chosen.params, request: chosen.request, selection };
  }

  private newExecutionId(request: OrderRequest): string {
    if (request.id !== undefined) {
      if (this.usedIds.has(request.id)) {
        throw new TrancheError('validation', `invalid order: id "${request.id}" was already used`, { field: 'id', retryable: false });
      }
      this.usedIds.add(request.id);
      return request.id;
    }
    // Time-based so ids stay unique across runs on a live venue; deterministic under a virtual clock.
    let id: string;
    do id = `t${this.clock.now().toString(36)}${(++this.sequence).toString(36)}`;
    while (this.usedIds.has(id));
    this.usedIds.add(id);
    return id;
  }

  /** A collector's alert: published like any execution event while its execution runs. */
  private publishAlert(collectorId: string, alert: ExecutionAlert): void {
    const parsed = ExecutionAlertSchema.safeParse(alert);
    if (!parsed.success) {
      this.logger.warn('invalid alert dropped', { collector: collectorId, error: parsed.error.message });
      return;
    }
    if (!this.executions.has(alert.executionId)) {
      this.logger.debug('alert about an execution that is not running dropped', { collector: collectorId, executionId: alert.executionId, kind: alert.kind });
      return;
    }
    this.publish(parsed.data);
  }

  /** Reconciles and restarts the unfinished journaled executions; resolves with their `done` promises. */
  private async recover(): Promise<Promise<ExecutionReport>[]> {
    if (!this.journal || !this.journalOn) return [];
    const recovery = new ExecutionRecovery({ journal: this.journal, venue: this.venue, clock: this.clock, logger: this.logger, strategies: this.strategies });
    const dones: Promise<ExecutionReport>[] = [];
    for (const resumed of await recovery.recover()) {
      const { state } = resumed;
      this.usedIds.add(state.executionId);
      const execution = new Execution({
        executionId: state.executionId,
        request: resumed.request,
        params: resumed.params,
        strategy: resumed.strategy,
        market: state.market,
        clock: this.clock,
        logger: this.logger.child({ component: 'strategy', executionId: state.executionId, strategy: state.strategy, symbol: state.request.symbol }),
        router: this.router,
        book: this.cache.book(state.request.symbol),
        freshness: () => this.cache.freshness(state.request.symbol),
        market$: this.cache.events$(state.request.symbol),
        ...(this.states ? { state$: this.states.state$(state.request.symbol) } : {}),
        emit: (event) => this.publish(event),
        resume: resumed.resume,
      });
      this.executions.set(state.executionId, execution);
      this.runLoop.begin();
      execution.done.then(() => {
        this.executions.delete(state.executionId);
        this.runLoop.end();
        this.runLoop.poke();
      }, () => undefined);
      execution.start();
      dones.push(execution.done);
    }
    return dones;
  }

  private publish(event: ExecutionEvent): void {
    if (this.journalOn && JOURNALED_EVENT_TYPES.has(event.type)) {
      try {
        const write = this.journal!.record(event).catch((error: unknown) => this.logger.error('journal write failed', { executionId: event.executionId, error: TrancheError.from(error).message }));
        this.journalWrites.add(write);
        void write.finally(() => this.journalWrites.delete(write));
      } catch (error) {
        this.logger.error('journal write failed', { executionId: event.executionId, error: TrancheError.from(error).message });
      }
    }
    for (const collector of this.collectors) collector.onExecutionEvent?.(event);
    this.eventsSubject.next(event);
  }
}
