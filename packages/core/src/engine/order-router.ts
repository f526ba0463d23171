import { inject, injectable, optional } from 'inversify';
import { firstValueFrom, timer, type Subscription } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { ExecutionJournal } from '../contracts/execution-journal.js';
import { Logger } from '../contracts/logger.js';
import { Venue, type VenueOrderRequest } from '../contracts/venue.js';
import { ErrorHandler } from '../errors/error-handler.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ExecutionEventOf } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type ChildOrderStatus } from '../model/order.schema.js';
import { RunLoop } from '../time/run-loop.js';
import { RiskGate } from './risk-gate.js';
import { ActiveVenue } from './tokens.js';

/** Receives what happens to the child orders of one parent order. */
export interface RouterListener {
  /** A child order changed state (sent, acknowledged, filled, cancelled, rejected). */
  onOrder(order: ChildOrder): void;
  /** A new fill (never the same `fillId` twice). */
  onFill(fill: Fill): void;
  /** A venue call failed; `willRetry` says whether the router tries again. */
  onError(clientOrderId: string, error: TrancheError, willRetry: boolean): void;
}

interface RoutedOrder {
  order: ChildOrder;
  /** Sum of fills received for it. */
  filledByFills: number;
  acknowledged: boolean;
  cancelRequested: boolean;
  cancelling: boolean;
}

const STATUS_RANK: Record<ChildOrderStatus, number> = {
  pending: 0,
  open: 1,
  partially_filled: 2,
  filled: 3,
  cancelled: 3,
  rejected: 3,
  expired: 3,
};

/**
 * The only component that talks to the venue. It journals a child order's intent
 * before sending it, never sends a client order id twice, retries retryable failures
 * with backoff on the injected clock, and after an ambiguous failure (timeout, 5xx)
 * looks the order up by client id before anything is re-sent. Fills are
 * de-duplicated by `fillId`.
 */
@injectable()
export class OrderRouter {
  private readonly orders = new Map<string, RoutedOrder>();
  private readonly listeners = new Map<string, RouterListener>();
  private readonly seenFills = new Set<string>();
  private readonly subscriptions: Subscription[] = [];
  private readonly errorHandler: ErrorHandler;

  private readonly logger: Logger;

  constructor(
    @inject(ActiveVenue) private readonly venue: Venue,
    @inject(Clock) private readonly clock: Clock,
    @inject(ErrorHandler) errorHandler: ErrorHandler,
    @inject(RunLoop) private readonly runLoop: RunLoop,
    @inject(Logger) logger: Logger,
    @inject(ExecutionJournal) @optional() private readonly journal?: ExecutionJournal,
    @inject(RiskGate) @optional() private readonly riskGate?: RiskGate,
  ) {
    this.logger = logger.child({ component: 'router' });
    this.errorHandler = errorHandler;
  }

  /** Subscribes to the venue's order updates and fills. */
  start(): void {
    if (this.subscriptions.length > 0) return;
    this.subscriptions.push(
      this.venue.orderUpdates$.subscribe((order) => this.applyUpdate(order)),
      this.venue.fills$.subscribe((fill) => this.applyFill(fill)),
    );
  }

  /** Routes the child orders of `parentId` to `listener`. */
  register(parentId: string, listener: RouterListener): void {
    this.listeners.set(parentId, listener);
  }

  /** Stops routing a parent's child orders. */
  unregister(parentId: string): void {
    this.listeners.delete(parentId);
  }

