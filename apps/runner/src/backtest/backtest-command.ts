import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { TrancheError, loadConfigFile, type Logger } from '@tranche/core';
import type { RunnerIo } from '../run-execution.js';
import { StderrLogger } from '../stderr-logger.js';
import type { BacktestGridInput } from './backtest-grid.schema.js';
import { formatBacktest } from './backtest-format.js';
import { BacktestProgressBar } from './backtest-progress-bar.js';
import type { BacktestResult } from './backtest-result.js';
import { renderBacktestHtml } from './html-report.js';
import { runBacktest } from './run-backtest.js';

/** Options of `runBacktestCommand`. */
export interface BacktestCommandOptions {
  /** A config file: its `backtest` section is the grid, the rest configures the plugins. */
  configFile?: string;
  /** Grid keys from the command line (over the config file's). */
  grid?: BacktestGridInput;
  data?: string;
  /** Tick capture names, or `all`. */
  datasets?: string[] | 'all';
  candles?: string[];
  record?: boolean;
  /** Write the HTML report here. */
  html?: string;
  json: boolean;
  io: RunnerIo;
  logger: Logger;
}

/**
 * Runs `tranche backtest`: the grid from the config file and flags, a progress bar on
 * stderr, then the table (or the whole result as JSON) on stdout and, with `html`, a
 * self-contained HTML report.
 */
export async function runBacktestCommand(options: BacktestCommandOptions): Promise<BacktestResult> {
  const loaded = options.configFile === undefined ? {} : await loadConfigFile(options.configFile);
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  const { backtest, ...config } = loaded as Record<string, unknown>;
  if (backtest !== undefined && (backtest === null || typeof backtest !== 'object' || Array.isArray(backtest))) {
    throw new TrancheError('validation', `invalid config: backtest must be an object, got ${JSON.stringify(backtest)}`, { field: 'backtest', retryable: false });
  }
  const grid = { ...((backtest as Record<string, unknown> | undefined) ?? {}), ...(options.grid ?? {}) };
  const { io } = options;
  const bar = !options.json || io.stderr.isTTY ? new BacktestProgressBar(io.stderr) : undefined;
  const result = await runBacktest({
    grid,
    config,
    logger: options.logger,
    record: options.record ?? false,
    ...(options.data === undefined ? {} : { data: options.data }),
    ...(options.datasets === undefined ? {} : { datasets: options.datasets }),
    ...(options.candles === undefined ? {} : { candles: options.candles.length === 1 ? options.candles[0]! : options.candles }),
    ...(bar ? { onProgress: (progress) => bar.update(progress) } : {}),
  });
  bar?.finish();
  if (options.html !== undefined) {
    await writeFile(options.html, renderBacktestHtml(result));
    if (!options.json) io.stderr.write(`HTML report: ${options.html}\n`);
  }
  if (options.json) io.stdout.write(`${JSON.stringify(result)}\n`);
  else io.stdout.write(`${formatBacktest(result)}\n`);
  return result;
}

