import { inject, injectable, optional, postConstruct } from 'inversify';
import type { Subscription } from 'rxjs';
import {
  EventRateMeter,
  MarketDataSource,
  MetricRegistry,
  RunLoop,
  TERMINAL_CHILD_STATUSES,
  type Counter,
  type ExecutionEvent,
  type Histogram,
  type MarketEvent,
  type MetricCollector,
  type MetricSnapshot,
} from '@tranche/core';
import { PerformanceMetricsConfig } from './metrics-collector-config.schema.js';

interface PendingAck {
  readonly executionId: string;
  readonly dataTs: number;
  readonly wallMs: number;
}

/**
 * Real-time system metrics, as a `MetricCollector`: events per second (by data time),
 * decision latency (from a market event reaching the engine to each child-order intent
 * it triggered synchronously, wall clock), order acknowledgement latency (intent to the
 * venue's first answer, in data time and wall time), venue errors by kind, retries and
 * queue depths (working orders, unacknowledged intents, venue calls in flight).
 *
 * Decision latency is measured here, not in strategies or the engine: the collector
 * subscribes to the market data source when it is created — before the venue, the asset
 * cache and the strategies — and so marks when each event starts its way through the
 * engine; the engine hands the same event to collectors once every subscriber is done.
 * An intent in between was decided on that event. Intents from timers or venue answers
 * count as `decisions_total{trigger="other"}`, without a latency.
 */
@injectable()
export class PerformanceMetricsCollector implements MetricCollector {
  /** Collector id. */
  readonly id = 'metrics-collector';
  private readonly registry = new MetricRegistry();
  private readonly marketRate: EventRateMeter;
  private readonly executionRate: EventRateMeter;
  private readonly decisionLatency: Histogram;
  private readonly ackLatency: Histogram;
  private readonly ackLatencyWall: Histogram;
  private readonly pendingAcks = new Map<string, PendingAck>();
  /** Working (non-terminal) child orders by client order id, with their execution. */
  private readonly working = new Map<string, string>();
  /** Event counters by type, looked up once per type (they are bumped on every event). */
  private readonly marketCounters = new Map<string, Counter>();
  private readonly executionCounters = new Map<string, Counter>();
  /** Counters bumped on every decision or acknowledgement, registered on first use (as before) and then kept. */
  private marketDecisions?: Counter;
  private otherDecisions?: Counter;
  private acknowledgedOrders?: Counter;
  private dispatch: { event: MarketEvent; startedAt: number } | undefined;
  private sourceSubscription?: Subscription;
  private workingPeak = 0;

  constructor(
    @inject(PerformanceMetricsConfig) private readonly config: PerformanceMetricsConfig,
    @inject(MarketDataSource) @optional() private readonly source?: MarketDataSource,
    @inject(RunLoop) @optional() runLoop?: RunLoop,
  ) {
    const registry = this.registry;
    this.marketRate = new EventRateMeter(config.rateWindowMs, config.rateBucketMs);
    this.executionRate = new EventRateMeter(config.rateWindowMs, config.rateBucketMs);
    this.decisionLatency = registry.histogram('decision_latency_us', config.decisionLatencyBoundsUs, {
      help: 'wall time from a market event reaching the engine to a child-order decision it triggered, µs',
    });
    this.ackLatency = registry.histogram('order_ack_latency_ms', config.ackLatencyBoundsMs, {
      help: 'data time from a child-order intent to the venue acknowledging it, ms',
    });
    this.ackLatencyWall = registry.histogram('order_ack_latency_wall_us', config.ackLatencyWallBoundsUs, {
      help: 'wall time from a child-order intent to the venue acknowledging it, µs',
    });
    registry.computedGauge('working_orders', () => this.working.size, undefined, 'child orders sent and not yet terminal');
    registry.computedGauge('working_orders_peak', () => this.workingPeak, undefined, 'most child orders working at once');
    registry.computedGauge('pending_acks', () => this.pendingAcks.size, undefined, 'child-order intents not yet answered by the venue');
    if (runLoop) registry.computedGauge('venue_calls_in_flight', () => runLoop.pending, undefined, 'venue calls not yet settled');
    registry.computedGauge('market_events_per_second', () => this.marketRate.rate(), undefined, 'market events per second of data time, trailing window');
    registry.computedGauge('market_events_per_second_peak', () => this.marketRate.peak(), undefined, 'highest market events per second');
    registry.computedGauge('execution_events_per_second', () => this.executionRate.rate(), undefined, 'execution events per second of data time, trailing window');
    registry.computedGauge('execution_events_per_second_peak', () => this.executionRate.peak(), undefined, 'highest execution events per second');
  }

