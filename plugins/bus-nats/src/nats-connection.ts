import { inject, injectable } from 'inversify';
import { connect, type NatsConnection as NatsClient } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Logger, TrancheError } from '@tranche/core';
import { BusNatsConfig } from './bus-nats-config.schema.js';
import { toTrancheError } from './nats-errors.js';

/** What the NATS components share: the client, JetStream's client and manager. */
export interface NatsHandles {
  readonly client: NatsClient;
  readonly jetstream: JetStreamClient;
  readonly manager: JetStreamManager;
}

/**
 * The one NATS connection of a container, shared by `NatsMessageBus`, `NatsWorkQueue`,
 * `NatsLeaseStore` and `NatsExecutionJournal`. `open()` connects on first use (with
 * reconnection for ever by default, status changes logged through the core `Logger`)
 * and counts its users; the last `release()` drains the connection (pending publishes
 * flushed, subscriptions ended) and closes it.
 */
@injectable()
export class NatsConnection {
  private readonly log: Logger;
  private connecting?: Promise<NatsHandles>;
  private users = 0;
  private closing?: Promise<void>;

  constructor(
    @inject(BusNatsConfig) readonly config: BusNatsConfig,
    @inject(Logger) logger: Logger,
  ) {
    this.log = logger.child({ component: 'bus-nats' });
  }

  /** The plugin's logger. */
  get logger(): Logger {
    return this.log;
  }

  /** Connects (once; concurrent callers share the attempt) and counts one more user. */
  async open(): Promise<NatsHandles> {
    if (this.closing) throw new TrancheError('internal', 'the NATS connection is closed', { retryable: false });
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    const handles = await this.connecting;
    this.users++;
    return handles;
  }

  /** One user less; the last one drains and closes the connection. */
  async release(): Promise<void> {
    if (this.users === 0) return;
    this.users--;
    if (this.users > 0 || !this.connecting) return;
    this.closing ??= this.connecting.then(
      async ({ client }) => {
        if (client.isClosed()) return;
        try {
          await client.drain();
        } catch (error) {
          // Draining needs the server; when it is gone, close without it (nothing more can be flushed).
          this.log.warn('bus-nats: drain failed, closing', { error: (error as Error).message });
          await client.close();
        }
      },
      () => undefined,
    );
    await this.closing;
  }

  private async connect(): Promise<NatsHandles> {
    const servers = this.config.url.split(',').map((server) => server.trim());
    let client: NatsClient;
    try {
      client = await connect({
        servers,
        name: this.config.name,
        reconnect: true,
        maxReconnectAttempts: this.config.maxReconnectAttempts,
        reconnectTimeWait: this.config.reconnectWaitMs,
        timeout: this.config.requestTimeoutMs,
        pingInterval: 10_000,
      });
    } catch (error) {
      throw toTrancheError(error, `connect to NATS at ${servers.join(', ')}`);
    }
    this.log.info('bus-nats: connected', { server: client.getServer(), version: client.info?.version, name: this.config.name });
    void this.watchStatus(client);
    try {
      const manager = await jetstreamManager(client, { timeout: this.config.requestTimeoutMs });
      return { client, jetstream: jetstream(client, { timeout: this.config.requestTimeoutMs }), manager };
    } catch (error) {
      await client.close();
      throw toTrancheError(error, `enable JetStream on ${servers.join(', ')} (start nats-server with -js)`);
    }
  }

  private async watchStatus(client: NatsClient): Promise<void> {
    try {
      for await (const status of client.status()) {
        switch (status.type) {
          case 'disconnect':
            this.log.warn('bus-nats: disconnected', { server: status.server });
            break;
          case 'reconnect':
            this.log.info('bus-nats: reconnected', { server: status.server });
            break;
          case 'error':
            this.log.error('bus-nats: server error', { error: status.error.message });
            break;
          case 'ldm':
            this.log.warn('bus-nats: server entering lame-duck mode', { server: status.server });
            break;
          case 'slowConsumer':
            this.log.warn('bus-nats: slow consumer, messages dropped', { subject: status.sub.getSubject(), pending: status.pending });
            break;
          case 'staleConnection':
            this.log.warn('bus-nats: stale connection');
            break;
          case 'close':
            this.log.info('bus-nats: connection closed');
            break;
          default:
            this.log.debug(`bus-nats: ${status.type}`);
        }
      }
    } catch (error) {
      this.log.error('bus-nats: status monitor ended', { error: (error as Error).message });
    }
    const closedWith = await client.closed();
    if (closedWith instanceof Error) this.log.error('bus-nats: connection closed with an error', { error: closedWith.message });
  }
}

/**
 * One component's use of the shared `NatsConnection`: the first `ready()` opens the
 * connection and runs the component's set-up (streams, buckets) once, concurrent callers
 * sharing the attempt; a failed start releases the connection and is tried again on the
 * next call; `close()` refuses further use and releases the connection if it was taken.
 */
export class ConnectionUse<T> {
  private starting?: Promise<T>;
  private isClosed = false;

  /**
   * @param component what the component is called in errors (`message bus`, `journal`, …)
   * @param setUp creates what the component needs on the server
   * @param failure what the set-up does, for its error message
   */
  constructor(
    private readonly connection: NatsConnection,
    private readonly component: string,
    private readonly setUp: (handles: NatsHandles) => Promise<T>,
    private readonly failure: string,
  ) {}

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The set-up's result, starting it on first use. */
  ready(): Promise<T> {
    if (this.isClosed) return Promise.reject(new TrancheError('internal', `${this.component} closed`, { retryable: false }));
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  /** Refuses further use and releases the connection if a start succeeded. Idempotent. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.starting) {
      const started = await this.starting.then(() => true, () => false);
      if (started) await this.connection.release();
    }
  }

  private async start(): Promise<T> {
    const handles = await this.connection.open();
    try {
      return await this.setUp(handles);
    } catch (error) {
      await this.connection.release();
      throw toTrancheError(error, this.failure);
    }
  }
}
