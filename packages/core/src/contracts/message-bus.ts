import type { Observable } from 'rxjs';
import type { z } from 'zod';

/** One message received from the bus, with the concrete subject it was published on. */
export interface BusMessage<T = unknown> {
  readonly subject: string;
  readonly message: T;
}

/** Options of `MessageBus.publish`. */
export interface PublishOptions {
  /**
   * Id of this message for de-duplication on durable subjects: a retried publish with
   * the same id within the bus's duplicate window is stored once and resolves
   * `{ duplicate: true }`. Ignored on non-durable subjects (fire-and-forget fan-out).
   */
  readonly messageId?: string;
}

/** Outcome of a publish. */
export interface PublishAck {
  /** True when a durable subject already held a message with the same `messageId`. */
  readonly duplicate: boolean;
  /** True when the message was stored on a durable subject (replayable); false for fan-out only. */
  readonly stored: boolean;
}

/** Options of `MessageBus.subscribe`. */
export interface SubscribeOptions<T = unknown> {
  /**
   * Deliver the retained history of the durable subjects matching the pattern first, in
   * publish order, then live messages, with no gap and no duplicate between the two.
   * Non-durable subjects have no history: they are delivered live only.
   */
  readonly replay?: boolean;
  /**
   * Validates every message before delivery; a message that fails is dropped and
   * reported through the bus's logger (one publisher's bad message never ends the stream).
   */
  readonly schema?: z.ZodType<T>;
}

/**
 * Carries plain, serializable messages between components by subject
 * (`exec.events.<id>`, `md.<venue>.<symbol>.trades`, `state.<symbol>`). The default is
 * in-process (`InProcessMessageBus`, bound by `createTranche` unless a plugin binds
 * another); `@tranche/bus-nats` carries the same messages over NATS so the same
 * components run apart.
 *
 * Subjects matching the bus's durable patterns (by default `exec.events.>`) are stored
 * with a bound and can be replayed (`subscribe(pattern, { replay: true })`); other
 * subjects are fan-out only. Messages on one subject are delivered in publish order.
 * Messages must be JSON-serializable (a networked bus sends them as JSON).
 */
export interface MessageBus {
  /**
   * Publishes a message on a subject (no wildcards). For a durable subject the promise
   * resolves once the message is stored (acknowledged) and rejects with a `TrancheError`
   * when it cannot be: callers that must not lose a message await it. For fan-out
   * subjects it resolves once the message is handed to the transport. Rejects with a
   * validation `TrancheError` for a bad subject and an `internal` one after `close()`.
   */
  publish(subject: string, message: unknown, options?: PublishOptions): Promise<PublishAck>;
  /** Messages on subjects matching `pattern` (`*` one token, `>` the rest); see `SubscribeOptions`. */
  subscribe<T = unknown>(pattern: string, options?: SubscribeOptions<T>): Observable<BusMessage<T>>;
  /** True when messages on `subject` are stored and replayable. */
  isDurable(subject: string): boolean;
  /**
   * Connects and prepares storage (a networked bus); optional, as every method also
   * waits for it, but calling it first surfaces a connection failure at start-up.
   */
  initialize?(): Promise<void>;
  /** Completes every subscription and releases the transport. Idempotent. */
  close(): Promise<void>;
}
/** Token of the `MessageBus` contract. */
export const MessageBus = Symbol.for('tranche.MessageBus');
