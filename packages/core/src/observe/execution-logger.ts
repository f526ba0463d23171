import { inject, injectable } from 'inversify';
import type { Observable, Subscription } from 'rxjs';
import { Logger, type LogFields } from '../contracts/logger.js';
import type { ExecutionEvent, ExecutionEventOf } from '../model/execution.schema.js';
import { NoopLogger } from '../util/noop-logger.js';

/** The `component` field of the lines the `ExecutionLogger` writes. */
export const EXECUTION_LOGGER_COMPONENT = 'execution';

/**
 * Logs every execution event through one child logger per execution that carries its
 * `executionId`, `symbol`, `side` and `strategy` (and `clientOrderId` on child-order
 * lines), with `component: "execution"`. Levels: start and end `info` (the end with a
 * summary of the report), intents, acknowledgements, fills, notes and progress `debug`,
 * child-order errors and alerts `warn` (critical alerts and failed executions `error`).
 *
 * It follows `ExecutionManager.events$` (`createTranche` wires it on the manager's
 * activation); with a `NoopLogger` it subscribes to nothing and so costs nothing.
 */
@injectable()
export class ExecutionLogger {
  private readonly loggers = new Map<string, Logger>();

  constructor(@inject(Logger) private readonly logger: Logger) {}

  /** True when the bound logger drops every line (then `follow` does not subscribe). */
  get silent(): boolean {
    return this.logger instanceof NoopLogger;
  }

  /** Logs the events of `events$` until it completes; undefined when the logger is silent. */
  follow(events$: Observable<ExecutionEvent>): Subscription | undefined {
    if (this.silent) return undefined;
    return events$.subscribe({ next: (event) => this.log(event), complete: () => this.loggers.clear() });
  }

  /** Logs one event. */
  log(event: ExecutionEvent): void {
    switch (event.type) {
      case 'execution-started':
        return this.started(event);
      case 'execution-ended':
        return this.ended(event);
      case 'child-order-intent': {
        const { order } = event;
        this.of(event.executionId).debug('child order intent', {
          clientOrderId: order.clientOrderId,
          orderType: order.type,
          timeInForce: order.timeInForce,
          ...(order.price === undefined ? {} : { price: order.price }),
          quantity: order.quantity,
          ts: event.ts,
        });
        return;
      }
      case 'child-order-updated': {
        const { order } = event;
        const fields: LogFields = {
          clientOrderId: order.clientOrderId,
          status: order.status,
          filledQuantity: order.filledQuantity,
          ...(order.venueOrderId === undefined ? {} : { venueOrderId: order.venueOrderId }),
          ...(order.reason === undefined ? {} : { reason: order.reason }),
          ts: event.ts,
        };
        if (order.status === 'rejected') this.of(event.executionId).warn('child order rejected', fields);
        else this.of(event.executionId).debug('child order updated', fields);
        return;
      }
      case 'fill': {
        const { fill } = event;
        this.of(event.executionId).debug('fill', {
          clientOrderId: fill.clientOrderId,
          fillId: fill.fillId,
          price: fill.price,
          quantity: fill.quantity,
          fee: fill.fee,
          feeCurrency: fill.feeCurrency,
          liquidity: fill.liquidity,
          ts: event.ts,
        });
        return;
      }
      case 'child-order-error':
        this.of(event.executionId).warn('child order error', {
          clientOrderId: event.clientOrderId,
          errorKind: event.error.kind,
          error: event.error.message,
          retryable: event.error.retryable,
          willRetry: event.willRetry,
          ts: event.ts,
        });
        return;
      case 'alert': {
        const fields: LogFields = { alert: event.kind, severity: event.severity, source: event.source, ...(event.data === undefined ? {} : { data: event.data }), ts: event.ts };
        if (event.severity === 'critical') this.of(event.executionId).error(event.message, fields);
        else this.of(event.executionId).warn(event.message, fields);
        return;
      }
      case 'note':
        this.of(event.executionId).debug(event.message, { ...(event.data === undefined ? {} : { data: event.data }), ts: event.ts });
        return;
      case 'progress':
        this.of(event.executionId).debug('progress', {
          requestedQuantity: event.requestedQuantity,
          filledQuantity: event.filledQuantity,
          workingQuantity: event.workingQuantity,
          ...(event.scheduledQuantity === undefined ? {} : { scheduledQuantity: event.scheduledQuantity }),
          ts: event.ts,
        });
        return;
      case 'checkpoint':
        this.of(event.executionId).debug('checkpoint', { ts: event.ts });
        return;
    }
  }

  private started(event: ExecutionEventOf<'execution-started'>): void {
    const { request } = event;
    const logger = this.logger.child({
      component: EXECUTION_LOGGER_COMPONENT,
      executionId: event.executionId,
      symbol: request.symbol,
      side: request.side,
      strategy: event.strategy,
    });
    this.loggers.set(event.executionId, logger);
    logger.info('execution started', {
      type: request.type,
      quantity: request.quantity,
      ...(request.price === undefined ? {} : { limitPrice: request.price }),
      arrivalPrice: event.arrivalPrice,
      ts: event.ts,
    });
  }

  private ended(event: ExecutionEventOf<'execution-ended'>): void {
    const { report } = event;
    const logger = this.of(event.executionId, { symbol: report.symbol, side: report.side, strategy: report.strategy });
    this.loggers.delete(event.executionId);
    const fields: LogFields = {
      status: report.status,
      endReason: report.endReason,
      requestedQuantity: report.requestedQuantity,
      filledQuantity: report.filledQuantity,
      averagePrice: report.averagePrice,
      arrivalPrice: report.arrivalPrice,
      slippageBps: report.slippageBps,
      ...(report.vwapSlippageBps === undefined ? {} : { vwapSlippageBps: report.vwapSlippageBps }),
      fees: report.fees,
      feeCurrency: report.feeCurrency,
      notional: report.notional,
      childOrders: report.childOrders.length,
      fills: report.fills.length,
      errors: report.errors.length,
      durationMs: report.endedAt - report.startedAt,
      ts: event.ts,
    };
    // A parent refused before it traded, or one that ended on errors, is a failure; anything else ended as asked.
    if (report.status === 'rejected' || (report.errors.length > 0 && report.filledQuantity === 0)) logger.error('execution failed', fields);
    else logger.info('execution ended', fields);
  }

  /** The execution's child logger; one with just its id for an execution that started before this logger followed. */
  private of(executionId: string, known: LogFields = {}): Logger {
    let logger = this.loggers.get(executionId);
    if (!logger) {
      logger = this.logger.child({ component: EXECUTION_LOGGER_COMPONENT, executionId, ...known });
      this.loggers.set(executionId, logger);
    }
    return logger;
  }
}
