import { Option, type Command } from 'commander';
import { LiveClock, TrancheError, type Clock, type Logger } from '@tranche/core';
import { parseSpeed } from '../cli/parse-args.js';
import { composeRunner, type ComposeOptions } from '../compose.js';
import { installKillSignals, stopRequested } from '../kill-signals.js';
import type { RunnerIo } from '../run-execution.js';
import { registerRunner } from '../runner-registry.js';
import { LOG_LEVELS, StderrLogger, type LogLevel } from '../stderr-logger.js';
import { parseMetricsPort } from '../metrics-port.js';
import { DASHBOARD_TOKEN_ENV, checkBindSecurity } from './dashboard-auth.js';
import { DashboardServer } from './dashboard-server.js';
import { InProcessDashboardFeed } from './in-process-feed.js';
import { DEFAULT_NATS_URL } from '../cluster/cluster-subjects.js';
import { parseServeNatsUrl, refuseVenueFlagsWithNats, runServeOnBus } from './bus-feed-serve.js';

/** Default port of `tranche serve`. */
export const DEFAULT_DASHBOARD_PORT = 8787;
/** Default replay speed of `tranche serve` on the paper venue: fast enough to watch a 5-minute TWAP in 30 s. */
export const DEFAULT_SERVE_SPEED = 10;

/** Options of `runServe`. */
export interface ServeOptions extends Omit<ComposeOptions, 'logger'> {
  host?: string;
  port?: number;
  /** Required on every request when set; required for a non-loopback host. */
  token?: string;
  io: RunnerIo;
  logger: Logger;
  /** Stops the server when aborted (besides SIGINT / SIGTERM). */
  signal?: AbortSignal;
  /** Called with the page's URL once the server listens. */
  onListening?: (url: string) => void;
  /** The wall clock of the SSE heartbeat and market-update rate (default a `LiveClock`). */
  clock?: Clock;
  /** SSE heartbeat period, ms. */
  heartbeatMs?: number;
  /** Market updates per symbol at most once per this period, ms. */
  marketIntervalMs?: number;
  /** Metrics sent once per this period, ms. */
  metricsIntervalMs?: number;
  /** Record this process for `tranche kill` (default true). */
  register?: boolean;
}

/**
 * Runs `tranche serve`: composes the runner like `execute` (replay of recorded data at
 * `speed`, default `DEFAULT_SERVE_SPEED`, on the paper venue), initializes it and serves
 * the dashboard until SIGINT / SIGTERM or `signal`. The first signal engages the kill
 * switch (every working order cancelled) before the server stops; a second quits at
 * once. Refuses a non-loopback host without a token (validation error, exit 2).
 */
export async function runServe(options: ServeOptions): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  checkBindSecurity(host, options.token);
  const venue = options.venue ?? 'paper';
  // A dashboard over a replay at max speed would show only finished executions: real-time factor unless --speed says otherwise.
  const speed = options.speed ?? (venue === 'paper' ? DEFAULT_SERVE_SPEED : undefined);
  const tranche = await composeRunner({ ...options, ...(speed === undefined ? {} : { speed }) });
  const releaseSignals = installKillSignals(tranche, options.io);
  let unregister = (): void => undefined;
  let feed: InProcessDashboardFeed | undefined;
  let server: DashboardServer | undefined;
  try {
    await tranche.manager.initialize();
    feed = new InProcessDashboardFeed(tranche);
    server = new DashboardServer({
      feed,
      host,
      port: options.port ?? DEFAULT_DASHBOARD_PORT,
      clock: options.clock ?? new LiveClock(),
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.marketIntervalMs === undefined ? {} : { marketIntervalMs: options.marketIntervalMs }),
      ...(options.metricsIntervalMs === undefined ? {} : { metricsIntervalMs: options.metricsIntervalMs }),
    });
    const url = await server.listen();
    if (options.register !== false) unregister = registerRunner({ argv: process.argv.slice(2) });
    options.io.stdout.write(`Tranche dashboard: ${url}${options.token === undefined ? '' : '  (open it with ?token=<your token>)'}\n`);
    options.io.stderr.write(`serving ${venue === 'paper' ? `the paper venue on recorded data at ${String(speed ?? 'the configured speed')}x` : `the ${venue} venue`}; Ctrl-C engages the kill switch and stops\n`);
    options.onListening?.(url);
    await stopRequested(options.signal);
  } finally {
    // A signal engaged the kill switch: wait for every execution to be terminal before closing.
    await releaseSignals();
    await server?.close();
    unregister();
    const running = feed?.runningExecutions() ?? [];
    feed?.close();
    await tranche.close();
    await Promise.allSettled(running);
  }
}


