import { inject, injectable } from 'inversify';
import { Observable, firstValueFrom, timer, type Subscription } from 'rxjs';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { Clock, TrancheError, assertIdToken, type Logger, type WorkDelivery, type WorkQueue } from '@tranche/core';
import { BusNatsConfig } from './bus-nats-config.schema.js';
import { ConnectionUse, NatsConnection, type NatsHandles } from './nats-connection.js';
import { toTrancheError } from './nats-errors.js';
import { ensureStream, msToNanos, publishDurably } from './nats-streams.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** How long one pull request waits on the server for jobs before it is renewed, ms. */
const PULL_EXPIRES_MS = 5_000;

/**
 * `WorkQueue` on a JetStream work-queue stream (`TRANCHE_ORDERS`, subjects
 * `orders.<id>`, file storage): `enqueue` publishes with `Nats-Msg-Id = id`, so a
 * retried submit within the duplicate window is stored once; every worker pulls from one
 * durable consumer (`tranche-workers`, explicit acks, `ack_wait`, `max_ack_pending`), so
 * each order goes to one worker at a time and comes back to another when its worker
 * neither acks nor reports progress (`inProgress` = `+WPI`) within the ack wait.
 * `maxInFlight` is enforced per `consume()`: it pulls only as many jobs as it has free
 * slots (a slot frees on ack / nak, or when its ack wait runs out, as the server then
 * redelivers the job elsewhere).
 */
@injectable()
export class NatsWorkQueue implements WorkQueue {
  readonly ackWaitMs: number;
  private readonly log: Logger;
  private consumerReady?: Promise<void>;
  private readonly consumers = new Set<() => void>();
  private readonly use: ConnectionUse<NatsHandles>;

  constructor(
    @inject(NatsConnection) private readonly connection: NatsConnection,
    @inject(BusNatsConfig) private readonly config: BusNatsConfig,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.ackWaitMs = config.orders.ackWaitMs;
    this.log = connection.logger;
    this.use = new ConnectionUse(connection, 'work queue', (handles) => this.setUp(handles), `create or update stream ${config.orders.stream}`);
  }

  /**
   * Connects and creates or updates the stream. The shared durable consumer (its ack wait
   * and `max_ack_pending`) is created or updated by the first `consume()` only, so a
   * process that only enqueues (`tranche submit`) never changes the workers' settings.
   */
  async initialize(): Promise<void> {
    await this.ready();
  }

  async enqueue(id: string, payload: unknown): Promise<{ duplicate: boolean }> {
    if (this.closed) throw new TrancheError('internal', `work queue closed: cannot enqueue ${id}`, { retryable: false });
    assertIdToken(id, 'id');
    let text: string | undefined;
    try {
      text = JSON.stringify(payload ?? null);
    } catch (error) {
      throw new TrancheError('validation', `invalid payload of job ${id}: not JSON-serializable (${(error as Error).message})`, { field: 'payload', retryable: false });
    }
    const { jetstream } = await this.ready();
    const ack = await publishDurably({
      jetstream,
      subject: `${this.config.orders.subjectPrefix}.${id}`,
      data: encoder.encode(text),
      messageId: id,
      deadlineMs: this.config.requestTimeoutMs,
      scheduler: this.clock.scheduler,
      operation: `enqueue ${id} on stream ${this.config.orders.stream}`,
    });
    return { duplicate: ack.duplicate };
  }

  consume<T = unknown>(options: { maxInFlight: number }): Observable<WorkDelivery<T>> {
    if (!Number.isInteger(options?.maxInFlight) || options.maxInFlight < 1) {
      throw new TrancheError('validation', `invalid maxInFlight ${String(options?.maxInFlight)}: a positive integer`, { field: 'maxInFlight', retryable: false });
    }
    const maxInFlight = options.maxInFlight;
    return new Observable<WorkDelivery<T>>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return undefined;
      }
      let stopped = false;
      let inFlight = 0;
      let wake: (() => void) | undefined;
      const signal = (): void => {
        const waiting = wake;
        wake = undefined;
        waiting?.();
      };
      let stopFetch: (() => void) | undefined;
      const stop = (): void => {
        stopped = true;
        stopFetch?.();
        signal();
      };
      const complete = (): void => {
        stop();
        subscriber.complete();
      };
      this.consumers.add(complete);

