import { inject, injectable, optional } from 'inversify';
import { MarketStateProvider, MetricRegistry, type ExecutionEvent, type ExecutionEventOf, type MetricCollector, type MetricLabels, type MetricSnapshot } from '@tranche/core';
import { PrometheusExporterConfig } from './prometheus-exporter-config.schema.js';

/** What the flow metrics of one parent order are labelled with. */
interface ParentLabels {
  symbol: string;
  side: string;
  strategy: string;
  market_state: string;
  base: string;
  quote: string;
}

/** Bounds (ms) of the parent-order duration histogram: 1 s to 8 h. */
const DURATION_BOUNDS_MS = [1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000];
/** Bounds of the filled-ratio histogram. */
const FILL_RATIO_BOUNDS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

/**
 * The order flow by symbol, side and strategy, as a `MetricCollector` (id
 * `execution-flow`): parent orders started, ended (by status) and running; child
 * orders sent and rejected; fills (by liquidity), filled base quantity, quote notional
 * and fees (by currency); and per ended parent order its slippage against the arrival
 * price and the market VWAP (bps), its filled ratio and its duration, as histograms with
 * the market state at its start. These are the labelled figures a trading desk charts;
 * the performance and quality collectors keep theirs.
 */
@injectable()
export class ExecutionFlowCollector implements MetricCollector {
  /** Collector id (the `collector` label of its metrics). */
  readonly id = 'execution-flow';
  private readonly registry = new MetricRegistry();
  private readonly parents = new Map<string, ParentLabels>();
  private readonly running = new Map<string, number>();

  constructor(
    @inject(PrometheusExporterConfig) private readonly config: PrometheusExporterConfig,
    @inject(MarketStateProvider) @optional() private readonly states?: MarketStateProvider,
  ) {}

  onExecutionEvent(event: ExecutionEvent): void {
    switch (event.type) {
      case 'execution-started':
        return this.started(event);
      case 'child-order-intent': {
        const labels = this.labelsOf(event.executionId, event.order.symbol, event.order.side);
        this.registry.counter('child_orders_total', { ...flow(labels), order_type: event.order.type }, 'child orders sent to the venue').inc();
        return;
      }
      case 'child-order-updated':
        if (event.order.status === 'rejected') {
          this.registry.counter('child_orders_rejected_total', flow(this.labelsOf(event.executionId, event.order.symbol, event.order.side)), 'child orders the venue rejected').inc();
        }
        return;
      case 'fill': {
        const { fill } = event;
        const labels = this.labelsOf(event.executionId, fill.symbol, fill.side);
        const base = flow(labels);
        this.registry.counter('fills_total', { ...base, liquidity: fill.liquidity }, 'fills received').inc();
        this.registry.counter('filled_quantity_base_total', { ...base, base: labels.base }, 'filled quantity in the base currency').inc(fill.quantity);
        this.registry.counter('filled_notional_quote_total', { ...base, quote: labels.quote }, 'filled value (price × quantity) in the quote currency').inc(fill.price * fill.quantity);
        this.registry.counter('fees_total', { ...base, currency: fill.feeCurrency }, 'fees paid in their currency (rebates negative)').inc(fill.fee);
        return;
      }
      case 'execution-ended':
        return this.ended(event);
      default:
        return;
    }
  }

  snapshot(): MetricSnapshot {
    return this.registry.snapshot();
  }

  private started(event: ExecutionEventOf<'execution-started'>): void {
    const { request, market } = event;
    const labels: ParentLabels = {
      symbol: request.symbol,
      side: request.side,
      strategy: event.strategy,
      market_state: this.states?.current(request.symbol)?.state ?? 'unknown',
      base: market.base,
      quote: market.quote,
    };
    this.parents.set(event.executionId, labels);
    this.registry.counter('parent_orders_started_total', parentLabels(labels), 'parent orders started').inc();
    this.bumpRunning(labels, 1);
  }

  private ended(event: ExecutionEventOf<'execution-ended'>): void {
    const { report } = event;
    const labels = this.labelsOf(event.executionId, report.symbol, report.side, report.strategy);
    this.parents.delete(event.executionId);
    if (this.running.has(runningKey(labels))) this.bumpRunning(labels, -1);
    const parent = parentLabels(labels);
    this.registry.counter('parent_orders_ended_total', { ...parent, status: report.status }, 'parent orders ended, by status').inc();
    const bounds = this.config.slippageBoundsBps;
    if (report.slippageBps !== null) {
      this.registry.histogram('parent_order_slippage_bps', bounds, { labels: parent, quantiles: false, help: 'average fill price against the arrival mid, bps (positive is worse)' }).observe(report.slippageBps);
    }
    if (report.vwapSlippageBps !== undefined && report.vwapSlippageBps !== null) {
      this.registry.histogram('parent_order_vwap_slippage_bps', bounds, { labels: parent, quantiles: false, help: 'average fill price against the market VWAP over the order, bps (positive is worse)' }).observe(report.vwapSlippageBps);
    }
    if (report.requestedQuantity > 0) {
      this.registry.histogram('parent_order_filled_ratio', FILL_RATIO_BOUNDS, { labels: parent, quantiles: false, help: 'filled quantity over requested quantity of ended parent orders' }).observe(report.filledQuantity / report.requestedQuantity);
    }
    this.registry.histogram('parent_order_duration_ms', DURATION_BOUNDS_MS, { labels: parent, quantiles: false, help: 'time from start to end of parent orders (data time)' }).observe(report.endedAt - report.startedAt);
  }

  /** The labels of a running parent; for one this collector did not see start (a resumed one), what the event tells. */
  private labelsOf(executionId: string, symbol: string, side: string, strategy = 'unknown'): ParentLabels {
    return this.parents.get(executionId) ?? { symbol, side, strategy, market_state: 'unknown', base: 'unknown', quote: 'unknown' };
  }

  private bumpRunning(labels: ParentLabels, by: number): void {
    const key = runningKey(labels);
    const count = (this.running.get(key) ?? 0) + by;
    this.running.set(key, count);
    this.registry.gauge('parent_orders_running', flow(labels), 'parent orders running').set(count);
  }
}

function flow(labels: ParentLabels): MetricLabels {
  return { symbol: labels.symbol, side: labels.side, strategy: labels.strategy };
}

function parentLabels(labels: ParentLabels): MetricLabels {
  return { ...flow(labels), market_state: labels.market_state };
}

function runningKey(labels: ParentLabels): string {
  return `${labels.symbol}|${labels.side}|${labels.strategy}`;
}
