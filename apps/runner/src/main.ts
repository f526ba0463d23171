import { Command, CommanderError, Option } from 'commander';
import { TrancheError } from '@tranche/core';
import { parseSpeed, parseWindow, readOrderArgument } from './cli/parse-args.js';
import { runMarketState } from './market-state-command.js';
import { registerHistoryCommand } from './history-command.js';
import { registerBenchCommand } from './bench/bench-command.js';
import { registerOptimizerCommand } from './optimizer-command.js';
import { registerBacktestCommand } from './backtest/backtest-command.js';
import { registerVenueCommands } from './venues-command.js';
import { registerKillCommand } from './kill-command.js';
import { registerServeCommand } from './serve/serve-command.js';
import { registerClusterCommands } from './cluster/cluster-commands.js';
import { defaultJournalFile, registerResumeCommand } from './resume-command.js';
import { DEFAULT_PLUGINS } from './compose.js';
import { runExecution, type RunnerIo } from './run-execution.js';
import { LOG_FORMATS, LOG_LEVELS, StderrLogger, type LogLevel } from './stderr-logger.js';
import { RunnerLogger } from './logging.js';
import { parseMetricsPort } from './metrics-port.js';

/** Exit code for bad input (invalid order, config or flags). */
export const EXIT_INVALID_INPUT = 2;
/** Exit code for a failure while running. */
export const EXIT_FAILURE = 1;

interface CommonFlags {
  config?: string;
  venue?: string;
  exchange?: string;
  baseUrl?: string;
  wsUrl?: string;
  data?: string;
  speed?: 'max' | number;
  json?: boolean;
  verbose?: boolean;
  logLevel?: LogLevel;
  logFormat?: (typeof LOG_FORMATS)[number];
  logFile?: string;
  metricsPort?: number;
}

/**
 * Runs the `tranche` CLI with `argv` (without node and script) and resolves with the
 * exit code: 0 for a completed run whatever the fill status, 2 for invalid input
 * (one line naming the field and value), 1 for a failure.
 */
