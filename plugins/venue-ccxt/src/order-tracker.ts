import { Subject } from 'rxjs';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type Fill, type Liquidity, type VenueOrderRequest } from '@tranche/core';
import type { CcxtOrder, CcxtTrade } from './ccxt-exchange.js';
import { toChildOrder, toFill } from './order-mapping.js';

/** What the tracker knows of one of our orders. */
export interface TrackedOrder {
  readonly clientOrderId: string;
  readonly request: VenueOrderRequest;
  /** The exchange acknowledged it (an answer to the submit, a stream message or a look-up). */
  acknowledged: boolean;
  venueOrderId?: string;
  /** The state last published on `orderUpdates$`. */
  order?: ChildOrder;
  /** A submit of it failed ambiguously (timeout, 5xx): the exchange may hold it. */
  submitAmbiguous?: boolean;
  /** Sum of the fills published for it. */
  filledByFills: number;
  /** Polls that found the order done but its fills short of its filled quantity. */
  shortPolls: number;
}

/** Polls of a finished order whose fills stay short before the tracker gives up (and says so). */
const MAX_SHORT_POLLS = 20;

/**
 * Our orders as the venue learns about them from every path (submit answers, ccxt
 * pro streams, polling): each fill is published once, whichever path brought it (keyed
 * by exchange trade id and order), each change of state once and never backwards (a
 * stale stream message cannot reopen a finished order). Fills are published before
 * the order update they explain.
 */
export class OrderTracker {
  /** Every change of one of our orders. */
  readonly updates = new Subject<ChildOrder>();
  /** Every new fill of one of our orders. */
  readonly fills = new Subject<Fill>();
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly byVenueId = new Map<string, string>();
  private readonly seenFills = new Set<string>();
  private readonly fillIdOwners = new Map<string, string>();
  private duplicateFills = 0;

  /** Starts expecting an order (before its submit goes out: a stream may report it before the answer). */
  expect(request: VenueOrderRequest): TrackedOrder {
    let tracked = this.orders.get(request.clientOrderId);
    if (!tracked) {
      tracked = { clientOrderId: request.clientOrderId, request: { ...request }, acknowledged: false, filledByFills: 0, shortPolls: 0 };
      this.orders.set(request.clientOrderId, tracked);
    }
    return tracked;
  }

  /** Forgets an order the exchange certainly never took (a rejection or a refused request). */
  forget(clientOrderId: string): void {
    const tracked = this.orders.get(clientOrderId);
    if (tracked && !tracked.acknowledged) this.orders.delete(clientOrderId);
  }

  /** The tracked order of a client id. */
  get(clientOrderId: string): TrackedOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  /** Fills dropped because another path had already brought them. */
  get duplicatesDropped(): number {
    return this.duplicateFills;
  }

  /**
   * Applies an order state from any path: its embedded trades first (fills of an
   * immediate execution, assumed `taker` unless ccxt says), then its state. Returns
   * the merged state, `undefined` for an order that is not ours.
   */
  applyOrder(order: CcxtOrder, now: number, embeddedLiquidity: Liquidity = 'taker'): ChildOrder | undefined {
    const tracked = this.find(order.clientOrderId, order.id);
    if (!tracked) return undefined;
    tracked.acknowledged = true;
    if (order.id !== undefined && order.id !== null && order.id !== '') {
      tracked.venueOrderId = String(order.id);
      this.byVenueId.set(tracked.venueOrderId, tracked.clientOrderId);
    }
    for (const trade of order.trades ?? []) this.applyTrade({ ...trade, order: trade.order ?? order.id, symbol: trade.symbol ?? order.symbol }, now, embeddedLiquidity, tracked);
    const next = toChildOrder(order, now, tracked.request);
    return this.publish(tracked, next);
  }

