import { inject, injectable, optional, postConstruct } from 'inversify';
import { Subject, type Observable, type Subscription } from 'rxjs';
import {
  AssetCacheManager,
  Clock,
  ExecutionHistoryStore,
  Logger,
  MarketDataSource,
  MarketStateProvider,
  TrancheError,
  metricKey,
  type ExecutionEvent,
  type ExecutionEventOf,
  type ExecutionQualityRecord,
  type MarketEvent,
  type MarketInfo,
  type MetricCollector,
  type MetricSnapshot,
} from '@tranche/core';
import { AGGREGATED_QUALITY_FIELDS, aggregateQuality, type AggregatedQualityField, type QualityAggregate } from './aggregate-quality.js';
import { buildQualityRecord, type QualityRecordInput } from './build-quality-record.js';
import { QualityMonitorConfig } from './quality-monitor-config.schema.js';
import { feeInQuote, sizeReferenceVolume, type QualityFill } from './quality-formulas.js';
import { TrailingVolume } from './trailing-volume.js';

const MINUTE_MS = 60_000;

interface RunningExecution {
  readonly symbol: string;
  readonly market: MarketInfo;
  readonly marketState: string | null;
  readonly fills: QualityFill[];
  unconvertedFees: number;
}

interface PendingRecord {
  readonly input: QualityRecordInput;
  provisional: ExecutionQualityRecord;
  readonly timers: Subscription[];
}

/** Snake-case metric names of the aggregated fields. */
const METRIC_NAMES: Record<AggregatedQualityField, string> = {
  implementationShortfallBps: 'implementation_shortfall_bps',
  vwapSlippageBps: 'vwap_slippage_bps',
  spreadCostBps: 'spread_cost_bps',
  impactCostBps: 'impact_cost_bps',
  feeBps: 'fee_bps',
  totalCostBps: 'total_cost_bps',
  fillRate: 'fill_rate',
  makerShare: 'maker_share',
  participationRate: 'participation_rate',
  timeToCompleteMs: 'time_to_complete_ms',
  markout1mBps: 'markout_1m_bps',
  markout5mBps: 'markout_5m_bps',
};

/**
 * Transaction-cost analysis of every execution, as a `MetricCollector`. From the event
 * stream it keeps, per running execution, the market state at the start, each fill with
 * the book mid then (from the `AssetCacheManager`) and its fee in the quote currency;
 * at the end it builds the `ExecutionQualityRecord` (shortfall, VWAP slippage, spread,
 * impact, fees, participation, size bucket…). The record stays provisional until the
 * mids 1 and 5 minutes after the end are known (timers on the clock, so in a backtest
 * they fire as the data moves time on) or the data ends; then it is final: kept in
 * memory, published on `records$`, saved to the `ExecutionHistoryStore` if one is bound,
 * and counted in the strategy × market state × size bucket aggregate.
 */
@injectable()
export class ExecutionQualityMonitor implements MetricCollector {
  /** Collector id. */
  readonly id = 'monitor-quality';
  private readonly logger: Logger;
  private readonly running = new Map<string, RunningExecution>();
  private readonly pending = new Map<string, PendingRecord>();
  private readonly final = new Map<string, ExecutionQualityRecord>();
  private readonly volumes = new Map<string, TrailingVolume>();
  private readonly recordSubject = new Subject<ExecutionQualityRecord>();
  private readonly saves = new Set<Promise<void>>();
  private sourceSubscription?: Subscription;
  private dataEnded = false;
  private closed = false;
  private finalized = 0;
  private saved = 0;
  private saveErrors = 0;

  constructor(
    @inject(QualityMonitorConfig) private readonly config: QualityMonitorConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(AssetCacheManager) private readonly cache: AssetCacheManager,
    @inject(MarketStateProvider) @optional() private readonly states?: MarketStateProvider,
    @inject(ExecutionHistoryStore) @optional() private readonly history?: ExecutionHistoryStore,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
  ) {
    this.logger = logger.child({ component: 'monitor-quality' });
  }

  /** Follows the end of the market data (open records are then final without the markouts the data did not reach). No I/O. */
  @postConstruct()
  attachSource(): void {
    if (this.sourceSubscription || !this.source) return;
    this.sourceSubscription = this.source.events$.subscribe({ complete: () => this.onDataEnded() });
  }

