import { LiveClock, TrancheError, type Clock, type Logger } from '@tranche/core';
import { NatsUrlSchema } from '../cluster/cluster-flags.schema.js';
import { connectCluster } from '../cluster/connect-cluster.js';
import type { ClusterTransport } from '../cluster/cluster-transport.js';
import { stopRequested } from '../kill-signals.js';
import type { RunnerIo } from '../run-execution.js';
import { BusFeed } from './bus-feed.js';
import { checkBindSecurity } from './dashboard-auth.js';
import { DashboardServer } from './dashboard-server.js';

/** Flags of `tranche serve` that compose a venue in this process: meaningless with `--nats` (the workers own the venue). */
export const SERVE_FLAGS_REFUSED_WITH_NATS = ['config', 'data', 'speed', 'venue', 'exchange', 'baseUrl', 'wsUrl', 'symbols', 'metricsPort'] as const;

/** Options of `runServeOnBus`. */
export interface ServeOnBusOptions {
  /** NATS server URL(s), comma-separated. */
  readonly url: string;
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
  readonly io: RunnerIo;
  readonly logger: Logger;
  /** Stops the server when aborted (besides SIGINT / SIGTERM). */
  readonly signal?: AbortSignal;
  /** Called with the page's URL once the server listens. */
  readonly onListening?: (url: string) => void;
  /** The live clock (default a `LiveClock`). */
  readonly clock?: Clock;
  readonly heartbeatMs?: number;
  readonly marketIntervalMs?: number;
  readonly metricsIntervalMs?: number;
  /** Cancel and kill-switch answer wait, ms (see `BusFeedOptions.ackTimeoutMs`). */
  readonly ackTimeoutMs?: number;
  /** Use this transport instead of connecting (tests); it is not closed here. */
  readonly transport?: ClusterTransport;
}

/**
 * Refuses the flags that compose a venue when `--nats` is given: one validation error
 * naming every offending flag.
 */
export function refuseVenueFlagsWithNats(flags: Record<string, unknown>): void {
  const given = SERVE_FLAGS_REFUSED_WITH_NATS.filter((name) => flags[name] !== undefined);
  if (given.length === 0) return;
  const names = given.map((name) => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
  throw new TrancheError('validation', `invalid ${names[0]}: ${names.join(', ')} cannot be given with --nats (the dashboard then reads the cluster's bus; the workers and the gateway own the venue and its data)`, {
    field: names[0]!,
    retryable: false,
  });
}

/** Parses `--nats [url]`: `true` (the flag alone) is the default URL. */
export function parseServeNatsUrl(value: string): string {
  const parsed = NatsUrlSchema.safeParse(value);
  if (!parsed.success) throw new TrancheError('validation', `invalid --nats: ${parsed.error.issues[0]?.message ?? 'not a NATS URL'}, got ${JSON.stringify(value)}`, { field: '--nats', retryable: false });
  return parsed.data;
}

/**
 * `tranche serve --nats`: the dashboard over a cluster's bus (`BusFeed`): no app is
 * composed here. Serves until SIGINT / SIGTERM or `signal`; stopping the dashboard stops
 * nothing in the cluster (the kill switch is the page's button, or `control.kill`), so the
 * process is not recorded for `tranche kill` (which engages an in-process kill switch).
 */
export async function runServeOnBus(options: ServeOnBusOptions): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  checkBindSecurity(host, options.token);
  const clock = options.clock ?? new LiveClock();
  const transport = options.transport ?? (await connectCluster({ url: options.url, logger: options.logger }));
  const feed = new BusFeed({
    transport,
    clock,
    logger: options.logger,
    label: `cluster on ${options.url}`,
    ...(options.ackTimeoutMs === undefined ? {} : { ackTimeoutMs: options.ackTimeoutMs }),
  });
  let server: DashboardServer | undefined;
  try {
    await transport.queue.initialize?.();
    feed.start();
    server = new DashboardServer({
      feed,
      host,
      port: options.port ?? 8787,
      clock,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.marketIntervalMs === undefined ? {} : { marketIntervalMs: options.marketIntervalMs }),
      ...(options.metricsIntervalMs === undefined ? {} : { metricsIntervalMs: options.metricsIntervalMs }),
    });
    const url = await server.listen();
    options.io.stdout.write(`Tranche dashboard: ${url}${options.token === undefined ? '' : '  (open it with ?token=<your token>)'}\n`);
    options.io.stderr.write(`serving the cluster on ${options.url}: executions from exec.events.>, markets from md.* and state.*; orders go to the work queue; Ctrl-C stops the dashboard only\n`);
    options.onListening?.(url);
    await stopRequested(options.signal);
  } finally {
    await server?.close();
    feed.close();
    if (options.transport === undefined) await transport.close();
  }
}

