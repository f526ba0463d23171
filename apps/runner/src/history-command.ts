import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { TrancheError, executionObjectiveBps, loadConfigFile, parseInput, type ExecutionHistoryEntry, type Logger } from '@tranche/core';
import { JournalSqliteConfigSchema, SqliteExecutionHistoryStore } from '@tranche/journal-sqlite';
import type { RunnerIo } from './run-execution.js';
import { StderrLogger } from './stderr-logger.js';

/** Options of `runHistory`. */
export interface HistoryCommandOptions {
  /** The database file (default: the config's `journal-sqlite.path`, else `.tranche/tranche.db`). */
  db?: string;
  configFile?: string;
  /** Most executions to list, newest first (default 20). */
  limit?: number;
  strategy?: string;
  /** Only executions that started in this market state. */
  state?: string;
  symbol?: string;
  json: boolean;
  io: RunnerIo;
  logger: Logger;
}

/**
 * Lists past executions with their quality metrics from the SQLite execution history,
 * newest first (`--json`: `[{ report, quality }]`). A missing file is an empty history.
 */
export async function runHistory(options: HistoryCommandOptions): Promise<ExecutionHistoryEntry[]> {
  const path = options.db ?? (await configuredPath(options.configFile));
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0)) {
    throw new TrancheError('validation', `invalid --limit: must be a positive integer, got ${String(options.limit)}`, { field: '--limit', retryable: false });
  }
  let entries: ExecutionHistoryEntry[] = [];
  if (path === ':memory:' || existsSync(path)) {
    const store = SqliteExecutionHistoryStore.open({ path }, options.logger);
    await store.initialize();
    try {
      entries = await store.query({
        limit: options.limit ?? 20,
        ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
        ...(options.state === undefined ? {} : { marketState: options.state }),
        ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
      });
    } finally {
      await store.close();
    }
  }
  if (options.json) options.io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  else options.io.stdout.write(`${formatHistory(entries, path)}\n`);
  return entries;
}

/** Registers `tranche history` on the CLI. */
export function registerHistoryCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('history')
    .description('list past executions with their quality metrics (shortfall, cost, fill rate), newest first')
    .option('--limit <n>', 'most executions to list (default 20)', parseLimit)
    .option('--strategy <id>', 'only this strategy')
    .option('--state <state>', 'only executions that started in this market state')
    .option('--symbol <symbol>', 'only this symbol')
    .option('--db <file>', 'the history database (default: journal-sqlite.path of the config, else .tranche/tranche.db)')
    .option('--config <file>', 'config file (JSON or YAML)')
    .option('--json', 'print [{ report, quality }] as JSON')
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: { limit?: number; strategy?: string; state?: string; symbol?: string; db?: string; config?: string; json?: boolean; verbose?: boolean }) => {
      setVerbose(flags.verbose ?? false);
      await runHistory({
        json: flags.json ?? false,
        io,
        logger: new StderrLogger(flags.verbose ? 'debug' : 'warn'),
        ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }),
        ...(flags.state === undefined ? {} : { state: flags.state }),
        ...(flags.symbol === undefined ? {} : { symbol: flags.symbol }),
        ...(flags.db === undefined ? {} : { db: flags.db }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
    });
}

/** The history as a table. */
export function formatHistory(entries: readonly ExecutionHistoryEntry[], path: string): string {
  if (entries.length === 0) return `No executions recorded in ${path}.`;
  const headers = ['ended (UTC)', 'id', 'symbol', 'side', 'quantity', 'strategy', 'state', 'size', 'status', 'fill', 'shortfall', 'fees', 'cost', 'objective', 'duration'];
  const bps = (value: number | null): string => (value === null ? '-' : value.toFixed(2));
  const rows = entries.map(({ report, quality }) => [
    new Date(quality.endedAt).toISOString().slice(0, 19).replace('T', ' '),
    report.id,
    quality.symbol,
    quality.side,
    String(quality.requestedQuantity),
    quality.requestedType === quality.strategy ? quality.strategy : `${quality.requestedType}→${quality.strategy}`,
    quality.marketState ?? '-',
    quality.sizeBucket,
    quality.status,
    `${(quality.fillRate * 100).toFixed(1)}%`,
    bps(quality.implementationShortfallBps),
    bps(quality.feeBps),
    bps(quality.totalCostBps),
    executionObjectiveBps(quality).toFixed(2),
    `${((quality.endedAt - quality.startedAt) / 1000).toFixed(1)}s`,
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index]!.length)));
  const numeric = new Set([4, 9, 10, 11, 12, 13, 14]);
  const render = (cells: string[]): string => `  ${cells.map((cell, index) => (numeric.has(index) ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!))).join('  ')}`;
  return [
    `Executions in ${path} (newest first, ${entries.length} shown; costs in bps of the arrival price, objective = what the optimizer minimizes)`,
    render(headers),
    ...rows.map(render),
  ].join('\n');
}

async function configuredPath(configFile: string | undefined): Promise<string> {
  const loaded = configFile === undefined ? {} : await loadConfigFile(configFile);
  const section = loaded !== null && typeof loaded === 'object' && !Array.isArray(loaded) ? (loaded as Record<string, unknown>)['journal-sqlite'] : undefined;
  return parseInput(JournalSqliteConfigSchema, section ?? {}, 'config section "journal-sqlite"').path;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (value.trim() === '' || !Number.isInteger(limit) || limit <= 0) {
    throw new TrancheError('validation', `invalid --limit: must be a positive integer, got ${JSON.stringify(value)}`, { field: '--limit', retryable: false });
  }
  return limit;
}