export async function main(argv: readonly string[], io: RunnerIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let verbose = argv.includes('--verbose');
  const program = new Command('tranche')
    .description('Tranche: execute crypto parent orders well and prove it.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError(false);

  const common = (command: Command): Command =>
    command
      .option('--config <file>', 'config file (JSON or YAML)')
      .option('--data <dir>', 'recorded market data directory for the replay (default: the bundled captures)')
      .option('--speed <n|max>', 'replay speed: max (virtual time) or a factor of real time', parseSpeed)
      .option('--json', 'print only the execution report as JSON')
      .option('--verbose', 'debug logs and stack traces')
      .addOption(new Option('--log-level <level>', 'library log level').choices([...LOG_LEVELS]))
      .addOption(new Option('--log-format <format>', 'log lines on stderr: auto (pretty on a terminal, JSON otherwise), pretty or json').choices([...LOG_FORMATS]))
      .option('--log-file <path>', 'also write JSON log lines to this file (rotated by size: config section logger-pino.file)')
      .option('--metrics-port <n>', 'expose Prometheus metrics on http://127.0.0.1:<n>/metrics while the run lasts (0 picks a free port)', parseMetricsPort);

  common(program.command('execute'))
    .description('execute one parent order')
    .option('--venue <id>', 'venue: paper (default: the embedded paper exchange on recorded data) or ccxt (a real exchange; see tranche venues)')
    .option('--exchange <id>', 'ccxt exchange id, e.g. binance (venue ccxt; credentials from TRANCHE_API_KEY / TRANCHE_API_SECRET or the config\'s key file)')
    .option('--base-url <url>', 'REST base URL of the exchange (venue ccxt: proxies, testnets, local emulators)')
    .option('--ws-url <url>', 'websocket base URL of the exchange (venue ccxt)')
    .requiredOption('--order <json|@file>', 'the order request: {"symbol","side","type","quantity","price"?,"params"?}')
    .option('--journal [file]', 'journal the execution (write-ahead) so that tranche resume can continue it after a crash (default file .tranche/journal.db)')
    .action(async (flags: CommonFlags & { order: string; journal?: string | boolean }) => {
      verbose = flags.verbose ?? false;
      const order = await readOrderArgument(flags.order);
      const journal = flags.journal === undefined || flags.journal === false ? undefined : flags.journal === true ? defaultJournalFile() : flags.journal;
      await runExecution({ ...runOptions(flags, io), order, ...(journal === undefined ? {} : { journal }) });
    });

  common(program.command('demo'))
    .description('the demo behind `npm start`: a 5-minute TWAP buying 2 BTC on recorded Binance data, replayed at 10x real time')
    .action(async (flags: CommonFlags) => {
      verbose = flags.verbose ?? false;
      await runExecution({
        ...runOptions({ speed: 10, ...flags }, io),
        banner: flags.json
          ? undefined
          : 'Tranche demo: the embedded paper exchange replays real Binance BTC/USDT trades and order-book depth (2024-08-08, 23:54 UTC) at 10x.\n' +
            'A randomized TWAP buys 2 BTC over 5 minutes in 10 slices, passive first, crossing the spread only when behind schedule,\n' +
            'never above 61,900 USDT. The bar shows filled (█) against the schedule (┃).\n',
        order: {
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'twap',
          quantity: 2,
          params: { durationMs: 5 * 60_000, slices: 10, randomization: 0.3, seed: 7, limitPrice: 61_900, urgency: 'medium', completion: 'sweep' },
        },
      });
    });

  program
    .command('market-state')
    .description('classify market states over a candle file or a recorded tick session')
    .option('--candles <csv>', 'a candle CSV (gzipped or not), e.g. Binance 1m klines')
    .option('--data <dir>', 'a directory of tick captures (trades + L2 depth)')
    .option('--symbol <symbol>', 'the symbol to classify (default: the file\'s, or the first captured)')
    .option('--window <minutes>', 'rolling window length in minutes (default 1440)', parseWindow)
    .addOption(new Option('--mode <mode>', 'retrospective: states of windows centred on each moment (labels history); causal: what the live monitor said then').choices(['retrospective', 'causal']).default('retrospective'))
    .option('--config <file>', 'config file (JSON or YAML); may name classifier plugins under "plugins"')
    .option('--json', 'print { states, summary } as JSON')
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: { candles?: string; data?: string; symbol?: string; window?: number; mode: 'retrospective' | 'causal'; config?: string; json?: boolean; verbose?: boolean }) => {
      verbose = flags.verbose ?? false;
      await runMarketState({
        json: flags.json ?? false,
        io,
        mode: flags.mode,
        logger: new StderrLogger(flags.verbose ? 'debug' : 'warn'),
        ...(flags.candles === undefined ? {} : { candles: flags.candles }),
        ...(flags.data === undefined ? {} : { data: flags.data }),
        ...(flags.symbol === undefined ? {} : { symbol: flags.symbol }),
        ...(flags.window === undefined ? {} : { windowMinutes: flags.window }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
    });

  registerOptimizerCommand(program, io, (value) => (verbose = value));
  registerHistoryCommand(program, io, (value) => (verbose = value));
  registerBenchCommand(program, io, (value) => (verbose = value));
  registerBacktestCommand(program, io, (value) => (verbose = value));
  registerVenueCommands(program, io, (value) => (verbose = value));
  registerKillCommand(program, io);
  registerResumeCommand(program, io, (value) => (verbose = value));
  registerServeCommand(program, io, (value) => (verbose = value));
  registerClusterCommands(program, io, (value) => (verbose = value));

  program
    .command('plugins')
    .description('list the plugins the runner installs by default')
    .action(() => {
      for (const plugin of DEFAULT_PLUGINS) io.stdout.write(`${plugin.name.padEnd(22)} ${plugin.version.padEnd(8)} ${plugin.description ?? ''}\n`);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return 0;
      return EXIT_INVALID_INPUT;
    }
    const failure = TrancheError.from(error);
    io.stderr.write(`error: ${failure.message}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return failure.kind === 'validation' ? EXIT_INVALID_INPUT : EXIT_FAILURE;
  }
}

function runOptions(flags: CommonFlags, io: RunnerIo) {
  return {
    json: flags.json ?? false,
    io,
    logger: new RunnerLogger({ level: flags.logLevel, verbose: flags.verbose, format: flags.logFormat, file: flags.logFile }),
    ...(flags.config === undefined ? {} : { configFile: flags.config }),
    ...(flags.data === undefined ? {} : { data: flags.data }),
    ...(flags.speed === undefined ? {} : { speed: flags.speed }),
    ...(flags.metricsPort === undefined ? {} : { metricsPort: flags.metricsPort }),
    ...(flags.venue === undefined ? {} : { venue: flags.venue }),
    ...(flags.exchange === undefined && flags.baseUrl === undefined && flags.wsUrl === undefined ? {} : { ccxt: { exchange: flags.exchange, baseUrl: flags.baseUrl, wsUrl: flags.wsUrl } }),
  };
}
