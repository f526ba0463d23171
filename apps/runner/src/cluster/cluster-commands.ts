import { Option, type Command } from 'commander';
import { Subject } from 'rxjs';
import { LiveClock, type Logger } from '@tranche/core';
import { parseSpeed, readOrderArgument } from '../cli/parse-args.js';
import type { CcxtOverrides } from '../compose.js';
import type { RunnerIo } from '../run-execution.js';
import { LOG_LEVELS, StderrLogger, type LogLevel } from '../stderr-logger.js';
import { clusterJobOf } from './cluster-job-request.js';
import { GatewayFlagsSchema, SubmitFlagsSchema, WorkerFlagsSchema, parseFlags, type WorkerFlags } from './cluster-flags.schema.js';
import { DEFAULT_NATS_URL } from './cluster-subjects.js';
import { connectCluster } from './connect-cluster.js';
import { runClusterDemo } from './cluster-demo.js';
import type { JobJournal } from './run-cluster-job.js';
import { runGateway } from './run-gateway.js';
import { runWorker } from './run-worker.js';
import { submitOrder } from './submit-order.js';

interface VenueFlags {
  nats?: string;
  venue?: string;
  exchange?: string;
  baseUrl?: string;
  wsUrl?: string;
  config?: string;
  data?: string;
  json?: boolean;
  verbose?: boolean;
  logLevel?: LogLevel;
}

const natsOption = (): Option => new Option('--nats <url>', `NATS server URL, several comma-separated for a cluster (default ${DEFAULT_NATS_URL})`);

/** The options every command that composes a venue takes (as `tranche execute`). */
function venueOptions(command: Command): Command {
  return command
    .option('--venue <id>', 'venue: paper (default: the embedded paper exchange on recorded data) or ccxt')
    .option('--exchange <id>', 'ccxt exchange id, e.g. binance (venue ccxt)')
    .option('--base-url <url>', 'REST base URL of the exchange (venue ccxt)')
    .option('--ws-url <url>', 'websocket base URL of the exchange (venue ccxt)')
    .option('--config <file>', 'config file (JSON or YAML)')
    .option('--data <dir>', 'recorded market data directory of the paper venue (default: the bundled captures)');
}

function logging(command: Command): Command {
  return command.option('--verbose', 'debug logs and stack traces').addOption(new Option('--log-level <level>', 'library log level').choices([...LOG_LEVELS]));
}

function loggerOf(flags: VenueFlags): Logger {
  return new StderrLogger(flags.logLevel ?? (flags.verbose ? 'debug' : 'warn'));
}

function ccxtOf(flags: VenueFlags): CcxtOverrides | undefined {
  return flags.exchange === undefined && flags.baseUrl === undefined && flags.wsUrl === undefined ? undefined : { exchange: flags.exchange, baseUrl: flags.baseUrl, wsUrl: flags.wsUrl };
}

function venueSettings(flags: VenueFlags) {
  const ccxt = ccxtOf(flags);
  return {
    ...(flags.venue === undefined ? {} : { venue: flags.venue }),
    ...(ccxt === undefined ? {} : { ccxt }),
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.data === undefined ? {} : { data: flags.data }),
  };
}

/**
 * The worker's journal: the one its flags name; else, for a real venue, the JetStream
 * journal (a worker on another machine that takes an order over must find its journal,
 * or it would start the order again under the same client ids); for the paper venue, the
 * default directory of SQLite files (each replay is local and deterministic).
 */
function journalOf(flags: WorkerFlags, venue: string | undefined): JobJournal | undefined {
  if (flags.journalNats) return { kind: 'nats', url: flags.nats };
  if (flags.journalDir !== undefined) return { kind: 'sqlite', dir: flags.journalDir };
  return (venue ?? 'paper') === 'paper' ? undefined : { kind: 'nats', url: flags.nats };
}