/** Registers `tranche backtest` on the CLI. */
export function registerBacktestCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('backtest')
    .description('run a grid of parent orders × strategies on recorded data in virtual time and tabulate their execution quality')
    .option('--data <dir>', 'tick captures (trades + L2 depth) to replay (default: the bundled Binance captures)')
    .option('--datasets <names|all>', 'tick captures to replay, comma-separated, or all (default: one per symbol); each on its own', (value) => (value === 'all' ? 'all' : list('--datasets')(value)))
    .option('--candles <file|dir...>', '1m candle CSVs (or a directory of them) to replay through the candle fill model instead of tick captures')
    .option('--symbols <list>', 'symbols, comma-separated (default: every symbol of the data)', list('--symbols'))
    .option('--sides <list>', 'buy,sell (default both)', list('--sides'))
    .option('--sizes <list>', 'order sizes as shares of the expected window volume: 0.01,0.05 or 1%,5% (default 1%,5%)', (value) => list('--sizes')(value).map((item) => parseShare(item)))
    .option('--durations <list>', 'order windows: 30s,2m,1h or ms (default 2m)', (value) => list('--durations')(value).map((item) => parseDuration(item, '--durations')))
    .option('--strategies <list>', 'strategies, auto included (default: market,limit,twap,vwap,iceberg,adaptive,auto)', list('--strategies'))
    .option('--starts <n>', 'most start times per lane (default: as many as fit)', (value) => positiveInteger(value, '--starts'))
    .option('--every <duration>', 'time between start times (default: the longest duration)', (value) => parseDuration(value, '--every'))
    .option('--warmup <duration>', 'data before the first start, for sizing and the market state (default: the longest duration, at least 1m)', (value) => parseDuration(value, '--warmup'))
    .option('--seed <n>', 'seed of the randomized strategies (default 1)', (value) => nonNegativeInteger(value, '--seed'))
    .option('--record', 'save every run to the execution history the optimizer learns from')
    .option('--html <file>', 'write a self-contained HTML report with charts')
    .option('--config <file>', 'config file (JSON or YAML); its "backtest" section is the grid')
    .option('--json', 'print the whole result as JSON')
    .option('--verbose', 'debug logs and stack traces')
    .addOption(new Option('--log-level <level>', 'library log level').choices(['debug', 'info', 'warn', 'error']))
    .action(async (flags: BacktestFlags) => {
      setVerbose(flags.verbose ?? false);
      const grid: BacktestGridInput = {
        ...(flags.symbols ? { symbols: flags.symbols } : {}),
        ...(flags.sides ? { sides: flags.sides as BacktestGridInput['sides'] } : {}),
        ...(flags.sizes ? { sizes: flags.sizes } : {}),
        ...(flags.durations ? { durationsMs: flags.durations } : {}),
        ...(flags.strategies ? { strategies: flags.strategies } : {}),
        ...(flags.starts === undefined ? {} : { starts: flags.starts }),
        ...(flags.every === undefined ? {} : { startEveryMs: flags.every }),
        ...(flags.warmup === undefined ? {} : { warmupMs: flags.warmup }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      };
      await runBacktestCommand({
        grid,
        json: flags.json ?? false,
        io,
        logger: new StderrLogger(flags.logLevel ?? (flags.verbose ? 'debug' : 'warn')),
        record: flags.record ?? false,
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
        ...(flags.data === undefined ? {} : { data: flags.data }),
        ...(flags.datasets === undefined ? {} : { datasets: flags.datasets }),
        ...(flags.candles === undefined ? {} : { candles: flags.candles }),
        ...(flags.html === undefined ? {} : { html: flags.html }),
      });
    });
}

interface BacktestFlags {
  data?: string;
  datasets?: string[] | 'all';
  candles?: string[];
  symbols?: string[];
  sides?: string[];
  sizes?: number[];
  durations?: number[];
  strategies?: string[];
  starts?: number;
  every?: number;
  warmup?: number;
  seed?: number;
  record?: boolean;
  html?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

function invalid(flag: string, message: string, value: string): TrancheError {
  return new TrancheError('validation', `invalid ${flag}: ${message}, got ${JSON.stringify(value)}`, { field: flag, retryable: false });
}

function list(flag: string): (value: string) => string[] {
  return (value) => {
    const items = value.split(',').map((item) => item.trim());
    if (items.some((item) => item === '')) throw invalid(flag, 'must be a comma-separated list without empty items', value);
    return items;
  };
}

/** `0.05`, `5%`. */
export function parseShare(value: string): number {
  const percent = value.endsWith('%');
  const share = Number(percent ? value.slice(0, -1) : value) / (percent ? 100 : 1);
  if (!Number.isFinite(share) || share <= 0 || share > 1) throw invalid('--sizes', 'each size must be a share of the volume in (0, 1] or a percentage', value);
  return share;
}

/** `90s`, `2m`, `1h`, `1500ms` or a number of ms. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  const ms = match ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) throw invalid(flag, 'must be a positive duration such as 30s, 2m, 1h or a number of ms', value);
  return ms;
}

function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number <= 0) throw invalid(flag, 'must be a positive integer', value);
  return number;
}

function nonNegativeInteger(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0) throw invalid(flag, 'must be a non-negative integer', value);
  return number;
}
