import { Observable, Subject } from 'rxjs';
import type { Clock } from '../contracts/clock.js';
import type { Logger } from '../contracts/logger.js';
import type { BusMessage, MessageBus, PublishAck, PublishOptions, SubscribeOptions } from '../contracts/message-bus.js';
import { TrancheError } from '../errors/tranche-error.js';
import { NoopLogger } from '../util/noop-logger.js';
import { assertSubject, assertSubjectPattern, subjectMatches } from './subject-pattern.js';

/** The durable subjects of a default bus: execution events, replayable by monitors and the dashboard. */
export const DEFAULT_DURABLE_SUBJECTS: readonly string[] = ['exec.events.>'];

/** Options of `InProcessMessageBus`. */
export interface InProcessMessageBusOptions {
  /** Time of retention and of the duplicate window. */
  clock: Clock;
  /** Where dropped (invalid) messages are reported. */
  logger?: Logger;
  /** Patterns of the subjects that are stored and replayable (default `exec.events.>`). */
  durableSubjects?: readonly string[];
  /** Most stored messages over all durable subjects; the oldest go first (default 100 000). */
  maxStoredMessages?: number;
  /** Stored messages older than this are dropped, in ms (default: kept until `maxStoredMessages`). */
  maxAgeMs?: number;
  /** How long a `messageId` is remembered for de-duplication, in ms (default 2 minutes, as NATS JetStream). */
  duplicateWindowMs?: number;
}

interface StoredMessage {
  readonly subject: string;
  readonly message: unknown;
  readonly storedAt: number;
}