/** Registers the scale-out commands on NATS JetStream: `tranche gateway`, `tranche worker`, `tranche submit`, `tranche cluster-demo`. */
export function registerClusterCommands(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  logging(
    venueOptions(program.command('worker'))
      .description('execute parent orders from the NATS work queue (lease per order; takes over the orders of workers that died)')
      .addOption(natsOption())
      .option('--id <worker>', 'worker id: lease owner and event signature (default <host>-<pid>)')
      .option('--concurrency <n>', 'orders run at once (default 1)')
      .option('--journal-dir <dir>', 'journal to a directory of SQLite files shared by the workers of one machine (default for the paper venue: .tranche/cluster-journals)')
      .option('--journal-nats', 'journal on JetStream (stream TRANCHE_JOURNAL), readable by workers on every machine (default for a real venue)')
      .option('--lease-ttl <ms>', 'lease time to live without renewal (default: the lease bucket\'s, 10000)')
      .option('--ack-wait <ms>', 'redelivery after this long without news from the worker (default: the queue\'s, 30000)')
      .option('--speed <n|max>', 'replay speed of the paper venue\'s data, a factor of real time (default max: virtual time)', parseSpeed)
      .option('--json', 'one JSON line per job on stdout'),
  ).action(async (raw: VenueFlags & { speed?: 'max' | number } & Record<string, unknown>) => {
    setVerbose(raw.verbose ?? false);
    const flags = parseFlags(WorkerFlagsSchema, raw);
    const logger = loggerOf(raw);
    const transport = await connectCluster({ url: flags.nats, logger, ...(flags.leaseTtl === undefined ? {} : { leaseTtlMs: flags.leaseTtl }), ...(flags.ackWait === undefined ? {} : { ackWaitMs: flags.ackWait }) });
    try {
      await runWorker({
        transport,
        concurrency: flags.concurrency,
        json: raw.json ?? false,
        io,
        logger,
        ...venueSettings(raw),
        ...(raw.speed === undefined ? {} : { speed: raw.speed }),
        ...(flags.id === undefined ? {} : { workerId: flags.id }),
        ...(journalOf(flags, raw.venue) === undefined ? {} : { journal: journalOf(flags, raw.venue)! }),
      });
    } finally {
      await transport.close();
    }
  });

  logging(
    venueOptions(program.command('gateway'))
      .description('publish a venue\'s market data (md.<venue>.<symbol>.<kind>) and market states (state.<symbol>) on NATS')
      .addOption(natsOption())
      .option('--speed <n|max>', 'replay speed of the paper venue\'s data (default 1: as recorded)', parseSpeed)
      .option('--symbols <list>', 'comma-separated symbols to stream from a live venue')
      .option('--json', 'print what was published as JSON at the end'),
  ).action(async (raw: VenueFlags & { speed?: 'max' | number; symbols?: string }) => {
    setVerbose(raw.verbose ?? false);
    const flags = parseFlags(GatewayFlagsSchema, raw);
    const logger = loggerOf(raw);
    const transport = await connectCluster({ url: flags.nats, logger });
    const stop$ = new Subject<void>();
    const onSignal = (): void => stop$.next();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await transport.bus.initialize?.();
      if (!raw.json) io.stderr.write(`gateway: publishing the ${raw.venue ?? 'paper'} venue's market data on ${flags.nats}\n`);
      const stats = await runGateway({
        bus: transport.bus,
        logger,
        stop$,
        ...venueSettings(raw),
        ...(raw.speed === undefined ? {} : { speed: raw.speed }),
        ...(raw.symbols === undefined ? {} : { symbols: raw.symbols.split(',').map((symbol) => symbol.trim()).filter(Boolean) }),
      });
      if (raw.json) io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      else io.stdout.write(`gateway: published ${Object.entries(stats.published).map(([kind, n]) => `${n} ${kind}`).join(', ')} for ${stats.symbols.join(', ')} in ${(stats.wallMs / 1000).toFixed(1)} s (${Math.round(stats.messagesPerSecond)} msg/s)\n`);
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await transport.close();
    }
  });

  logging(
    program
      .command('submit')
      .description('put a parent order on the NATS work queue, follow its events and print its report')
      .addOption(natsOption())
      .requiredOption('--order <json|@file>', 'the order request: {"symbol","side","type","quantity","price"?,"params"?}')
      .option('--id <id>', 'execution id (default: the order\'s id, else a new random one); submitting an id again follows the same execution')
      .option('--venue <id>', 'the venue the order is for: only workers of that venue run it (default paper)')
      .option('--datasets <names>', 'comma-separated recorded data sets the paper venue replays (default: the worker\'s)')
      .option('--timeout <seconds>', 'give up waiting after this long (the order stays queued)')
      .option('--json', 'print only the execution report as JSON'),
  ).action(async (raw: { nats?: string; order: string; id?: string; venue?: string; datasets?: string; timeout?: string; json?: boolean; verbose?: boolean; logLevel?: LogLevel }) => {
    setVerbose(raw.verbose ?? false);
    const flags = parseFlags(SubmitFlagsSchema, { ...raw, ...(raw.datasets === undefined ? {} : { datasets: raw.datasets.split(',').map((name) => name.trim()) }) });
    const job = clusterJobOf(await readOrderArgument(raw.order), {
      ...(flags.id === undefined ? {} : { id: flags.id }),
      ...(raw.venue === undefined ? {} : { venue: raw.venue }),
      ...(flags.datasets === undefined ? {} : { datasets: flags.datasets }),
    });
    const logger = loggerOf(raw);
    const transport = await connectCluster({ url: flags.nats, logger });
    try {
      await submitOrder({ transport, job, json: raw.json ?? false, io, clock: new LiveClock(), ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }) });
    } finally {
      await transport.close();
    }
  });

  logging(
    program
      .command('cluster-demo')
      .description('the multi-process demo: a NATS server, one gateway, three workers, a few parent orders; reports and who ran what')
      .option('--workers <n>', 'worker processes (default 3)')
      .option('--orders <n>', 'parent orders (default 6)')
      .option('--nats <url>', 'use this NATS server instead of starting one'),
  ).action(async (raw: { workers?: string; orders?: string; nats?: string; verbose?: boolean; logLevel?: LogLevel }) => {
    setVerbose(raw.verbose ?? false);
    await runClusterDemo({ io, raw });
  });
}