      const deliver = (msg: JsMsg): void => {
        const id = msg.subject.slice(this.config.orders.subjectPrefix.length + 1);
        let payload: unknown;
        try {
          payload = JSON.parse(decoder.decode(msg.data));
        } catch {
          // A job nobody can read would come back for ever: terminate it, loudly.
          this.log.error('bus-nats: terminated a queued job that is not JSON', { id, stream: this.config.orders.stream, sequence: msg.seq });
          msg.term('not JSON');
          return;
        }
        inFlight++;
        let settled = false;
        let expiry: Subscription | undefined;
        const free = (): void => {
          if (settled) return;
          settled = true;
          expiry?.unsubscribe();
          inFlight--;
          signal();
        };
        // When the ack wait runs out the server redelivers the job elsewhere: the slot is free again.
        const armExpiry = (): void => {
          expiry?.unsubscribe();
          expiry = timer(this.ackWaitMs, this.clock.scheduler).subscribe(free);
        };
        armExpiry();
        const delivery: WorkDelivery<T> = {
          id,
          payload: payload as T,
          deliveryCount: msg.info.deliveryCount,
          ack: async () => {
            try {
              await msg.ackAck({ timeout: this.config.requestTimeoutMs });
            } catch (error) {
              throw toTrancheError(error, `ack job ${id}`);
            } finally {
              free();
            }
          },
          nak: async (delayMs?: number) => {
            if (settled) return;
            msg.nak(delayMs !== undefined && delayMs > 0 ? delayMs : undefined);
            free();
          },
          inProgress: async () => {
            if (settled) return;
            msg.working();
            armExpiry();
          },
        };
        subscriber.next(delivery);
      };

      void (async () => {
        let consumer: Consumer | undefined;
        let failures = 0;
        while (!stopped) {
          if (inFlight >= maxInFlight) {
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          try {
            const { jetstream } = await this.ready();
            await this.ensureConsumer();
            consumer ??= await jetstream.consumers.get(this.config.orders.stream, this.config.orders.consumer);
            const batch = await consumer.fetch({ max_messages: maxInFlight - inFlight, expires: PULL_EXPIRES_MS });
            stopFetch = () => void batch.close().catch(() => undefined);
            for await (const msg of batch) {
              if (stopped) {
                // Pulled after the consumer went away: give it straight back.
                msg.nak();
                continue;
              }
              deliver(msg);
            }
            stopFetch = undefined;
            failures = 0;
          } catch (error) {
            if (stopped) break;
            failures++;
            consumer = undefined;
            const backoffMs = Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
            this.log.warn('bus-nats: pulling orders failed, retrying', { error: (error as Error).message, backoffMs, failures });
            await firstValueFrom(timer(backoffMs, this.clock.scheduler));
          }
        }
      })();

      return () => {
        this.consumers.delete(complete);
        stop();
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.use.close();
    for (const complete of [...this.consumers]) complete();
    this.consumers.clear();
    await closing;
  }

  private get closed(): boolean {
    return this.use.closed;
  }

  private ready(): Promise<NatsHandles> {
    return this.use.ready();
  }

  private async setUp(handles: NatsHandles): Promise<NatsHandles> {
    const orders = this.config.orders;
    await ensureStream(
      handles.manager,
      {
        name: orders.stream,
        subjects: [`${orders.subjectPrefix}.>`],
        storage: StorageType.File,
        retention: RetentionPolicy.Workqueue,
        discard: DiscardPolicy.Old,
        duplicate_window: msToNanos(orders.duplicateWindowMs),
        num_replicas: 1,
      },
      this.log,
    );
    return handles;
  }

  /** Creates the shared durable consumer, or updates its ack wait and `max_ack_pending` to this worker's; once per queue. */
  private ensureConsumer(): Promise<void> {
    this.consumerReady ??= this.createOrUpdateConsumer().catch((error: unknown) => {
      this.consumerReady = undefined;
      throw error;
    });
    return this.consumerReady;
  }

  private async createOrUpdateConsumer(): Promise<void> {
    const { manager } = await this.ready();
    const orders = this.config.orders;
    const consumer = {
      durable_name: orders.consumer,
      ack_policy: AckPolicy.Explicit,
      ack_wait: msToNanos(orders.ackWaitMs),
      max_ack_pending: orders.maxAckPending,
      deliver_policy: DeliverPolicy.All,
      max_deliver: -1,
    };
    try {
      try {
        await manager.consumers.info(orders.stream, orders.consumer);
        await manager.consumers.update(orders.stream, orders.consumer, { ack_wait: consumer.ack_wait, max_ack_pending: consumer.max_ack_pending });
      } catch (error) {
        if (!/not found/i.test((error as Error).message)) throw error;
        await manager.consumers.add(orders.stream, consumer);
      }
    } catch (error) {
      throw toTrancheError(error, `create or update consumer ${orders.consumer} of stream ${orders.stream}`);
    }
  }
}