/**
 * The default `MessageBus`: one process, no server. Delivery is synchronous (a publish
 * reaches every matching subscriber before `publish` returns, except a publish made by a
 * subscriber while it handles a message: that one is delivered right after), which keeps
 * virtual-time runs deterministic. Durable subjects are kept in a bounded in-memory log (by count
 * and optionally age on the `Clock`) for replay, and de-duplicated by `messageId`
 * within a window; nothing survives the process.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly durableSubjects: readonly string[];
  private readonly maxStoredMessages: number;
  private readonly maxAgeMs: number;
  private readonly duplicateWindowMs: number;
  private readonly live = new Subject<BusMessage>();
  /** Ring of stored messages: `store[(head + i) % capacity]`, oldest first. */
  private readonly store: StoredMessage[] = [];
  private head = 0;
  private readonly recentIds = new Map<string, number>();
  private readonly pending: BusMessage[] = [];
  private delivering = false;
  private closed = false;

  constructor(options: InProcessMessageBusOptions) {
    this.clock = options.clock;
    this.logger = options.logger ?? new NoopLogger();
    this.durableSubjects = options.durableSubjects ?? DEFAULT_DURABLE_SUBJECTS;
    for (const pattern of this.durableSubjects) assertSubjectPattern(pattern, 'durableSubjects');
    this.maxStoredMessages = positiveOption(options.maxStoredMessages, 100_000, 'maxStoredMessages');
    this.maxAgeMs = positiveOption(options.maxAgeMs, Number.POSITIVE_INFINITY, 'maxAgeMs');
    this.duplicateWindowMs = positiveOption(options.duplicateWindowMs, 120_000, 'duplicateWindowMs');
  }

  isDurable(subject: string): boolean {
    return this.durableSubjects.some((pattern) => subjectMatches(pattern, subject));
  }

  async publish(subject: string, message: unknown, options: PublishOptions = {}): Promise<PublishAck> {
    if (this.closed) throw new TrancheError('internal', `message bus closed: cannot publish on ${subject}`, { retryable: false });
    assertSubject(subject);
    let stored = false;
    if (this.isDurable(subject)) {
      const now = this.clock.now();
      if (options.messageId !== undefined) {
        this.forgetOldIds(now);
        if (this.recentIds.has(options.messageId)) return { duplicate: true, stored: true };
        this.recentIds.set(options.messageId, now);
      }
      this.append({ subject, message, storedAt: now });
      stored = true;
    }
    this.pending.push({ subject, message });
    if (!this.delivering) this.drain();
    return { duplicate: false, stored };
  }

  subscribe<T = unknown>(pattern: string, options: SubscribeOptions<T> = {}): Observable<BusMessage<T>> {
    assertSubjectPattern(pattern);
    return new Observable<BusMessage<T>>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      const deliver = (entry: BusMessage): void => {
        if (!subjectMatches(pattern, entry.subject)) return;
        if (!options.schema) {
          subscriber.next(entry as BusMessage<T>);
          return;
        }
        const parsed = options.schema.safeParse(entry.message);
        if (parsed.success) subscriber.next({ subject: entry.subject, message: parsed.data });
        else this.logger.warn('bus: dropped a message that fails its subscription schema', { subject: entry.subject, pattern, issues: parsed.error.issues.slice(0, 3) });
      };
      // Live messages that arrive while the history is being replayed (a subscriber that
      // publishes in reaction) wait behind it, so the order stays the publish order.
      let backlog: BusMessage[] | undefined = options.replay ? [] : undefined;
      const subscription = this.live.subscribe({
        next: (entry) => (backlog ? backlog.push(entry) : deliver(entry)),
        complete: () => subscriber.complete(),
      });
      if (backlog) {
        for (const stored of this.retained()) {
          if (subscriber.closed) break;
          deliver(stored);
        }
        while (backlog.length > 0 && !subscriber.closed) deliver(backlog.shift()!);
        backlog = undefined;
      }
      return subscription;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.live.complete();
    this.store.length = 0;
    this.recentIds.clear();
  }

  /** Number of stored (replayable) messages. */
  get storedCount(): number {
    this.expireOld(this.clock.now());
    return this.store.length;
  }

  /**
   * Delivers queued messages one at a time: a subscriber that publishes in reaction to a
   * message queues its message behind the current one, so every subscriber sees the
   * publish order.
   */
  private drain(): void {
    this.delivering = true;
    try {
      for (let index = 0; index < this.pending.length; index++) this.live.next(this.pending[index]!);
    } finally {
      this.pending.length = 0;
      this.delivering = false;
    }
  }

  private append(entry: StoredMessage): void {
    this.expireOld(entry.storedAt);
    if (this.store.length < this.maxStoredMessages) {
      this.store.push(entry);
      return;
    }
    this.store[this.head] = entry;
    this.head = (this.head + 1) % this.maxStoredMessages;
  }

  /** Stored messages, oldest first, after dropping those past `maxAgeMs`. */
  private *retained(): Generator<StoredMessage> {
    this.expireOld(this.clock.now());
    const size = this.store.length;
    const snapshot: StoredMessage[] = [];
    for (let index = 0; index < size; index++) snapshot.push(this.store[(this.head + index) % size]!);
    yield* snapshot;
  }

  private expireOld(now: number): void {
    if (!Number.isFinite(this.maxAgeMs) || this.store.length === 0) return;
    const size = this.store.length;
    let drop = 0;
    while (drop < size && now - this.store[(this.head + drop) % size]!.storedAt > this.maxAgeMs) drop++;
    if (drop === 0) return;
    // Re-linearize what is left (rare: only when messages age out).
    const kept: StoredMessage[] = [];
    for (let index = drop; index < size; index++) kept.push(this.store[(this.head + index) % size]!);
    this.store.length = 0;
    for (const entry of kept) this.store.push(entry);
    this.head = 0;
  }

  private forgetOldIds(now: number): void {
    for (const [id, at] of this.recentIds) {
      if (now - at < this.duplicateWindowMs) break;
      this.recentIds.delete(id);
    }
  }
}

function positiveOption(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new TrancheError('validation', `invalid ${field} ${String(value)}: must be positive`, { field, retryable: false });
  return value;
}
