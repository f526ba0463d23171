import { inject, injectable, multiInject, optional } from 'inversify';
import { timer, type Subscription } from 'rxjs';
import { Clock } from '../contracts/clock.js';
import { Logger } from '../contracts/logger.js';
import type { MetricCollector, MetricSnapshot } from '../contracts/metric-collector.js';
import { Notifier, type Notification } from '../contracts/notifier.js';
import { TrancheConfig } from '../engine/tokens.js';
import { TrancheError } from '../errors/tranche-error.js';
import { metricKey } from '../metrics/metric-key.js';
import type { CoreConfig } from '../model/config.schema.js';
import type { ExecutionEvent } from '../model/execution.schema.js';
import { NotifierChannel } from './execution-notifier-channel.js';
import { NOTIFICATION_SEVERITIES, type NotificationsConfig, type NotifierRoute } from './execution-notifier-config.schema.js';
import { ExecutionNotificationBuilder } from './execution-notifier-events.js';

/** Events that happen a bounded number of times per execution and are never coalesced. */
const NEVER_COALESCED: ReadonlySet<string> = new Set(['execution-started', 'execution-completed', 'execution-failed', 'execution-cancelled', 'kill-switch']);

interface Route {
  readonly channel: NotifierChannel;
  readonly events?: ReadonlySet<string>;
  readonly minRank: number;
  readonly minRankByEvent: ReadonlyMap<string, number>;
}

interface CoalescingWindow {
  latest?: Notification;
  count: number;
  readonly timer: Subscription;
}

/**
 * Fans execution events out to every bound `Notifier`: turns them into `Notification`s
 * (see `ExecutionNotificationBuilder`: started, completed, failed, cancelled, slippage
 * alerts, venue errors, monitors' alerts such as `deadline-at-risk`), takes the kill
 * switch's steps through `publish`, filters them per notifier (`notifications.notifiers`:
 * event names, least severity, least severity per event), coalesces repeats of one event kind and severity for one
 * execution within `throttleWindowMs`, and hands each to the notifier's own `NotifierChannel`
 * (bounded queue, rate cap, delivery timeout, all on the clock). It is bound as a
 * `MetricCollector` so the engine feeds it every event synchronously; that call only
 * queues, so a notifier that throws, rejects or hangs never blocks or slows an execution,
 * nor delays the other notifiers. Its snapshot counts deliveries per notifier.
 */
@injectable()
export class ExecutionNotifier implements MetricCollector {
  /** Collector id. */
  readonly id = 'execution-notifier';
  private readonly config: NotificationsConfig;
  private readonly logger: Logger;
  private readonly routes: Route[] = [];
  private readonly builder: ExecutionNotificationBuilder;
  private readonly windows = new Map<string, CoalescingWindow>();
  private coalesced = 0;
  private published = 0;
  private closing?: Promise<void>;

  constructor(
    @inject(TrancheConfig) coreConfig: CoreConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
    @multiInject(Notifier) @optional() notifiers: Notifier[] | undefined,
  ) {
    this.config = coreConfig.notifications;
    this.logger = logger.child({ component: 'notifier' });
    this.builder = new ExecutionNotificationBuilder({ warningBps: this.config.slippageThresholdBps, criticalBps: this.config.slippageCriticalBps });
    const installed = notifiers ?? [];
    const ids = new Set<string>();
    for (const notifier of installed) {
      if (ids.has(notifier.id)) throw new TrancheError('internal', `two notifiers are registered as "${notifier.id}"`, { retryable: false });
      ids.add(notifier.id);
    }
    for (const id of Object.keys(this.config.notifiers)) {
      if (!ids.has(id)) {
        throw new TrancheError('validation', `invalid config: notifications.notifiers.${id}: no notifier "${id}" is installed (installed: ${[...ids].join(', ') || 'none'})`, {
          field: `notifications.notifiers.${id}`,
          retryable: false,
        });
      }
    }
    if (!this.config.enabled) return;
    for (const notifier of installed) {
      const route: NotifierRoute | undefined = this.config.notifiers[notifier.id];
      if (route?.enabled === false) continue;
      const channel = new NotifierChannel(
        notifier,
        {
          maxQueue: this.config.maxQueue,
          maxPerMinute: route?.maxPerMinute ?? this.config.maxPerMinute,
          burst: this.config.burst,
          deliveryTimeoutMs: this.config.deliveryTimeoutMs,
        },
        clock,
        this.logger,
      );
      this.routes.push({
        channel,
        ...(route?.events ? { events: new Set(route.events) } : {}),
        minRank: NOTIFICATION_SEVERITIES.indexOf(route?.minSeverity ?? 'info'),
        minRankByEvent: new Map(Object.entries(route?.minSeverityByEvent ?? {}).map(([event, severity]) => [event, NOTIFICATION_SEVERITIES.indexOf(severity)])),
      });
    }
  }

  /** Ids of the notifiers that receive notifications. */
  notifierIds(): string[] {
    return this.routes.map((route) => route.channel.notifier.id);
  }

