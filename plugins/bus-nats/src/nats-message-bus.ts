import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { Observable, type Subscriber } from 'rxjs';
import { DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import type { Subscription as NatsSubscription } from '@nats-io/transport-node';
import {
  Clock,
  TrancheError,
  assertSubject,
  assertSubjectPattern,
  intersectSubjectPatterns,
  subjectMatches,
  type BusMessage,
  type Logger,
  type MessageBus,
  type PublishAck,
  type PublishOptions,
  type SubscribeOptions,
} from '@tranche/core';
import { BusNatsConfig } from './bus-nats-config.schema.js';
import { ConnectionUse, NatsConnection, type NatsHandles } from './nats-connection.js';
import { toTrancheError } from './nats-errors.js';
import { ensureStream, msToNanos, publishDurably } from './nats-streams.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * Lifetime of a replay consumer's pull request, ms. The client expects a heartbeat every
 * half of it and re-creates the ordered consumer (from the next sequence) when two are
 * missed, so it bounds how long a replaying subscriber stalls after a server restart.
 */
const REPLAY_PULL_EXPIRES_MS = 2_000;

/**
 * `MessageBus` over NATS. Fan-out subjects (`md.>`, `state.>`) use core NATS publish /
 * subscribe: at most once, no storage, lowest latency. Durable subjects
 * (`bus-nats.events.subjects`, default `exec.events.>`) go to the JetStream stream
 * `TRANCHE_EXEC_EVENTS` (file storage, limits by age and bytes): a publish resolves only
 * once the server has stored it, carries its `messageId` as `Nats-Msg-Id` so a retry is
 * de-duplicated (and the bus itself re-sends an unacknowledged publish with the same id
 * until `requestTimeoutMs`), and a `replay` subscription reads the stream through an ordered
 * consumer (history, then live). Messages are JSON.
 */
@injectable()
export class NatsMessageBus implements MessageBus {
  private readonly log: Logger;
  private readonly subscribers = new Set<Subscriber<BusMessage<never>>>();
  private readonly use: ConnectionUse<NatsHandles>;

  constructor(
    @inject(NatsConnection) private readonly connection: NatsConnection,
    @inject(BusNatsConfig) private readonly config: BusNatsConfig,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.log = connection.logger;
    this.use = new ConnectionUse(connection, 'message bus', (handles) => this.setUp(handles), `create or update stream ${config.events.stream}`);
    for (const pattern of config.events.subjects) assertSubjectPattern(pattern, 'bus-nats.events.subjects');
  }

  /** Connects and creates or updates the events stream. */
  async initialize(): Promise<void> {
    await this.ready();
  }

  isDurable(subject: string): boolean {
    return this.config.events.subjects.some((pattern) => subjectMatches(pattern, subject));
  }

  async publish(subject: string, message: unknown, options: PublishOptions = {}): Promise<PublishAck> {
    if (this.closed) throw new TrancheError('internal', `message bus closed: cannot publish on ${subject}`, { retryable: false });
    assertSubject(subject);
    const data = encode(message, subject);
    const { client, jetstream } = await this.ready();
    if (!this.isDurable(subject)) {
      try {
        client.publish(subject, data);
      } catch (error) {
        throw toTrancheError(error, `publish on ${subject}`);
      }
      return { duplicate: false, stored: false };
    }
    // Without an id of the caller's, one of ours still makes the internal retries safe.
    const messageId = options.messageId ?? randomUUID();
    const ack = await publishDurably({
      jetstream,
      subject,
      data,
      messageId,
      deadlineMs: this.config.requestTimeoutMs,
      scheduler: this.clock.scheduler,
      operation: `publish on ${subject} (message id ${messageId})`,
    });
    return { duplicate: ack.duplicate, stored: true };
  }

  subscribe<T = unknown>(pattern: string, options: SubscribeOptions<T> = {}): Observable<BusMessage<T>> {
    assertSubjectPattern(pattern);
    return new Observable<BusMessage<T>>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber as Subscriber<BusMessage<never>>);
      const stops: Array<() => void> = [];
      let ended = false;
      const deliver = (subject: string, data: Uint8Array): void => {
        if (subscriber.closed) return;
        let message: unknown;
        try {
          message = JSON.parse(decoder.decode(data));
        } catch {
          this.log.warn('bus-nats: dropped a message that is not JSON', { subject, pattern });
          return;
        }
        if (!options.schema) {
          subscriber.next({ subject, message: message as T });
          return;
        }
        const parsed = options.schema.safeParse(message);
        if (parsed.success) subscriber.next({ subject, message: parsed.data });
        else this.log.warn('bus-nats: dropped a message that fails its subscription schema', { subject, pattern, issues: parsed.error.issues.slice(0, 3) });
      };
      const fail = (error: unknown, what: string): void => {
        if (!ended && !subscriber.closed) subscriber.error(toTrancheError(error, what));
      };
      const durableParts = options.replay
        ? this.config.events.subjects.map((durable) => intersectSubjectPatterns(pattern, durable)).filter((part): part is string => part !== null)
        : [];
      void this.ready().then(
        ({ client, jetstream }) => {
          if (subscriber.closed) return;
          let subscription: NatsSubscription;
          try {
            // Durable subjects under a replay come from the stream below, so the live feed skips them.
            subscription = client.subscribe(pattern, {
              callback: (error, msg) => {
                if (error) fail(error, `subscription ${pattern}`);
                else if (durableParts.length === 0 || !this.isDurable(msg.subject)) deliver(msg.subject, msg.data);
              },
            });
          } catch (error) {
            fail(error, `subscribe ${pattern}`);
            return;
          }
          stops.push(() => subscription.unsubscribe());
          for (const filter of durableParts) {
            void (async () => {
              try {
                const consumer = await jetstream.consumers.get(this.config.events.stream, { filter_subjects: filter, deliver_policy: DeliverPolicy.All });
                const messages = await consumer.consume({ expires: REPLAY_PULL_EXPIRES_MS });
                if (subscriber.closed) {
                  await messages.close();
                  return;
                }
                stops.push(() => void messages.close().catch(() => undefined));
                for await (const msg of messages) deliver(msg.subject, msg.data);
              } catch (error) {
                fail(error, `replay of ${filter} from stream ${this.config.events.stream}`);
              }
            })();
          }
        },
        (error: unknown) => fail(error, `subscribe ${pattern}`),
      );
      return () => {
        ended = true;
        this.subscribers.delete(subscriber as Subscriber<BusMessage<never>>);
        for (const stop of stops) stop();
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.use.close();
    for (const subscriber of [...this.subscribers]) subscriber.complete();
    this.subscribers.clear();
    await closing;
  }

  private get closed(): boolean {
    return this.use.closed;
  }

  private ready(): Promise<NatsHandles> {
    return this.use.ready();
  }

  private async setUp(handles: NatsHandles): Promise<NatsHandles> {
    const events = this.config.events;
    const stream: Partial<StreamConfig> & { name: string } = {
      name: events.stream,
      subjects: [...events.subjects],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: msToNanos(events.maxAgeMs),
      max_bytes: events.maxBytes,
      duplicate_window: msToNanos(Math.min(events.duplicateWindowMs, events.maxAgeMs)),
      num_replicas: 1,
    };
    await ensureStream(handles.manager, stream, this.log);
    return handles;
  }
}

function encode(message: unknown, subject: string): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    throw new TrancheError('validation', `invalid message on ${subject}: not JSON-serializable (${(error as Error).message})`, { field: 'message', retryable: false });
  }
  if (text === undefined) throw new TrancheError('validation', `invalid message on ${subject}: not JSON-serializable (${typeof message})`, { field: 'message', retryable: false });
  return encoder.encode(text);
}
