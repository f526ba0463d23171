import { z } from 'zod';

/** Severities of a `Notification`, least urgent first. */
export const NOTIFICATION_SEVERITIES = ['info', 'warning', 'critical'] as const;

/** Severity of a notification: `info`, `warning` (look at it), `critical` (act now). */
export const NotificationSeveritySchema = z.enum(NOTIFICATION_SEVERITIES);
/** Severity of a notification. */
export type NotificationSeverity = z.infer<typeof NotificationSeveritySchema>;

/**
 * The events the `ExecutionNotifier` turns into notifications (`order-rejected`: a child
 * order refused before the venue, by a risk limit or as bad input). A monitor's other alert
 * kinds (e.g. the execution monitor's `stalled`) are notified under their own kind.
 */
export const NOTIFICATION_EVENTS = [
  'execution-started',
  'execution-completed',
  'execution-failed',
  'execution-cancelled',
  'slippage-alert',
  'deadline-at-risk',
  'venue-error',
  'order-rejected',
  'kill-switch',
] as const;
/** One of the notification events the core produces. */
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

const EventNameSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case event name such as "execution-failed"' });

/** Which notifications one notifier receives (`notifications.notifiers.<id>`). */
export const NotifierRouteSchema = z
  .object({
    /** `false` mutes this notifier. */
    enabled: z.boolean().default(true).describe('`false` mutes this notifier.'),
    /** Event names this notifier receives (absent: all). */
    events: z.array(EventNameSchema).min(1).optional().describe('Event names this notifier receives (absent: all).'),
    /** Least severity this notifier receives. */
    minSeverity: NotificationSeveritySchema.default('info').describe('Least severity this notifier receives.'),
    /** Least severity per event name, over `min_severity` (e.g. `{ deadline-at-risk: critical }`). */
    minSeverityByEvent: z.record(EventNameSchema, NotificationSeveritySchema).default({}).describe('Least severity per event name, over `min_severity` (e.g. `{ deadline-at-risk: critical }`).'),
    /** Overrides `notifications.max_per_minute` for this notifier. */
    maxPerMinute: z.number().int().positive().optional().describe('Overrides `notifications.max_per_minute` for this notifier.'),
  })
  .strict();
/** Which notifications one notifier receives. */
export type NotifierRoute = z.infer<typeof NotifierRouteSchema>;

/**
 * The `notifications` section of the core config: routing per notifier, the slippage
 * thresholds, throttling and delivery bounds of the `ExecutionNotifier`.
 */
export const NotificationsConfigSchema = z
  .object({
    /** `false` turns every notification off. */
    enabled: z.boolean().default(true).describe('`false` turns every notification off.'),
    /**
     * `slippage-alert` (warning) when the running slippage of an execution's fills against
     * its arrival price exceeds this many basis points (positive is worse for the trader).
     */
    slippageThresholdBps: z.number().positive().max(10_000).default(25).describe('`slippage-alert` (warning) when the running slippage of an execution\'s fills against its arrival price exceeds this many basis points (positive is worse for the trader).'),
    /** A second, `critical` `slippage-alert` above this many basis points (`null`: none). */
    slippageCriticalBps: z.number().positive().max(10_000).nullable().default(100).describe('A second, `critical` `slippage-alert` above this many basis points (`null`: none).'),
    /**
     * Repeats of one event kind and severity for one execution within this window (ms, on the clock) are
     * coalesced: the first is sent at once, the last at the end of the window with the
     * count of the ones it stands for. `0` turns it off. Lifecycle and kill-switch events are never coalesced.
     */
    throttleWindowMs: z.number().int().nonnegative().default(60_000).describe('Repeats of one event kind and severity for one execution within this window (ms, on the clock) are coalesced: the first is sent at once, the last at the end of the window with the count of the ones it stands for. `0` turns it off. Lifecycle and kill-switch events are never coalesced.'),
    /** Global cap of notifications per notifier per minute (token bucket on the clock); above it they wait in the queue. */
    maxPerMinute: z.number().int().positive().default(30).describe('Global cap of notifications per notifier per minute (token bucket on the clock); above it they wait in the queue.'),
    /** How many may go out at once before the per-minute cap applies. */
    burst: z.number().int().positive().default(10).describe('How many may go out at once before the per-minute cap applies.'),
    /** Notifications waiting per notifier; beyond it the oldest of the least severity is dropped (and counted). */
    maxQueue: z.number().int().positive().max(100_000).default(200).describe('Notifications waiting per notifier; beyond it the oldest of the least severity is dropped (and counted).'),
    /** A delivery that has not settled after this long (ms, on the clock) is abandoned and counted as failed. */
    deliveryTimeoutMs: z.number().int().positive().default(15_000).describe('A delivery that has not settled after this long (ms, on the clock) is abandoned and counted as failed.'),
    /** `close()` waits this long (ms, on a live clock) for the queues to drain. */
    closeTimeoutMs: z.number().int().nonnegative().default(5_000).describe('`close()` waits this long (ms, on a live clock) for the queues to drain.'),
    /** Routing by notifier id; a notifier not listed gets every notification. */
    notifiers: z.record(z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case notifier id' }), NotifierRouteSchema).default({}).describe('Routing by notifier id; a notifier not listed gets every notification.'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.slippageCriticalBps !== null && config.slippageCriticalBps <= config.slippageThresholdBps) {
      context.addIssue({
        code: 'custom',
        path: ['slippageCriticalBps'],
        message: `must be above slippage_threshold_bps (${config.slippageThresholdBps}), got ${config.slippageCriticalBps}`,
      });
    }
  });
/** The `notifications` section, after defaults. */
export type NotificationsConfig = z.infer<typeof NotificationsConfigSchema>;
/** The `notifications` section as a user writes it. */
export type NotificationsConfigInput = z.input<typeof NotificationsConfigSchema>;
