import { Subscription } from 'rxjs';
import type { ExecutionContext, ExecutionProgress } from '../contracts/execution-context.js';
import type { CancelAction } from '../contracts/execution-strategy.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type ChildOrderStatus } from '../model/order.schema.js';

/** What a child order is for, in an algorithm's eyes. */
export type ChildRole = 'passive' | 'crossing' | 'sweep' | 'display';

/** A working child order with its role and whether its cancel was asked for. */
export interface TrackedChild {
  readonly order: ChildOrder;
  readonly role: ChildRole;
  /** Unfilled quantity. */
  readonly remaining: number;
  readonly cancelling: boolean;
}

/**
 * An algorithm's book-keeping of its child orders: the role of each (by client order
 * id) and which ones it asked to cancel, so it never cancels twice and waits for
 * cancels to finish before it re-plans. The engine's `progress()` stays the truth about
 * what is working.
 */
export class ChildOrderTracker {
  private readonly roles = new Map<string, ChildRole>();
  private readonly cancelling = new Set<string>();
  private readonly terminal = new Set<string>();

  /** Remembers the role of a child about to be placed. */
  register(clientOrderId: string, role: ChildRole): void {
    this.roles.set(clientOrderId, role);
  }

  /** The role of a child (`undefined` for one this tracker never saw). */
  role(clientOrderId: string): ChildRole | undefined {
    return this.roles.get(clientOrderId);
  }

  /** True once a child's cancel was asked for (until it ends). */
  isCancelling(clientOrderId: string): boolean {
    return this.cancelling.has(clientOrderId);
  }

  /** The working children of `progress`, with their roles (`passive` when unknown). */
  working(progress: ExecutionProgress): TrackedChild[] {
    return progress.workingOrders.map((order) => ({
      order,
      role: this.roles.get(order.clientOrderId) ?? 'passive',
      remaining: Math.max(0, order.quantity - order.filledQuantity),
      cancelling: this.cancelling.has(order.clientOrderId),
    }));
  }

  /** A cancel action the first time a child is cancelled, `undefined` after that. */
  cancel(clientOrderId: string, reason: string): CancelAction | undefined {
    if (this.cancelling.has(clientOrderId)) return undefined;
    this.cancelling.add(clientOrderId);
    return { kind: 'cancel', clientOrderId, reason };
  }

  /**
   * Records that a child reached a terminal state (forgetting its pending cancel);
   * true the first time, so a child seen ending twice (by its last fill, then by its
   * status update) is handled once.
   */
  ended(clientOrderId: string): boolean {
    this.cancelling.delete(clientOrderId);
    if (this.terminal.has(clientOrderId)) return false;
    this.terminal.add(clientOrderId);
    return true;
  }

  /**
   * Calls `onEnded` once per child that reaches a terminal state, from the execution's
   * child-order updates and fills: the engine counts a child filled at its last fill,
   * which may come without a separate status update.
   */
  watch(ctx: Pick<ExecutionContext<unknown>, 'childOrders$' | 'fills$' | 'progress'>, onEnded: (clientOrderId: string, status: ChildOrderStatus, reason?: string) => void): Subscription {
    const subscription = new Subscription();
    subscription.add(
      ctx.childOrders$.subscribe((order) => {
        if (TERMINAL_CHILD_STATUSES.has(order.status) && this.ended(order.clientOrderId)) onEnded(order.clientOrderId, order.status, order.reason);
      }),
    );
    subscription.add(
      ctx.fills$.subscribe((fill) => {
        const stillWorking = ctx.progress().workingOrders.some((order) => order.clientOrderId === fill.clientOrderId);
        if (!stillWorking && this.ended(fill.clientOrderId)) onEnded(fill.clientOrderId, 'filled');
      }),
    );
    return subscription;
  }
}
