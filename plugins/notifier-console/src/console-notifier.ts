import { inject, injectable, optional } from 'inversify';
import { NOTIFICATION_SEVERITIES, type Notification, type Notifier } from '@tranche/core';
import { ConsoleNotifierConfig } from './console-notifier-config.schema.js';

/** Where the console notifier writes: anything with a `write(text)` (a stream, a test buffer). */
export interface WritableText {
  write(text: string): unknown;
}

/** Token of the stream the console notifier writes to (default: the process's stderr). */
export const ConsoleNotifierStream = Symbol.for('tranche.notifier-console.stream');

const LABELS: Record<Notification['severity'], string> = { info: 'INFO', warning: 'WARN', critical: 'CRIT' };

/** Line breaks and other control characters would forge extra lines on a terminal: shown as one space. */
function oneLine(text: string): string {
  let result = '';
  let gap = false;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    if (control) gap = true;
    else {
      if (gap) result += ' ';
      gap = false;
      result += character;
    }
  }
  return result.trim();
}

/**
 * One readable line per notification: `2024-08-08T10:00:00.000Z WARN  Slippage +31.2 bps
 * on buy BTC/USDT (twap) — t1: average fill …`. The time is the notification's own (data
 * time in a backtest), never the wall clock. Writing to a terminal is this notifier's
 * purpose, so it writes to a stream, not through the logger.
 */
export function formatNotificationLine(notification: Notification, includeData = false): string {
  const time = Number.isFinite(notification.ts) ? new Date(notification.ts).toISOString() : String(notification.ts);
  const data = includeData && notification.data !== undefined ? ` ${oneLine(safeJson(notification.data))}` : '';
  return `${time} ${LABELS[notification.severity].padEnd(4)} ${oneLine(notification.title)} — ${oneLine(notification.message)}${data}\n`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '[data not serializable]';
  }
}

/** A `Notifier` that writes one line per notification of at least `minSeverity` to a stream (stderr by default). */
@injectable()
export class ConsoleNotifier implements Notifier {
  /** Notifier id (the key under `notifications.notifiers`). */
  readonly id = 'console';
  private readonly minRank: number;
  private readonly stream: WritableText;
  private closed = false;

  constructor(
    @inject(ConsoleNotifierConfig) private readonly config: ConsoleNotifierConfig,
    @inject(ConsoleNotifierStream) @optional() stream?: WritableText,
  ) {
    this.minRank = NOTIFICATION_SEVERITIES.indexOf(config.minSeverity);
    this.stream = stream ?? (config.stream === 'stdout' ? process.stdout : process.stderr);
  }

  /** Writes the line; resolves when written, rejects when the stream throws. */
  notify(notification: Notification): Promise<void> {
    if (this.closed || NOTIFICATION_SEVERITIES.indexOf(notification.severity) < this.minRank) return Promise.resolve();
    try {
      this.stream.write(formatNotificationLine(notification, this.config.includeData));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Later notifications are not written (the stream itself is left open: it is not ours). */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
