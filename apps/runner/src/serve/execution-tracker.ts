import type { ExecutionEvent, SchedulePoint } from '@tranche/core';
import type { DashboardExecution, DashboardExecutionDetail, DashboardFill } from './dashboard-feed.js';

/** Most fills and schedule points kept per execution (older ones are dropped: the page only draws). */
export const MAX_SERIES_POINTS = 2_000;

/** How many ended executions the tracker keeps beside the working ones. */
export const KEEP_ENDED_EXECUTIONS = 20;

interface Tracked {
  summary: Mutable<DashboardExecution>;
  fills: DashboardFill[];
  schedule: SchedulePoint[];
  notional: number;
  fillQuantity: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Folds execution events into the dashboard's view of each execution (filled against the
 * schedule, average price, slippage against arrival). Pure bookkeeping over plain events,
 * so any feed (in-process, a message bus) can use it.
 */
export class ExecutionTracker {
  private readonly tracked = new Map<string, Tracked>();

  /** Applies one event; returns the execution's summary after it (undefined for an execution never seen starting). */
  apply(event: ExecutionEvent): DashboardExecution | undefined {
    if (event.type === 'execution-started') {
      const { request } = event;
      this.tracked.set(event.executionId, {
        summary: {
          executionId: event.executionId,
          symbol: request.symbol,
          side: request.side,
          type: request.type,
          strategy: event.strategy,
          state: 'working',
          startedAt: event.ts,
          updatedAt: event.ts,
          requestedQuantity: request.quantity,
          filledQuantity: 0,
          workingQuantity: 0,
          fillCount: 0,
          arrivalPrice: event.arrivalPrice,
          averagePrice: null,
          slippageBps: null,
        },
        fills: [],
        schedule: [],
        notional: 0,
        fillQuantity: 0,
      });
      this.forgetOldEnded();
    }
    const entry = this.tracked.get(event.executionId);
    if (!entry) return undefined;
    const { summary } = entry;
    summary.updatedAt = Math.max(summary.updatedAt, event.ts);
    switch (event.type) {
      case 'fill': {
        const { fill } = event;
        entry.fills.push({ ts: fill.ts, price: fill.price, quantity: fill.quantity, liquidity: fill.liquidity });
        if (entry.fills.length > MAX_SERIES_POINTS) entry.fills.shift();
        entry.notional += fill.price * fill.quantity;
        entry.fillQuantity += fill.quantity;
        summary.fillCount++;
        summary.filledQuantity = Math.max(summary.filledQuantity, entry.fillQuantity);
        summary.averagePrice = entry.fillQuantity > 0 ? entry.notional / entry.fillQuantity : null;
        summary.slippageBps = slippageBps(summary.side, summary.averagePrice, summary.arrivalPrice);
        break;
      }
      case 'progress':
        summary.filledQuantity = event.filledQuantity;
        summary.workingQuantity = event.workingQuantity;
        if (event.scheduledQuantity !== undefined) {
          summary.scheduledQuantity = event.scheduledQuantity;
          const last = entry.schedule.at(-1);
          const point = { ts: event.ts, scheduledQuantity: event.scheduledQuantity, filledQuantity: event.filledQuantity };
          if (last && last.ts === event.ts) entry.schedule[entry.schedule.length - 1] = point;
          else entry.schedule.push(point);
          if (entry.schedule.length > MAX_SERIES_POINTS) entry.schedule.shift();
        }
        break;
      case 'alert':
        summary.lastAlert = { kind: event.kind, severity: event.severity, message: event.message, ts: event.ts };
        break;
      case 'execution-ended': {
        const { report } = event;
        summary.state = report.status;
        summary.endReason = report.endReason;
        summary.filledQuantity = report.filledQuantity;
        summary.workingQuantity = 0;
        summary.averagePrice = report.filledQuantity > 0 ? report.averagePrice : null;
        summary.slippageBps = report.slippageBps;
        summary.arrivalPrice = report.arrivalPrice;
        summary.fillCount = report.fills.length;
        break;
      }
      default:
        break;
    }
    return { ...summary };
  }

  /** Working executions and the most recent ended ones, oldest first, with their series. */
  executions(): DashboardExecutionDetail[] {
    return [...this.tracked.values()].map((entry) => ({ ...entry.summary, fills: [...entry.fills], schedule: [...entry.schedule] }));
  }

  /** The summary of one execution. */
  execution(executionId: string): DashboardExecution | undefined {
    const entry = this.tracked.get(executionId);
    return entry ? { ...entry.summary } : undefined;
  }

  private forgetOldEnded(): void {
    const ended = [...this.tracked.values()].filter((entry) => entry.summary.state !== 'working');
    for (const entry of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED_EXECUTIONS))) this.tracked.delete(entry.summary.executionId);
  }
}

/** Signed slippage against the arrival mid in bps: positive is worse for the trader. */
export function slippageBps(side: 'buy' | 'sell', averagePrice: number | null, arrivalPrice: number | null): number | null {
  if (averagePrice === null || arrivalPrice === null || !(arrivalPrice > 0)) return null;
  const sign = side === 'buy' ? 1 : -1;
  return (sign * (averagePrice - arrivalPrice) * 10_000) / arrivalPrice;
}
