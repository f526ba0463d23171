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

/** A notification channel (console, webhook, …). Multi-bound. */
export interface Notifier {
  readonly id: string;
  /** Delivers one notification; a failure must not throw into the engine. */
  notify(notification: Notification): Promise<void>;
}
/** Token of the `Notifier` contract. */
export const Notifier = Symbol.for('tranche.Notifier');
