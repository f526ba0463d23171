import { inject, injectable, multiInject, optional } from 'inversify';
import { Subject, type Observable, type Subscription } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { Logger } from '../contracts/logger.js';
import { RiskCheck, type RiskContext, type RiskPosition, type RiskVerdict } from '../contracts/risk-check.js';
import { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { Fill } from '../model/fill.schema.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type OrderRequest } from '../model/order.schema.js';
import { AssetCacheManager } from './asset-cache-manager.js';
import { ActiveVenue } from './tokens.js';

/** One refusal of the risk gate, for monitors and operators. */
export interface RiskRejection {
  /** Epoch milliseconds. */
  readonly ts: number;
  /** The refused child order's client id, or the parent's id (or symbol) for a refused parent. */
  readonly orderId: string;
  /** The parent order's id, when known. */
  readonly parentId?: string;
  /** The order's symbol. */
  readonly symbol: string;
  /** The check that refused (`kill-switch` while the switch is engaged). */
  readonly check: string;
  /** The limit that was breached. */
  readonly limit: string;
  /** The breach in words, with the values. */
  readonly reason: string;
}

interface TrackedOrder {
  asset: string;
  side: 'buy' | 'sell';
  quantity: number;
  filled: number;
  filledByFills: number;
  terminal: boolean;
}

interface MutablePosition {
  filled: number;
  openBuy: number;
  openSell: number;
}

const NO_POSITION: RiskPosition = Object.freeze({ filled: 0, openBuy: 0, openSell: 0 });

/**
 * Applies every bound `RiskCheck` to each child order before the router journals and
 * sends it, and to each parent order before its execution starts. It tracks the
 * position of this process per base asset (fills plus working orders it let through)
 * for the checks, and refuses everything while halted (the kill switch).
 */
@injectable()
export class RiskGate {
  private readonly rejectionsSubject = new Subject<RiskRejection>();
  private readonly tracked = new Map<string, TrackedOrder>();
  private readonly positions = new Map<string, MutablePosition>();
  private readonly seenFills = new Set<string>();
  private readonly subscriptions: Subscription[] = [];
  private readonly checks: readonly RiskCheck[];
  private haltReason: string | undefined;

  private readonly logger: Logger;

  constructor(
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @inject(ActiveVenue) private readonly venue: Venue,
    @inject(AssetCacheManager) private readonly cache: AssetCacheManager,
    @multiInject(RiskCheck) @optional() checks: RiskCheck[] | undefined,
  ) {
    this.logger = logger.child({ component: 'risk' });
    this.checks = checks ?? [];
  }

  /** Every refusal (child or parent orders). */
  get rejections$(): Observable<RiskRejection> {
    return this.rejectionsSubject.asObservable();
  }

  /** Ids of the installed checks. */
  checkIds(): string[] {
    return this.checks.map((check) => check.id);
  }

  /** True while the gate refuses every order. */
  get halted(): boolean {
    return this.haltReason !== undefined;
  }

  /** Refuses every order from now on (the kill switch); `reason` goes into each refusal. */
  halt(reason: string): void {
    this.haltReason ??= reason;
  }

  /** Lets orders through again after `halt`. */
  resume(): void {
    this.haltReason = undefined;
  }

  /** The tracked position of this process in a base asset. */
  position(asset: string): RiskPosition {
    const position = this.positions.get(asset);
    return position ? { ...position } : NO_POSITION;
  }

  /**
   * Checks a child order about to be sent: `undefined` when every check lets it through
   * (it is then tracked as working), otherwise a non-retryable `risk` `TrancheError`
   * naming the limit and the values.
   */
  check(order: ChildOrder): TrancheError | undefined {
    this.start();
    const context = this.context(order.symbol);
    const refusal = this.evaluate((check) => check.check(order, context));
    if (refusal) return this.refuse(refusal, order.clientOrderId, order.symbol, order.parentId);
    for (const check of this.checks) check.onAccepted?.(order, context);
    this.track(order, context.asset);
    return undefined;
  }

  /** Checks a parent order before its execution starts; throws a `risk` `TrancheError` on a breach. */
  checkParent(request: OrderRequest): void {
    const context = this.context(request.symbol);
    const refusal = this.evaluate((check) => (check.checkParent ? check.checkParent(request, context) : { ok: true }));
    if (refusal) throw this.refuse(refusal, request.id ?? request.symbol, request.symbol, request.id);
  }

  /** Stops following the venue. */
  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    this.rejectionsSubject.complete();
  }

  private evaluate(run: (check: RiskCheck) => RiskVerdict): { check: string; limit: string; reason: string } | undefined {
    if (this.haltReason !== undefined) return { check: 'kill-switch', limit: 'kill-switch', reason: `kill switch engaged: ${this.haltReason}` };
    for (const check of this.checks) {
      const verdict = run(check);
      if (!verdict.ok) return { check: check.id, limit: verdict.limit, reason: verdict.reason };
    }
    return undefined;
  }

  private refuse(refusal: { check: string; limit: string; reason: string }, orderId: string, symbol: string, parentId: string | undefined): TrancheError {
    const rejection: RiskRejection = { ts: this.clock.now(), orderId, symbol, ...(parentId === undefined ? {} : { parentId }), ...refusal };
    this.logger.warn('risk check refused an order', { ...rejection });
    this.rejectionsSubject.next(rejection);
    return new TrancheError('risk', `risk limit ${refusal.limit} (${refusal.check}): ${refusal.reason}`, { retryable: false });
  }

  private context(symbol: string): RiskContext {
    const asset = baseAsset(symbol);
    return { now: this.clock.now(), asset, referencePrice: this.referencePrice(symbol), position: this.positions.get(asset) ?? NO_POSITION };
  }

  private referencePrice(symbol: string): number | null {
    if (this.cache.hasBook(symbol)) {
      const mid = this.cache.book(symbol).mid();
      if (Number.isFinite(mid) && mid > 0) return mid;
    }
    const last = this.cache.lastTrade(symbol)?.price;
    return last !== undefined && Number.isFinite(last) && last > 0 ? last : null;
  }

  /** Follows the venue's order updates and fills from the first checked order on (none can come earlier). */
  private start(): void {
    if (this.subscriptions.length > 0) return;
    this.subscriptions.push(
      this.venue.orderUpdates$.subscribe((order) => this.onUpdate(order)),
      this.venue.fills$.subscribe((fill) => this.onFill(fill)),
    );
  }

  private track(order: ChildOrder, asset: string): void {
    const tracked: TrackedOrder = { asset, side: order.side, quantity: order.quantity, filled: 0, filledByFills: 0, terminal: false };
    this.tracked.set(order.clientOrderId, tracked);
    this.adjust(tracked, 0, order.quantity, 0);
  }

  private onUpdate(order: ChildOrder): void {
    const tracked = this.tracked.get(order.clientOrderId);
    if (!tracked || tracked.terminal) return;
    this.setFilled(tracked, Math.max(tracked.filled, order.filledQuantity), TERMINAL_CHILD_STATUSES.has(order.status));
  }

  private onFill(fill: Fill): void {
    const tracked = this.tracked.get(fill.clientOrderId);
    if (!tracked || this.seenFills.has(fill.fillId)) return;
    this.seenFills.add(fill.fillId);
    tracked.filledByFills += fill.quantity;
    this.setFilled(tracked, Math.max(tracked.filled, tracked.filledByFills), tracked.terminal);
  }

  private setFilled(tracked: TrackedOrder, filled: number, terminal: boolean): void {
    const openBefore = tracked.terminal ? 0 : Math.max(0, tracked.quantity - tracked.filled);
    const openAfter = terminal ? 0 : Math.max(0, tracked.quantity - filled);
    const filledDelta = filled - tracked.filled;
    tracked.filled = filled;
    tracked.terminal = terminal;
    this.adjust(tracked, openBefore, openAfter, filledDelta);
  }

  private adjust(tracked: TrackedOrder, openBefore: number, openAfter: number, filledDelta: number): void {
    let position = this.positions.get(tracked.asset);
    if (!position) this.positions.set(tracked.asset, (position = { filled: 0, openBuy: 0, openSell: 0 }));
    const sign = tracked.side === 'buy' ? 1 : -1;
    position.filled += sign * filledDelta;
    if (tracked.side === 'buy') position.openBuy += openAfter - openBefore;
    else position.openSell += openAfter - openBefore;
  }
}

/** The base asset of a `BASE/QUOTE` symbol. */
function baseAsset(symbol: string): string {
  const slash = symbol.indexOf('/');
  return slash < 0 ? symbol : symbol.slice(0, slash);
}
