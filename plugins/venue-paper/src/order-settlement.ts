import { Subject, type Observable } from 'rxjs';
import {
  TrancheError,
  roundToIncrement,
  type Balance,
  type ChildOrder,
  type Clock,
  type Fill,
  type Liquidity,
  type Logger,
  type MarketInfo,
  type VenueOrderRequest,
} from '@tranche/core';
import type { BalanceLedger } from './balance-ledger.js';
import { toChildOrder, type PaperOrder } from './paper-order.js';
import type { PlannedTake } from './symbol-state.js';

/** What an order locks in the ledger (the asset, the amount, how much one unit filled releases). */
export type Reservation = Pick<PaperOrder, 'reservedAsset' | 'reserved' | 'reservedPerUnit'>;

/**
 * The paper venue's book-keeping of its orders: balances are locked per order and
 * settled per fill (fees are paid in the quote), and every change of an order is
 * published, a fill on `fills$` before the order update it causes.
 */
export class OrderSettlement {
  private readonly updates = new Subject<ChildOrder>();
  private readonly fillSubject = new Subject<Fill>();
  /** Every change of an order, as callers see it. */
  readonly orderUpdates$: Observable<ChildOrder> = this.updates.asObservable();
  /** Every fill, each before the order update it causes. */
  readonly fills$: Observable<Fill> = this.fillSubject.asObservable();
  private fillSequence = 0;

  /**
   * @param ledger the venue's balances.
   * @param clock stamps fills and order updates.
   * @param log where refusals and ends of orders are reported (debug level).
   * @param removeResting takes an order that is done off its symbol's resting list.
   */
  constructor(
    private readonly ledger: BalanceLedger,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly removeResting: (order: PaperOrder) => void,
  ) {}

  /** Free and locked amounts of every asset. */
  balances(): Balance[] {
    return this.ledger.snapshot();
  }

  /**
   * Locks what an order may spend: the quote (with the worst fee) for a limit buy, what
   * the `plan` takes (with the taker fee) for a market buy, the base for a sell.
   * Throws `insufficient-funds` when the free amount is short.
   */
  reserve(request: VenueOrderRequest, market: MarketInfo, quantity: number, price: number | undefined, plan: readonly PlannedTake[]): Reservation {
    const reserveFeeRate = Math.max(0, market.makerFeeBps, market.takerFeeBps) / 10_000;
    let reservedAsset: string;
    let reserved: number;
    let reservedPerUnit: number;
    if (request.side === 'sell') {
      reservedAsset = market.base;
      reserved = quantity;
      reservedPerUnit = 1;
    } else if (price !== undefined) {
      reservedAsset = market.quote;
      reservedPerUnit = price * (1 + reserveFeeRate);
      reserved = quantity * reservedPerUnit;
    } else {
      // A market buy costs what it takes from the visible book, which is known at arrival.
      const takerRate = Math.max(0, market.takerFeeBps) / 10_000;
      reservedAsset = market.quote;
      reservedPerUnit = (plan.at(-1)?.price ?? 0) * (1 + takerRate);
      reserved = plan.reduce((sum, take) => sum + take.price * take.quantity, 0) * (1 + takerRate);
    }
    if (!this.ledger.reserve(reservedAsset, reserved)) {
      const free = this.ledger.free(reservedAsset);
      this.log.debug('order refused: insufficient funds', { clientOrderId: request.clientOrderId, asset: reservedAsset, needed: reserved, free });
      throw new TrancheError('insufficient-funds', `insufficient ${reservedAsset} for order ${request.clientOrderId}: needs ${reserved}, ${free} free`, {
        retryable: false,
      });
    }
    return { reservedAsset, reserved, reservedPerUnit };
  }

  /** Publishes the order as it is now on `orderUpdates$`. */
  publish(order: PaperOrder): void {
    this.updates.next(toChildOrder(order));
  }

  /** Books one fill: balances, the order's state, then `fills$` and `orderUpdates$` (in that order). */
  fill(order: PaperOrder, price: number, quantity: number, liquidity: Liquidity): void {
    const market = order.market;
    const notional = price * quantity;
    const fee = (notional * (liquidity === 'maker' ? market.makerFeeBps : market.takerFeeBps)) / 10_000;
    this.settle(order, price, quantity, fee);
    const now = this.now();
    order.filledQuantity = roundToIncrement(order.filledQuantity + quantity, market.stepSize);
    order.filledNotional += notional;
    order.updatedAt = now;
    if (order.filledQuantity >= order.quantity - market.stepSize / 2) {
      order.status = 'filled';
      this.releaseReservation(order);
      this.removeResting(order);
    } else {
      order.status = 'partially_filled';
    }
    this.fillSubject.next({
      fillId: `paper-${++this.fillSequence}`,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      ts: now,
      price,
      quantity,
      fee,
      feeCurrency: market.quote,
      liquidity,
    });
    this.publish(order);
  }

  /** Ends an order that did not fill completely. */
  end(order: PaperOrder, status: 'cancelled' | 'expired', reason: string): void {
    order.status = status;
    order.reason = reason;
    order.updatedAt = this.now();
    this.releaseReservation(order);
    this.removeResting(order);
    this.log.debug('order ended', { clientOrderId: order.clientOrderId, status, reason, filledQuantity: order.filledQuantity });
    this.publish(order);
  }

  /** Completes `orderUpdates$` and `fills$`. */
  complete(): void {
    this.updates.complete();
    this.fillSubject.complete();
  }

  /** Pays for a fill out of the order's reservation: a buy spends quote and gets base, a sell the reverse. */
  private settle(order: PaperOrder, price: number, quantity: number, fee: number): void {
    const { base, quote } = order.market;
    if (order.side === 'buy') {
      const cost = price * quantity + fee;
      const portion = Math.min(order.reserved, quantity * order.reservedPerUnit);
      order.reserved -= portion;
      this.ledger.spendLocked(quote, Math.min(cost, portion));
      if (portion > cost) this.ledger.release(quote, portion - cost);
      else if (cost > portion) this.ledger.credit(quote, portion - cost);
      this.ledger.credit(base, quantity);
    } else {
      const portion = Math.min(order.reserved, quantity);
      order.reserved -= portion;
      this.ledger.spendLocked(base, portion);
      if (quantity > portion) this.ledger.credit(base, portion - quantity);
      this.ledger.credit(quote, price * quantity - fee);
    }
  }

  private releaseReservation(order: PaperOrder): void {
    this.ledger.release(order.reservedAsset, order.reserved);
    order.reserved = 0;
  }

  private now(): number {
    return Math.floor(this.clock.now());
  }
}