  /** Final records, published as each becomes final. */
  get records$(): Observable<ExecutionQualityRecord> {
    return this.recordSubject.asObservable();
  }

  /** Final records kept in memory, oldest first. */
  records(): ExecutionQualityRecord[] {
    return [...this.final.values()];
  }

  /** The record of an execution: final, or provisional (markouts `null`) while they are awaited. */
  record(executionId: string): ExecutionQualityRecord | undefined {
    return this.final.get(executionId) ?? this.pending.get(executionId)?.provisional;
  }

  /** True once the record of an execution is final. */
  isFinal(executionId: string): boolean {
    return this.final.has(executionId);
  }

  /** Ids of executions whose records await their markouts. */
  pendingIds(): string[] {
    return [...this.pending.keys()];
  }

  /** The final records grouped by strategy × market state × size bucket, with count, mean and p90 of each measure. */
  aggregate(): QualityAggregate[] {
    return aggregateQuality(this.final.values());
  }

  onMarketEvent(event: MarketEvent): void {
    let volume = this.volumes.get(event.symbol);
    if (!volume) this.volumes.set(event.symbol, (volume = new TrailingVolume(this.config.sizeReferenceHorizonMs)));
    if (event.type === 'trade') volume.add(event.ts, event.quantity);
    else volume.seen(event.ts);
  }

  onExecutionEvent(event: ExecutionEvent): void {
    switch (event.type) {
      case 'execution-started':
        this.running.set(event.executionId, {
          symbol: event.request.symbol,
          market: event.market,
          marketState: this.states?.current(event.request.symbol)?.state ?? null,
          fills: [],
          unconvertedFees: 0,
        });
        return;
      case 'fill':
        this.onFill(event);
        return;
      case 'execution-ended':
        this.onEnded(event);
        return;
      default:
        return;
    }
  }

  snapshot(): MetricSnapshot {
    const snapshot: MetricSnapshot = {
      quality_records_total: { kind: 'counter', value: this.finalized, help: 'executions whose quality record is final' },
      quality_records_pending: { kind: 'gauge', value: this.pending.size, help: 'records awaiting their markouts' },
      quality_history_saves_total: { kind: 'counter', value: this.saved, help: 'records saved to the execution history' },
      quality_history_save_errors_total: { kind: 'counter', value: this.saveErrors, help: 'records the execution history failed to save' },
    };
    for (const group of this.aggregate()) {
      const labels = { strategy: group.strategy, market_state: group.marketState, size_bucket: group.sizeBucket };
      snapshot[metricKey('quality_executions', labels)] = { kind: 'gauge', value: group.count };
      for (const field of AGGREGATED_QUALITY_FIELDS) {
        const stat = group.stats[field];
        if (stat.mean !== null) snapshot[metricKey(`quality_${METRIC_NAMES[field]}_mean`, labels)] = { kind: 'gauge', value: stat.mean };
        if (stat.p90 !== null) snapshot[metricKey(`quality_${METRIC_NAMES[field]}_p90`, labels)] = { kind: 'gauge', value: stat.p90 };
      }
    }
    return snapshot;
  }

  /** Makes every open record final now (markouts not reached stay `null`) and waits for the history saves. */
  async flush(): Promise<void> {
    for (const executionId of [...this.pending.keys()]) this.finalize(executionId);
    while (this.saves.size > 0) await Promise.all([...this.saves]);
  }