  /**
   * Applies one of our trades from any path; returns the fill when it is new. The
   * order is found by exchange order id (or by `clientOrderId` in the trade's raw info).
   */
  applyTrade(trade: CcxtTrade, now: number, assumed?: Liquidity, known?: TrackedOrder): Fill | undefined {
    const info = (trade.info ?? {}) as Record<string, unknown>;
    const tracked = known ?? this.find(typeof info['c'] === 'string' ? info['c'] : (info['clientOrderId'] as string | undefined), trade.order);
    if (!tracked) return undefined;
    const liquidity = assumed ?? (tracked.request.type === 'market' ? 'taker' : 'maker');
    const fill = toFill({ ...trade, symbol: trade.symbol ?? tracked.request.symbol }, tracked.clientOrderId, now, liquidity);
    if (!fill) return undefined;
    const key = `${fill.symbol}|${fill.fillId}|${tracked.clientOrderId}`;
    if (this.seenFills.has(key)) {
      this.duplicateFills++;
      return undefined;
    }
    this.seenFills.add(key);
    // A self-trade gives both of our orders one trade id: the second gets its side appended, so fill ids stay unique.
    const owner = this.fillIdOwners.get(fill.fillId);
    if (owner !== undefined && owner !== tracked.clientOrderId) fill.fillId = `${fill.fillId}:${fill.side}`;
    else this.fillIdOwners.set(fill.fillId, tracked.clientOrderId);
    tracked.filledByFills += fill.quantity;
    this.fills.next(fill);
    return fill;
  }

  /**
   * Orders the poller must look at: acknowledged and not finished, or finished with
   * fills still short of their filled quantity (given up after a while, reported by
   * `onGiveUp`).
   */
  pollTargets(tolerance: (tracked: TrackedOrder) => number, onGiveUp: (tracked: TrackedOrder) => void): TrackedOrder[] {
    const targets: TrackedOrder[] = [];
    for (const tracked of this.orders.values()) {
      if (!tracked.acknowledged || !tracked.order) continue;
      if (!TERMINAL_CHILD_STATUSES.has(tracked.order.status)) {
        targets.push(tracked);
      } else if (this.fillsShort(tracked, tolerance(tracked))) {
        if (++tracked.shortPolls > MAX_SHORT_POLLS) {
          onGiveUp(tracked);
          tracked.filledByFills = tracked.order.filledQuantity;
        } else targets.push(tracked);
      }
    }
    return targets;
  }

  /** True when the fills published for an order fall short of what the exchange says it filled. */
  fillsShort(tracked: TrackedOrder, tolerance: number): boolean {
    return (tracked.order?.filledQuantity ?? 0) > tracked.filledByFills + tolerance;
  }

  /** Completes both streams. */
  complete(): void {
    this.updates.complete();
    this.fills.complete();
  }

  private find(clientOrderId: string | undefined, venueOrderId: unknown): TrackedOrder | undefined {
    if (clientOrderId) {
      const tracked = this.orders.get(clientOrderId);
      if (tracked) return tracked;
    }
    if (venueOrderId === undefined || venueOrderId === null) return undefined;
    const byId = this.byVenueId.get(String(venueOrderId));
    return byId === undefined ? undefined : this.orders.get(byId);
  }

  /** Merges a new state into the published one (never backwards) and publishes it if it changed. */
  private publish(tracked: TrackedOrder, next: ChildOrder): ChildOrder {
    const current = tracked.order;
    if (current) {
      const finished = TERMINAL_CHILD_STATUSES.has(current.status);
      const status = finished && !TERMINAL_CHILD_STATUSES.has(next.status) ? current.status : next.status;
      const filledQuantity = Math.max(current.filledQuantity, next.filledQuantity);
      const merged: ChildOrder = {
        ...next,
        status: finished && next.status !== current.status && next.filledQuantity <= current.filledQuantity ? current.status : status,
        filledQuantity,
        averagePrice: next.filledQuantity >= current.filledQuantity ? next.averagePrice : current.averagePrice,
        createdAt: Math.min(current.createdAt, next.createdAt),
        updatedAt: Math.max(current.updatedAt, next.updatedAt),
        ...(next.venueOrderId === undefined && current.venueOrderId !== undefined ? { venueOrderId: current.venueOrderId } : {}),
      };
      if (merged.status === 'filled' || merged.status === current.status) {
        if (merged.reason === undefined && current.reason !== undefined) merged.reason = current.reason;
      }
      if (merged.status === current.status && merged.filledQuantity === current.filledQuantity && merged.venueOrderId === current.venueOrderId) return current;
      tracked.order = merged;
    } else {
      tracked.order = next;
    }
    this.updates.next(tracked.order);
    return tracked.order;
  }
}
