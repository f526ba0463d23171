import type { Notification } from '../contracts/notifier.js';
import type { ExecutionEvent, ExecutionEventOf, ExecutionReport } from '../model/execution.schema.js';
import type { OrderSide } from '../model/common.schema.js';
import type { NotificationSeverity } from './execution-notifier-config.schema.js';

/** Slippage levels an execution's running slippage is compared with (basis points, positive is worse). */
export interface SlippageThresholds {
  readonly warningBps: number;
  readonly criticalBps: number | null;
}

interface TrackedExecution {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly strategy: string;
  readonly arrivalPrice: number | null;
  filledQuantity: number;
  filledValue: number;
  /** 0 below the warning level, 1 above it, 2 above the critical level. */
  slippageLevel: 0 | 1 | 2;
}

/** Kinds of child-order errors that mean the account needs a person, not a retry. */
const CRITICAL_ERROR_KINDS = new Set(['insufficient-funds', 'internal']);
/** Kinds of child-order errors raised before the venue (risk limits, bad input): `order-rejected`, not `venue-error`. */
const PRE_TRADE_ERROR_KINDS = new Set(['risk', 'validation']);

/**
 * Signed slippage of an average price against the arrival price, in basis points:
 * positive is worse for the trader (a buy above, a sell below the arrival price).
 */
export function slippageBps(side: OrderSide, averagePrice: number, arrivalPrice: number): number {
  const sign = side === 'buy' ? 1 : -1;
  return (sign * (averagePrice - arrivalPrice) * 10_000) / arrivalPrice;
}

/** A number as people read it in a message (at most 8 significant digits, no exponent noise). */
export function formatQuantity(value: number): string {
  return String(Number(value.toPrecision(8)));
}