/** Parses `--port`: an integer from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TrancheError('validation', `invalid --port: must be an integer from 0 to 65535, got ${JSON.stringify(value)}`, { field: '--port', retryable: false });
  }
  return port;
}

interface ServeFlags {
  port?: number;
  host?: string;
  token?: string;
  config?: string;
  data?: string;
  speed?: 'max' | number;
  venue?: string;
  exchange?: string;
  baseUrl?: string;
  wsUrl?: string;
  symbols?: string;
  verbose?: boolean;
  logLevel?: LogLevel;
  metricsPort?: number;
  nats?: string | true;
}

/** Registers `tranche serve`: the live web dashboard. */
export function registerServeCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('serve')
    .description('the live web dashboard: executions, markets, quality, history; submit, cancel, kill switch')
    .option('--port <n>', `port (default ${DEFAULT_DASHBOARD_PORT}; 0 picks a free one)`, parsePort)
    .option('--host <address>', 'bind address (default 127.0.0.1; any other needs a token)')
    .option('--token <token>', `required on every request (Authorization: Bearer, or ?token= on the page URL); default $${DASHBOARD_TOKEN_ENV}`)
    .option('--config <file>', 'config file (JSON or YAML)')
    .option('--data <dir>', 'recorded market data directory for the replay (default: the bundled captures)')
    .option('--speed <n|max>', `replay speed, a factor of real time (default ${DEFAULT_SERVE_SPEED})`, parseSpeed)
    .option('--venue <id>', 'venue: paper (default) or ccxt')
    .option('--exchange <id>', 'ccxt exchange id (venue ccxt)')
    .option('--base-url <url>', 'REST base URL of the exchange (venue ccxt)')
    .option('--ws-url <url>', 'websocket base URL of the exchange (venue ccxt)')
    .option('--symbols <list>', 'comma-separated symbols a live venue streams when the config names none')
    .option('--verbose', 'debug logs and stack traces')
    .addOption(new Option('--log-level <level>', 'library log level').choices([...LOG_LEVELS]))
    .option('--metrics-port <n>', 'also expose Prometheus metrics on http://127.0.0.1:<n>/metrics (0 picks a free port)', parseMetricsPort)
    .option('--nats [url]', `read a cluster's NATS bus instead of running a venue here (tranche worker / gateway); default ${DEFAULT_NATS_URL}`)
    .action(async (flags: ServeFlags) => {
      setVerbose(flags.verbose ?? false);
      const token = flags.token ?? (process.env[DASHBOARD_TOKEN_ENV] || undefined);
      if (flags.nats !== undefined) {
        refuseVenueFlagsWithNats(flags as unknown as Record<string, unknown>);
        await runServeOnBus({
          url: parseServeNatsUrl(flags.nats === true ? DEFAULT_NATS_URL : flags.nats),
          io,
          logger: new StderrLogger(flags.logLevel ?? (flags.verbose ? 'debug' : 'warn')),
          ...(flags.host === undefined ? {} : { host: flags.host }),
          ...(flags.port === undefined ? {} : { port: flags.port }),
          ...(token === undefined ? {} : { token }),
        });
        return;
      }
      const symbols = flags.symbols?.split(',').map((symbol) => symbol.trim()).filter((symbol) => symbol !== '');
      await runServe({
        io,
        logger: new StderrLogger(flags.logLevel ?? (flags.verbose ? 'debug' : 'warn')),
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.port === undefined ? {} : { port: flags.port }),
        ...(flags.metricsPort === undefined ? {} : { metricsPort: flags.metricsPort }),
        ...(token === undefined ? {} : { token }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
        ...(flags.data === undefined ? {} : { data: flags.data }),
        ...(flags.speed === undefined ? {} : { speed: flags.speed }),
        ...(flags.venue === undefined ? {} : { venue: flags.venue }),
        ...(symbols === undefined || symbols.length === 0 ? {} : { symbols }),
        ...(flags.exchange === undefined && flags.baseUrl === undefined && flags.wsUrl === undefined ? {} : { ccxt: { exchange: flags.exchange, baseUrl: flags.baseUrl, wsUrl: flags.wsUrl } }),
      });
    });
}
