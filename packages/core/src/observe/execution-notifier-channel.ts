import { timer, type Subscription } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { Notification, Notifier } from '../contracts/notifier.js';
import { TrancheError } from '../errors/tranche-error.js';
import { NOTIFICATION_SEVERITIES } from './execution-notifier-config.schema.js';

/** Bounds of one notifier's channel. */
export interface NotifierChannelOptions {
  /** Notifications waiting at most; beyond it the oldest of the least severity is dropped. */
  readonly maxQueue: number;
  /** Token bucket: sustained rate. */
  readonly maxPerMinute: number;
  /** Token bucket: capacity. */
  readonly burst: number;
  /** A delivery not settled after this long (ms, on the clock) is abandoned. */
  readonly deliveryTimeoutMs: number;
}

/** Delivery counters of one channel. */
export interface NotifierChannelStats {
  delivered: number;
  failed: number;
  timedOut: number;
  dropped: number;
}

const severityRank = (notification: Notification): number => NOTIFICATION_SEVERITIES.indexOf(notification.severity);

/**
 * The queue in front of one `Notifier`: bounded, delivered one at a time, at most
 * `maxPerMinute` (with a `burst`) measured on the clock, each delivery abandoned after
 * `deliveryTimeoutMs`. `enqueue` never blocks and never throws: a notifier that throws,
 * rejects or hangs only fills its own queue, whose overflow drops the oldest notification
 * of the least severity; the next one delivered says how many were dropped.
 */
export class NotifierChannel {
  /** Delivery counters. */
  readonly stats: NotifierChannelStats = { delivered: 0, failed: 0, timedOut: 0, dropped: 0 };
  private readonly queue: Notification[] = [];
  private readonly ratePerMs: number;
  private tokens: number;
  private refilledAt: number;
  private inFlight?: { readonly controller: AbortController };
  private waiting?: Subscription;
  private droppedSinceDelivery = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    readonly notifier: Notifier,
    private readonly options: NotifierChannelOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.ratePerMs = options.maxPerMinute / 60_000;
    this.tokens = options.burst;
    this.refilledAt = clock.now();
  }

  /** Notifications waiting (not counting the one in flight). */
  get queued(): number {
    return this.queue.length;
  }

  /** True when nothing waits and nothing is in flight. */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight === undefined;
  }

  /** Queues one notification for delivery; returns at once. */
  enqueue(notification: Notification): void {
    if (this.closed) {
      this.stats.dropped++;
      return;
    }
    if (this.queue.length >= this.options.maxQueue && !this.makeRoom(notification)) return;
    this.queue.push(notification);
    this.pump();
  }

  /** Resolves when the channel is idle. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the channel: what still waits is dropped (counted), a delivery in flight is aborted. */
  abandon(): void {
    this.closed = true;
    this.waiting?.unsubscribe();
    this.waiting = undefined;
    this.stats.dropped += this.queue.length;
    if (this.queue.length > 0) this.logger.warn('notifications dropped at close', { notifier: this.notifier.id, dropped: this.queue.length });
    this.queue.length = 0;
    this.inFlight?.controller.abort(new TrancheError('internal', 'notifier closed', { retryable: false }));
    this.inFlight = undefined;
    this.settleIdle();
  }

  /** Drops the oldest notification of the least severity (the new one if it is the least); false when the new one was dropped. */
  private makeRoom(incoming: Notification): boolean {
    let victim = 0;
    for (let index = 1; index < this.queue.length; index++) {
      if (severityRank(this.queue[index]!) < severityRank(this.queue[victim]!)) victim = index;
    }
    this.stats.dropped++;
    this.droppedSinceDelivery++;
    if (severityRank(incoming) < severityRank(this.queue[victim]!)) {
      this.logger.debug('notification dropped: queue full', { notifier: this.notifier.id, event: incoming.event });
      return false;
    }
    const [dropped] = this.queue.splice(victim, 1);
    this.logger.debug('notification dropped: queue full', { notifier: this.notifier.id, event: dropped!.event });
    return true;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.options.burst, this.tokens + (now - this.refilledAt) * this.ratePerMs);
    this.refilledAt = now;
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.waiting !== undefined) return;
    if (this.queue.length === 0) {
      this.settleIdle();
      return;
    }
    this.refill(this.clock.now());
    if (this.tokens < 1) {
      const waitMs = Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerMs));
      this.waiting = timer(waitMs, this.clock.scheduler).subscribe(() => {
        this.waiting = undefined;
        this.pump();
      });
      return;
    }
    this.tokens -= 1;
    this.deliver(this.annotate(this.queue.shift()!));
  }

  /** The next notification says how many were dropped before it. */
  private annotate(notification: Notification): Notification {
    if (this.droppedSinceDelivery === 0) return notification;
    const dropped = this.droppedSinceDelivery;
    this.droppedSinceDelivery = 0;
    return {
      ...notification,
      message: `${notification.message} (${dropped} earlier notification(s) dropped: queue full)`,
      data: { ...notification.data, droppedBefore: dropped },
    };
  }

  private deliver(notification: Notification): void {
    const controller = new AbortController();
    const flight = { controller };
    this.inFlight = flight;
    let settled = false;
    const finish = (outcome: 'delivered' | 'failed' | 'timed-out', error?: unknown): void => {
      if (settled) return;
      settled = true;
      timeout.unsubscribe();
      if (outcome === 'delivered') this.stats.delivered++;
      else {
        if (outcome === 'failed') this.stats.failed++;
        else this.stats.timedOut++;
        const fields = { notifier: this.notifier.id, event: notification.event, executionId: notification.executionId, error: TrancheError.from(error).message };
        this.logger.warn(outcome === 'failed' ? 'notification delivery failed' : 'notification delivery timed out', fields);
      }
      if (this.inFlight === flight) this.inFlight = undefined;
      if (this.closed) {
        this.settleIdle();
        return;
      }
      this.pump();
    };
    const timeout = timer(this.options.deliveryTimeoutMs, this.clock.scheduler).subscribe(() => {
      const error = new TrancheError('timeout-ambiguous', `no answer within ${this.options.deliveryTimeoutMs} ms`);
      controller.abort(error);
      finish('timed-out', error);
    });
    let delivery: Promise<void>;
    try {
      delivery = Promise.resolve(this.notifier.notify(notification, { signal: controller.signal }));
    } catch (error) {
      // The contract says never throw synchronously; a notifier that does still only fails its own delivery.
      delivery = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    delivery.then(
      () => finish('delivered'),
      (error: unknown) => finish('failed', error),
    );
  }

  private settleIdle(): void {
    if (!this.idle) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