  /** Marks the start of each market event's way through the engine (no I/O). */
  @postConstruct()
  attachSource(): void {
    if (this.sourceSubscription || !this.source || !this.config.measureDecisionLatency) return;
    this.sourceSubscription = this.source.events$.subscribe({
      next: (event) => {
        this.dispatch = { event, startedAt: performance.now() };
      },
      complete: () => {
        this.dispatch = undefined;
      },
    });
  }

  /** The registry behind `snapshot()`, for subclasses and tests. */
  protected get metrics(): MetricRegistry {
    return this.registry;
  }

  onMarketEvent(event: MarketEvent): void {
    // Every subscriber has handled the event by now: decisions after this are not its.
    if (this.dispatch?.event === event) this.dispatch = undefined;
    this.marketRate.record(event.ts);
    let counter = this.marketCounters.get(event.type);
    if (!counter) this.marketCounters.set(event.type, (counter = this.registry.counter('market_events_total', { type: event.type })));
    counter.inc();
  }

  onExecutionEvent(event: ExecutionEvent): void {
    this.executionRate.record(event.ts);
    let counter = this.executionCounters.get(event.type);
    if (!counter) this.executionCounters.set(event.type, (counter = this.registry.counter('execution_events_total', { type: event.type })));
    counter.inc();
    switch (event.type) {
      case 'child-order-intent': {
        const wallMs = performance.now();
        if (this.dispatch) {
          this.decisionLatency.observe((wallMs - this.dispatch.startedAt) * 1_000);
          (this.marketDecisions ??= this.registry.counter('decisions_total', { trigger: 'market-event' })).inc();
        } else {
          (this.otherDecisions ??= this.registry.counter('decisions_total', { trigger: 'other' })).inc();
        }
        this.pendingAcks.set(event.order.clientOrderId, { executionId: event.executionId, dataTs: event.ts, wallMs });
        this.working.set(event.order.clientOrderId, event.executionId);
        this.workingPeak = Math.max(this.workingPeak, this.working.size);
        return;
      }
      case 'child-order-updated': {
        const { order } = event;
        if (order.status === 'rejected' && this.pendingAcks.delete(order.clientOrderId)) this.registry.counter('orders_rejected_total', undefined, 'child-order intents the venue refused').inc();
        else if (order.status !== 'pending') this.acknowledged(order.clientOrderId, event.ts);
        if (TERMINAL_CHILD_STATUSES.has(order.status)) this.working.delete(order.clientOrderId);
        return;
      }
      case 'fill':
        // A fill is an answer too (it can end the execution before the order's own update is published).
        this.acknowledged(event.fill.clientOrderId, event.ts);
        return;
      case 'child-order-error':
        this.registry.counter('venue_errors_total', { kind: event.error.kind }, 'failed venue calls by error kind').inc();
        if (event.willRetry) this.registry.counter('order_retries_total', undefined, 'venue calls retried').inc();
        return;
      case 'alert':
        this.registry.counter('alerts_total', { kind: event.kind, severity: event.severity }).inc();
        return;
      case 'execution-ended':
        for (const [clientOrderId, pending] of this.pendingAcks) {
          if (pending.executionId !== event.executionId) continue;
          this.pendingAcks.delete(clientOrderId);
          this.registry.counter('orders_unacknowledged_total', undefined, 'intents whose execution ended before the venue answered').inc();
        }
        for (const [clientOrderId, executionId] of this.working) if (executionId === event.executionId) this.working.delete(clientOrderId);
        return;
      default:
        return;
    }
  }

  snapshot(): MetricSnapshot {
    return this.registry.snapshot();
  }

  /** The venue's first answer to an intent: its latency in data and wall time. */
  private acknowledged(clientOrderId: string, ts: number): void {
    const pending = this.pendingAcks.get(clientOrderId);
    if (!pending) return;
    this.pendingAcks.delete(clientOrderId);
    this.ackLatency.observe(Math.max(0, ts - pending.dataTs));
    this.ackLatencyWall.observe((performance.now() - pending.wallMs) * 1_000);
    (this.acknowledgedOrders ??= this.registry.counter('orders_acknowledged_total', undefined, 'child-order intents the venue answered')).inc();
  }

  /** Stops following the market data source. */
  close(): void {
    this.sourceSubscription?.unsubscribe();
    this.sourceSubscription = undefined;
    this.dispatch = undefined;
  }
}