function formatBps(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)} bps`;
}

/**
 * Turns execution events into notifications: `execution-started`, `execution-completed`
 * / `-failed` / `-cancelled` from the end status, `venue-error` from child-order errors
 * (`order-rejected` for those raised before the venue: risk limits, bad input),
 * `slippage-alert` from the running slippage of the fills, and monitors' alerts under
 * their kind (`deadline-at-risk`, `stalled`, …). Keeps a little state per running
 * execution (side, arrival price, filled quantity and value); pure otherwise.
 */
export class ExecutionNotificationBuilder {
  private readonly executions = new Map<string, TrackedExecution>();

  constructor(private readonly thresholds: SlippageThresholds) {}

  /** Executions being tracked (for tests and metrics). */
  get tracked(): number {
    return this.executions.size;
  }

  /** The notifications one execution event gives (most events give none). */
  build(event: ExecutionEvent): Notification[] {
    switch (event.type) {
      case 'execution-started':
        return [this.started(event)];
      case 'fill':
        return this.fill(event);
      case 'child-order-error':
        return [this.childOrderError(event)];
      case 'alert':
        return [this.alert(event)];
      case 'execution-ended':
        this.executions.delete(event.executionId);
        return [ended(event.report, event.ts)];
      default:
        return [];
    }
  }

  private started(event: ExecutionEventOf<'execution-started'>): Notification {
    const { request } = event;
    this.executions.set(event.executionId, {
      symbol: request.symbol,
      side: request.side,
      quantity: request.quantity,
      strategy: event.strategy,
      arrivalPrice: event.arrivalPrice !== null && event.arrivalPrice > 0 ? event.arrivalPrice : null,
      filledQuantity: 0,
      filledValue: 0,
      slippageLevel: 0,
    });
    const arrival = event.arrivalPrice === null ? 'no arrival price' : `arrival price ${formatQuantity(event.arrivalPrice)}`;
    return {
      event: 'execution-started',
      severity: 'info',
      title: `Started ${request.side} ${formatQuantity(request.quantity)} ${request.symbol} (${event.strategy})`,
      message: `${event.executionId}: ${arrival}`,
      ts: event.ts,
      executionId: event.executionId,
      data: { symbol: request.symbol, side: request.side, quantity: request.quantity, strategy: event.strategy, arrivalPrice: event.arrivalPrice },
    };
  }

  /** Evaluated on every fill: one alert per crossing of each level upwards (re-armed when it falls back below). */
  private fill(event: ExecutionEventOf<'fill'>): Notification[] {
    const tracked = this.executions.get(event.executionId);
    if (!tracked) return [];
    tracked.filledQuantity += event.fill.quantity;
    tracked.filledValue += event.fill.quantity * event.fill.price;
    if (tracked.arrivalPrice === null || tracked.filledQuantity <= 0) return [];
    const averagePrice = tracked.filledValue / tracked.filledQuantity;
    const slippage = slippageBps(tracked.side, averagePrice, tracked.arrivalPrice);
    const { warningBps, criticalBps } = this.thresholds;
    const level: 0 | 1 | 2 = criticalBps !== null && slippage > criticalBps ? 2 : slippage > warningBps ? 1 : 0;
    const previous = tracked.slippageLevel;
    tracked.slippageLevel = level;
    if (level <= previous) return [];
    const threshold = level === 2 ? criticalBps! : warningBps;
    return [
      {
        event: 'slippage-alert',
        severity: level === 2 ? 'critical' : 'warning',
        title: `Slippage ${formatBps(slippage)} on ${tracked.side} ${tracked.symbol} (${tracked.strategy})`,
        message:
          `${event.executionId}: average fill ${formatQuantity(averagePrice)} vs arrival ${formatQuantity(tracked.arrivalPrice)} ` +
          `after ${formatQuantity(tracked.filledQuantity)} of ${formatQuantity(tracked.quantity)} filled (threshold ${threshold} bps)`,
        ts: event.ts,
        executionId: event.executionId,
        data: {
          symbol: tracked.symbol,
          side: tracked.side,
          slippageBps: slippage,
          thresholdBps: threshold,
          averagePrice,
          arrivalPrice: tracked.arrivalPrice,
          filledQuantity: tracked.filledQuantity,
          requestedQuantity: tracked.quantity,
        },
      },
    ];
  }

  private childOrderError(event: ExecutionEventOf<'child-order-error'>): Notification {
    const tracked = this.executions.get(event.executionId);
    const severity: NotificationSeverity = CRITICAL_ERROR_KINDS.has(event.error.kind) ? 'critical' : event.willRetry ? 'info' : 'warning';
    const where = tracked ? ` on ${tracked.side} ${tracked.symbol}` : '';
    const preTrade = PRE_TRADE_ERROR_KINDS.has(event.error.kind);
    return {
      event: preTrade ? 'order-rejected' : 'venue-error',
      severity,
      title: `${preTrade ? 'Child order refused' : 'Venue error'}${where}: ${event.error.kind}`,
      message: `${event.clientOrderId}: ${event.error.message}${event.willRetry ? ' (will retry)' : ' (given up)'}`,
      ts: event.ts,
      executionId: event.executionId,
      data: { clientOrderId: event.clientOrderId, kind: event.error.kind, retryable: event.error.retryable, willRetry: event.willRetry, ...(tracked ? { symbol: tracked.symbol } : {}) },
    };
  }

  private alert(event: ExecutionEventOf<'alert'>): Notification {
    const tracked = this.executions.get(event.executionId);
    const what = tracked ? ` on ${tracked.side} ${formatQuantity(tracked.quantity)} ${tracked.symbol} (${tracked.strategy})` : '';
    return {
      event: event.kind,
      severity: event.severity,
      title: `${capitalize(event.kind.replaceAll('-', ' '))}${what}`,
      message: `${event.executionId}: ${event.message}`,
      ts: event.ts,
      executionId: event.executionId,
      data: { source: event.source, ...(tracked ? { symbol: tracked.symbol, side: tracked.side } : {}), ...event.data },
    };
  }
}

/** True when the engine ended the execution because its strategy threw (see `Execution`). */
function strategyFailed(report: ExecutionReport): boolean {
  return report.endReason.startsWith(`strategy ${report.strategy} failed`);
}

/**
 * The notification of an ended execution: `execution-completed` (filled: info; ended
 * short, `partially_filled`: warning), `execution-cancelled` (warning), or
 * `execution-failed` (`rejected` or a failed strategy: critical; `expired` with nothing
 * filled: warning).
 */
export function ended(report: ExecutionReport, ts: number): Notification {
  let event: EndEvent;
  let severity: NotificationSeverity;
  if (report.status === 'filled') [event, severity] = ['execution-completed', 'info'];
  else if (report.status === 'partially_filled') [event, severity] = ['execution-completed', 'warning'];
  else if (report.status === 'cancelled' && !strategyFailed(report)) [event, severity] = ['execution-cancelled', 'warning'];
  else [event, severity] = ['execution-failed', report.status === 'expired' ? 'warning' : 'critical'];
  const verb = ({ 'execution-completed': 'Completed', 'execution-cancelled': 'Cancelled', 'execution-failed': 'Failed' } as const)[event];
  const filled = `filled ${formatQuantity(report.filledQuantity)} of ${formatQuantity(report.requestedQuantity)}`;
  const price = report.filledQuantity > 0 ? ` @ ${formatQuantity(report.averagePrice)}` : '';
  const slippage = report.slippageBps === null ? '' : `, slippage ${formatBps(report.slippageBps)} vs arrival`;
  return {
    event,
    severity,
    title: `${verb} ${report.side} ${formatQuantity(report.requestedQuantity)} ${report.symbol} (${report.strategy}): ${report.status.replace('_', ' ')}`,
    message: `${report.id}: ${filled}${price}${slippage}; ${report.endReason}`,
    ts,
    executionId: report.id,
    data: {
      symbol: report.symbol,
      side: report.side,
      strategy: report.strategy,
      status: report.status,
      reason: report.endReason,
      requestedQuantity: report.requestedQuantity,
      filledQuantity: report.filledQuantity,
      averagePrice: report.averagePrice,
      arrivalPrice: report.arrivalPrice,
      slippageBps: report.slippageBps,
      fees: report.fees,
      feeCurrency: report.feeCurrency,
      errors: report.errors.length,
    },
  };
}

type EndEvent = 'execution-completed' | 'execution-cancelled' | 'execution-failed';

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