  /** Flushes, stops following the data and completes `records$`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sourceSubscription?.unsubscribe();
    await this.flush();
    this.recordSubject.complete();
  }

  private onFill(event: ExecutionEventOf<'fill'>): void {
    const execution = this.running.get(event.executionId);
    if (!execution) return;
    const { fill } = event;
    const feeQuote = feeInQuote(fill.fee, fill.feeCurrency, fill.price, execution.market);
    if (feeQuote === null) execution.unconvertedFees++;
    execution.fills.push({
      ts: fill.ts,
      price: fill.price,
      quantity: fill.quantity,
      feeQuote,
      liquidity: fill.liquidity,
      mid: this.freshMid(execution.symbol),
    });
  }

  private onEnded(event: ExecutionEventOf<'execution-ended'>): void {
    const { report } = event;
    const execution = this.running.get(report.id);
    this.running.delete(report.id);
    if (execution && execution.unconvertedFees > 0) {
      this.logger.warn('fees in a currency other than the base or quote are left out of the quality record', {
        executionId: report.id,
        fills: execution.unconvertedFees,
      });
    }
    const fills: QualityFill[] =
      execution?.fills ??
      report.fills.map((fill) => ({ ts: fill.ts, price: fill.price, quantity: fill.quantity, feeQuote: fill.fee, liquidity: fill.liquidity, mid: null }));
    const horizonMs = this.config.sizeReferenceHorizonMs;
    const volume = this.volumes.get(report.symbol);
    const lookbackFrom = report.endedAt - horizonMs;
    const input: QualityRecordInput = {
      report,
      fills,
      marketState: execution?.marketState ?? null,
      marketVolume: report.marketVolume ?? null,
      marketVwap: report.marketVwap ?? null,
      sizeReferenceVolume: sizeReferenceVolume({
        windowMs: report.endedAt - report.startedAt,
        windowVolume: report.marketVolume ?? null,
        horizonMs,
        lookbackVolume: volume?.volumeBetween(lookbackFrom, report.endedAt) ?? 0,
        observedMs: volume?.firstSeenAt === undefined ? 0 : report.endedAt - Math.max(lookbackFrom, volume.firstSeenAt),
      }),
      midAfter1m: null,
      midAfter5m: null,
    };
    let provisional: ExecutionQualityRecord;
    try {
      provisional = buildQualityRecord(input);
    } catch (error) {
      this.logger.error('quality record could not be built', { executionId: report.id, error: TrancheError.from(error).message });
      return;
    }
    const pending: PendingRecord = { input, provisional, timers: [] };
    this.pending.set(report.id, pending);
    if (!this.config.waitForMarkouts || this.dataEnded || this.closed) {
      this.finalize(report.id);
      return;
    }
    const scheduler = this.clock.scheduler;
    pending.timers.push(
      scheduler.schedule(() => {
        input.midAfter1m = this.freshMid(report.symbol);
        pending.provisional = buildQualityRecord(input);
      }, MINUTE_MS),
      scheduler.schedule(() => {
        input.midAfter5m = this.freshMid(report.symbol);
        this.finalize(report.id);
      }, 5 * MINUTE_MS),
    );
  }

  /** The symbol's book mid from the asset cache, `null` when a side is empty or the book is older than `maxMidAgeMs`. */
  private freshMid(symbol: string): number | null {
    const book = this.cache.book(symbol);
    const mid = book.mid();
    if (!Number.isFinite(mid)) return null;
    return this.clock.now() - book.ts > this.config.maxMidAgeMs ? null : mid;
  }

  private finalize(executionId: string): void {
    const pending = this.pending.get(executionId);
    if (!pending) return;
    this.pending.delete(executionId);
    for (const timer of pending.timers) timer.unsubscribe();
    let record: ExecutionQualityRecord;
    try {
      record = buildQualityRecord(pending.input);
    } catch (error) {
      this.logger.error('quality record could not be built', { executionId, error: TrancheError.from(error).message });
      return;
    }
    this.final.set(executionId, record);
    if (this.final.size > this.config.maxRecords) this.final.delete(this.final.keys().next().value!);
    this.finalized++;
    this.recordSubject.next(record);
    if (this.history && this.config.saveToHistory) this.save(this.history, pending.input, record);
  }

  private save(history: ExecutionHistoryStore, input: QualityRecordInput, record: ExecutionQualityRecord): void {
    // The engine opens the store (the strategy optimizer's initialize); the monitor only saves.
    const saving = history
      .save({ report: input.report, quality: record })
      .then(
        () => {
          this.saved++;
        },
        (error: unknown) => {
          this.saveErrors++;
          this.logger.error('execution history save failed', { executionId: record.executionId, error: TrancheError.from(error).message });
        },
      )
      .finally(() => this.saves.delete(saving));
    this.saves.add(saving);
  }

  private onDataEnded(): void {
    this.dataEnded = true;
    for (const executionId of [...this.pending.keys()]) this.finalize(executionId);
  }
}
