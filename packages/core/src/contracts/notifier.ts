/** Something an operator should be told about. */
export interface Notification {
  /** Event name, e.g. `execution-completed`, `slippage-alert`, `kill-switch`. */
  event: string;
  severity: 'info' | 'warning' | 'critical';
  title: string;
  message: string;
  ts: number;
  executionId?: string;
  data?: Record<string, unknown>;
}

/** Options of one `Notifier.notify` call. */
export interface NotifyOptions {
  /** Aborted when the caller gives up on this delivery (its timeout passed, or it is closing): stop retrying. */
  readonly signal?: AbortSignal;
}

/**
 * A notification channel (console, webhook, …). Multi-bound; the core
 * `ExecutionNotifier` fans every notification out to each, on its own bounded queue.
 */
export interface Notifier {
  readonly id: string;
  /**
   * Delivers one notification. Never throws synchronously; resolves once delivered (or
   * filtered out by the notifier's own settings), rejects when delivery failed for good.
   */
  notify(notification: Notification, options?: NotifyOptions): Promise<void>;
  /** Releases what the notifier holds (pending retries, sockets); later `notify` calls resolve without sending. */
  close?(): Promise<void>;
}
/** Token of the `Notifier` contract. */
export const Notifier = Symbol.for('tranche.Notifier');