  /** Called by the engine for every execution event: builds the notifications and queues them (never throws). */
  onExecutionEvent(event: ExecutionEvent): void {
    if (this.routes.length === 0 || this.closing) return;
    try {
      for (const notification of this.builder.build(event)) this.publish(notification);
    } catch (error) {
      this.logger.error('notification not built', { executionId: event.executionId, type: event.type, error: TrancheError.from(error).message });
    }
  }

  /**
   * Sends one notification to every notifier whose route accepts it (after coalescing).
   * Returns at once; used by the kill switch and open to any component with news for an operator.
   */
  publish(notification: Notification): void {
    if (this.routes.length === 0) return;
    if (this.closing) {
      this.logger.debug('notification after close dropped', { event: notification.event });
      return;
    }
    const window = this.config.throttleWindowMs;
    if (window > 0 && notification.executionId !== undefined && !NEVER_COALESCED.has(notification.event)) {
      // Severity is part of the key: a give-up after a run of retries (info → warning) is never held back by the window.
      const key = `${notification.executionId}\u0000${notification.event}\u0000${notification.severity}`;
      const open = this.windows.get(key);
      if (open) {
        open.latest = notification;
        open.count++;
        this.coalesced++;
        return;
      }
      this.openWindow(key);
    }
    this.dispatch(notification);
  }

  /** Delivery counters per notifier, plus notifications coalesced and published. */
  snapshot(): MetricSnapshot {
    const snapshot: MetricSnapshot = {
      notifications_published_total: { kind: 'counter', value: this.published, help: 'notifications handed to the notifiers (after coalescing)' },
      notifications_coalesced_total: { kind: 'counter', value: this.coalesced, help: 'repeats folded into a later notification by the throttle window' },
    };
    for (const { channel } of this.routes) {
      const labels = { notifier: channel.notifier.id };
      snapshot[metricKey('notifications_delivered_total', labels)] = { kind: 'counter', value: channel.stats.delivered, help: 'notifications delivered' };
      snapshot[metricKey('notifications_failed_total', labels)] = { kind: 'counter', value: channel.stats.failed, help: 'deliveries that failed' };
      snapshot[metricKey('notifications_timed_out_total', labels)] = { kind: 'counter', value: channel.stats.timedOut, help: 'deliveries abandoned after the delivery timeout' };
      snapshot[metricKey('notifications_dropped_total', labels)] = { kind: 'counter', value: channel.stats.dropped, help: 'notifications dropped (queue full or closed)' };
      snapshot[metricKey('notifications_queued', labels)] = { kind: 'gauge', value: channel.queued, help: 'notifications waiting' };
    }
    return snapshot;
  }

  /** Resolves when every notifier's queue is empty and nothing is in flight. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.routes.map((route) => route.channel.whenIdle()));
  }

  /**
   * Stops taking notifications, sends what the coalescing windows hold, then waits (on a
   * live clock, at most `closeTimeoutMs`) for the queues to drain before closing the
   * notifiers; what is still waiting then is dropped and counted. On a virtual clock time
   * has stopped with the data, so no timeout could fire: it hands everything over and
   * returns, and each notifier is closed in the background once its queue is empty.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    for (const [key, window] of [...this.windows]) {
      window.timer.unsubscribe();
      this.windows.delete(key);
      if (window.latest) this.dispatch(this.summarize(window));
    }
    if (this.clock.virtual) {
      for (const { channel } of this.routes) void channel.whenIdle().then(() => this.closeNotifier(channel));
      return;
    }
    let timeout: Subscription | undefined;
    const deadline = new Promise<void>((resolve) => (timeout = timer(this.config.closeTimeoutMs, this.clock.scheduler).subscribe(() => resolve())));
    await Promise.race([this.whenIdle(), deadline]);
    timeout?.unsubscribe();
    for (const { channel } of this.routes) {
      if (!channel.idle) channel.abandon();
      await this.closeNotifier(channel);
    }
  }

  private async closeNotifier(channel: NotifierChannel): Promise<void> {
    try {
      await channel.notifier.close?.();
    } catch (error) {
      this.logger.warn('notifier close failed', { notifier: channel.notifier.id, error: TrancheError.from(error).message });
    }
  }

  private openWindow(key: string): void {
    const window: CoalescingWindow = {
      count: 0,
      timer: timer(this.config.throttleWindowMs, this.clock.scheduler).subscribe(() => {
        this.windows.delete(key);
        if (!window.latest) return;
        // The last of the window goes out now and opens the next window, so a steady stream comes out once per window.
        this.openWindow(key);
        this.dispatch(this.summarize(window));
      }),
    };
    this.windows.set(key, window);
  }

  private summarize(window: CoalescingWindow): Notification {
    const latest = window.latest!;
    if (window.count <= 1) return latest;
    const seconds = Math.round(this.config.throttleWindowMs / 1_000);
    return { ...latest, message: `${latest.message} (latest of ${window.count} in ${seconds} s)`, data: { ...latest.data, coalesced: window.count } };
  }

  private dispatch(notification: Notification): void {
    this.published++;
    const rank = NOTIFICATION_SEVERITIES.indexOf(notification.severity);
    for (const route of this.routes) {
      if (rank < (route.minRankByEvent.get(notification.event) ?? route.minRank)) continue;
      if (route.events && !route.events.has(notification.event)) continue;
      route.channel.enqueue(notification);
    }
  }
}
