import { NoopLogger, type Logger } from '@tranche/core';
import { startNatsServer, type NatsServerHandle } from '@tranche/testkit';
import { firstValueFrom, timer } from 'rxjs';
import { BusNatsConfigSchema, type BusNatsConfig, type BusNatsConfigInput } from '../src/bus-nats-config.schema.js';
import { NatsConnection } from '../src/nats-connection.js';

/** One server per spec file, started on first use. */
let shared: Promise<NatsServerHandle> | undefined;

/** The spec file's nats-server (started once; stopped by `stopSharedServer`). */
export function sharedServer(): Promise<NatsServerHandle> {
  shared ??= startNatsServer();
  return shared;
}

/** Stops the spec file's server, if one was started. */
export async function stopSharedServer(): Promise<void> {
  if (shared) await (await shared).stop();
  shared = undefined;
}

/** A parsed bus-nats config for `url` with overrides. */
export function natsConfig(url: string, overrides: BusNatsConfigInput = {}): BusNatsConfig {
  return BusNatsConfigSchema.parse({ ...overrides, url });
}

/** A connection as a separate process would have it. */
export function newConnection(config: BusNatsConfig, logger: Logger = new NoopLogger()): NatsConnection {
  return new NatsConnection(config, logger);
}

/** Real-time pause, ms. */
export function pause(ms: number): Promise<void> {
  return firstValueFrom(timer(ms)).then(() => undefined);
}