  /** True if a child order with this client id was ever submitted. */
  knows(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId);
  }

  /** The router's view of a child order. */
  get(clientOrderId: string): ChildOrder | undefined {
    return this.orders.get(clientOrderId)?.order;
  }

  /**
   * Journals the intent, then sends the order, retrying as the `ErrorHandler` decides.
   * Resolves when the order is acknowledged or finally rejected; never rejects.
   */
  async submit(order: ChildOrder, intent?: ExecutionEventOf<'child-order-intent'>): Promise<void> {
    if (this.orders.has(order.clientOrderId)) {
      throw new TrancheError('internal', `client order id ${order.clientOrderId} was already used`, { retryable: false });
    }
    const routed: RoutedOrder = { order, filledByFills: 0, acknowledged: false, cancelRequested: false, cancelling: false };
    this.orders.set(order.clientOrderId, routed);
    // Pre-trade risk: a refused order reaches neither the journal nor the venue, and is never retried.
    const refusal = this.riskGate?.check(order);
    if (refusal) {
      // The gate logged it; tell the execution as a final (never retried) error, then reject.
      this.listeners.get(order.parentId)?.onError(order.clientOrderId, refusal, false);
      this.finish(routed, 'rejected', refusal.message);
      return;
    }
    if (this.journal && this.journal.enabled !== false && intent) await this.runLoop.hold(this.journal.record(intent));
    const request: VenueOrderRequest = {
      clientOrderId: order.clientOrderId,
      parentId: order.parentId,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: order.quantity,
      timeInForce: order.timeInForce,
      ...(order.price === undefined ? {} : { price: order.price }),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.runLoop.track(this.venue.placeOrder(request));
        routed.acknowledged = true;
        this.applyUpdate(ack);
        break;
      } catch (error) {
        const failure = TrancheError.from(error);
        const decision = this.errorHandler.decide(failure, attempt);
        this.notifyError(routed, failure, decision.retry);
        if (!decision.retry) {
          if (failure.kind === 'timeout-ambiguous' || failure.kind === 'venue-unavailable') {
            // Out of retries but the venue may hold the order: the last word is a look-up.
            if (await this.reconcile(routed)) break;
          }
          this.finish(routed, 'rejected', failure.message);
          return;
        }
        await this.sleep(decision.delayMs);
        if (decision.reconcileFirst && (await this.reconcile(routed))) break;
      }
    }
    if (routed.cancelRequested && !TERMINAL_CHILD_STATUSES.has(routed.order.status)) await this.cancel(order.clientOrderId);
  }

  /**
   * Cancels a child order by client id. A cancel asked for before the venue
   * acknowledged the order is sent right after the acknowledgement.
   */
  async cancel(clientOrderId: string): Promise<void> {
    const routed = this.orders.get(clientOrderId);
    if (!routed || TERMINAL_CHILD_STATUSES.has(routed.order.status)) return;
    routed.cancelRequested = true;
    if (!routed.acknowledged || routed.cancelling) return;
    routed.cancelling = true;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const final = await this.runLoop.track(this.venue.cancelOrder(routed.order.symbol, clientOrderId));
          this.applyUpdate(final);
          return;
        } catch (error) {
          const failure = TrancheError.from(error);
          const decision = this.errorHandler.decide(failure, attempt);
          this.notifyError(routed, failure, decision.retry);
          // Whatever failed, the venue knows the truth: an order that is no longer open cannot be cancelled.
          if (await this.reconcile(routed)) {
            if (TERMINAL_CHILD_STATUSES.has(routed.order.status)) return;
          }
          if (!decision.retry) return;
          await this.sleep(decision.delayMs);
        }
      }
    } finally {
      routed.cancelling = false;
    }
  }

  /** The child orders of a parent that are not terminal yet (the kill switch re-cancels these). */
  workingOrders(parentId: string): ChildOrder[] {
    const working: ChildOrder[] = [];
    for (const routed of this.orders.values()) {
      if (routed.order.parentId === parentId && !TERMINAL_CHILD_STATUSES.has(routed.order.status)) working.push(routed.order);
    }
    return working;
  }

  /** Unsubscribes from the venue. */
  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** Looks the order up at the venue; true if the venue knows it (state applied). */
  private async reconcile(routed: RoutedOrder): Promise<boolean> {
    try {
      const found = await this.runLoop.track(this.venue.fetchOrder(routed.order.symbol, routed.order.clientOrderId));
      if (!found) return false;
      routed.acknowledged = true;
      this.applyUpdate(found);
      return true;
    } catch (error) {
      this.logger.warn('order look-up failed', { clientOrderId: routed.order.clientOrderId, error: TrancheError.from(error).message });
      return false;
    }
  }

  private applyUpdate(update: ChildOrder): void {
    const routed = this.orders.get(update.clientOrderId);
    if (!routed) {
      this.logger.debug('update for an order this router did not send', { clientOrderId: update.clientOrderId });
      return;
    }
    const current = routed.order;
    if (TERMINAL_CHILD_STATUSES.has(current.status) && current.status !== 'filled' && update.filledQuantity <= current.filledQuantity) return;
    const status = STATUS_RANK[update.status] >= STATUS_RANK[current.status] ? update.status : current.status;
    const filledQuantity = Math.max(current.filledQuantity, update.filledQuantity, routed.filledByFills);
    const next: ChildOrder = {
      ...current,
      status,
      filledQuantity,
      averagePrice: update.filledQuantity >= current.filledQuantity ? update.averagePrice : current.averagePrice,
      updatedAt: Math.max(current.updatedAt, update.updatedAt),
      ...(update.venueOrderId === undefined ? {} : { venueOrderId: update.venueOrderId }),
      ...(update.reason === undefined ? {} : { reason: update.reason }),
    };
    if (
      next.status === current.status &&
      next.filledQuantity === current.filledQuantity &&
      next.venueOrderId === current.venueOrderId &&
      next.reason === current.reason
    ) {
      return;
    }
    routed.order = next;
    this.listeners.get(next.parentId)?.onOrder(next);
  }

  private applyFill(fill: Fill): void {
    if (this.seenFills.has(fill.fillId)) return;
    const routed = this.orders.get(fill.clientOrderId);
    if (!routed) {
      this.logger.warn('fill for an order this router did not send', { clientOrderId: fill.clientOrderId, fillId: fill.fillId });
      return;
    }
    this.seenFills.add(fill.fillId);
    const previousValue = routed.filledByFills * routed.order.averagePrice;
    routed.filledByFills += fill.quantity;
    if (routed.filledByFills > routed.order.filledQuantity) {
      routed.order = {
        ...routed.order,
        filledQuantity: routed.filledByFills,
        averagePrice: (previousValue + fill.price * fill.quantity) / routed.filledByFills,
        status:
          routed.filledByFills >= routed.order.quantity * (1 - 1e-9)
            ? 'filled'
            : routed.order.status === 'pending' || routed.order.status === 'open'
              ? 'partially_filled'
              : routed.order.status,
        updatedAt: Math.max(routed.order.updatedAt, fill.ts),
      };
    }
    this.listeners.get(routed.order.parentId)?.onFill(fill);
  }

  private finish(routed: RoutedOrder, status: ChildOrderStatus, reason: string): void {
    routed.order = { ...routed.order, status, reason, updatedAt: this.clock.now() };
    this.listeners.get(routed.order.parentId)?.onOrder(routed.order);
  }

  private notifyError(routed: RoutedOrder, error: TrancheError, willRetry: boolean): void {
    this.logger.warn('venue call failed', { clientOrderId: routed.order.clientOrderId, kind: error.kind, message: error.message, willRetry });
    this.listeners.get(routed.order.parentId)?.onError(routed.order.clientOrderId, error, willRetry);
  }

  private sleep(delayMs: number): Promise<unknown> {
    return this.runLoop.track(firstValueFrom(timer(delayMs, this.clock.scheduler)));
  }
}
