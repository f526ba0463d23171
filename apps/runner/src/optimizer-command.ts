import type { Command } from 'commander';
import {
  Clock,
  ExecutionHistoryStore,
  ExecutionStrategy,
  ExecutionStrategyOptimizer,
  createStrategyOptimizer,
  type CandidateScore,
  type Logger,
  type OrderDetailsInput,
  type StrategySelection,
} from '@tranche/core';
import { readOrderArgument } from './cli/parse-args.js';
import { composeRunner } from './compose.js';
import type { RunnerIo } from './run-execution.js';
import { StderrLogger } from './stderr-logger.js';

/** Options of `runOptimizer`. */
export interface OptimizerCommandOptions {
  /** The market state to choose for (`normal`, `volatile`, …, or a user's own). */
  state: string;
  /** Order details as JSON or `@file`: `{ quantity, marketVolume | market_volume, urgent, side, symbol, deadline }`. */
  order?: string;
  configFile?: string;
  json: boolean;
  io: RunnerIo;
  logger: Logger;
}

/**
 * Composes the runner from the config (by default with the SQLite execution history),
 * asks the strategy optimizer for the best strategy in a market state (and for an
 * order), and prints the choice and its explanation (`--json`: `{ strategy, explanation }`).
 */
export async function runOptimizer(options: OptimizerCommandOptions): Promise<StrategySelection> {
  const details = options.order === undefined ? undefined : await readOrderArgument(options.order);
  const tranche = await composeRunner({ logger: options.logger, ...(options.configFile === undefined ? {} : { configFile: options.configFile }) });
  const { container } = tranche;
  const installed = container.isBound(ExecutionStrategyOptimizer);
  const optimizer = installed
    ? tranche.get(ExecutionStrategyOptimizer)
    : createStrategyOptimizer(tranche.config.strategyOptimizer, {
        clock: tranche.get<Clock>(Clock),
        logger: options.logger,
        strategies: container.isBound(ExecutionStrategy) ? container.getAll<ExecutionStrategy<unknown>>(ExecutionStrategy) : [],
      });
  const store = container.isBound(ExecutionHistoryStore) ? tranche.get<ExecutionHistoryStore>(ExecutionHistoryStore) : undefined;
  await optimizer.initialize();
  try {
    const selection = optimizer.getOptimalStrategy(options.state, details as OrderDetailsInput | undefined);
    if (options.json) options.io.stdout.write(`${JSON.stringify(selection, null, 2)}\n`);
    else {
      const where = store && 'path' in store ? ` (${String((store as { path: unknown }).path)})` : '';
      const source = installed ? `execution history${where}: ${describeSamples(optimizer.stateSamples())}` : 'no execution history installed: priors only';
      options.io.stdout.write(`${formatSelection(selection, source)}\n`);
    }
    return selection;
  } finally {
    await optimizer.close();
  }
}

/** Registers `tranche optimizer` on the CLI. */
export function registerOptimizerCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('optimizer')
    .description('choose the execution strategy for a market state (and an order) from the recorded history and the priors, and explain why')
    .requiredOption('--state <state>', 'market state: normal, volatile, trending, illiquid, ranging or a custom one')
    .option('--order <json|@file>', 'order details: {"quantity","marketVolume" (or "market_volume"),"urgent","side","symbol","deadline"}')
    .option('--config <file>', 'config file (JSON or YAML): strategy_optimizer, journal-sqlite.path, plugins')
    .option('--json', 'print { strategy, explanation } as JSON')
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: { state: string; order?: string; config?: string; json?: boolean; verbose?: boolean }) => {
      setVerbose(flags.verbose ?? false);
      await runOptimizer({
        state: flags.state,
        json: flags.json ?? false,
        io,
        logger: new StderrLogger(flags.verbose ? 'debug' : 'warn'),
        ...(flags.order === undefined ? {} : { order: flags.order }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
    });
}

/** The choice and its explanation as text. */
export function formatSelection({ strategy, explanation }: StrategySelection, source: string): string {
  const lines: string[] = [];
  lines.push(`Optimal strategy for market state '${explanation.marketState}': ${strategy}`);
  lines.push(`  decided by   ${explanation.rule}: ${explanation.decidedBy}`);
  lines.push(`  objective    ${explanation.objective}`);
  const traits: string[] = [];
  if (explanation.sizeBucket !== null) traits.push(`size bucket ${explanation.sizeBucket} (${((explanation.shareOfVolume ?? 0) * 100).toFixed(2)}% of market volume)`);
  if (explanation.urgent) traits.push('urgent');
  lines.push(`  order        ${traits.length > 0 ? traits.join(', ') : '-'}`);
  lines.push(`  learned from ${source}; min_samples ${explanation.minSamples}, ${explanation.stateSamples} in this state`);
  lines.push('');
  const headers = ['strategy', 'prior', 'observed', 'n', 'weight', 'state est.', 'bucket n', 'adjust', 'score'];
  const rows = explanation.candidates.map((candidate: CandidateScore) => [
    candidate.strategy,
    candidate.priorBps.toFixed(2),
    candidate.observedBps === null ? '-' : candidate.observedBps.toFixed(2),
    String(candidate.samples),
    candidate.weight.toFixed(2),
    candidate.stateScoreBps.toFixed(2),
    String(candidate.bucketSamples),
    `${candidate.adjustmentBps >= 0 ? '+' : ''}${candidate.adjustmentBps.toFixed(2)}`,
    candidate.scoreBps.toFixed(2),
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index]!.length)));
  const render = (cells: string[]): string => `  ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ')}`;
  lines.push(`  Candidates, best first (expected cost in bps; lower is better)`);
  lines.push(render(headers));
  for (const row of rows) lines.push(render(row));
  const notes = explanation.candidates.filter((candidate) => candidate.adjustments.length > 0);
  if (notes.length > 0) {
    lines.push('');
    for (const candidate of notes) lines.push(`  ${candidate.strategy}: ${candidate.adjustments.join('; ')}`);
  }
  return lines.join('\n');
}

function describeSamples(samples: Record<string, number>): string {
  const entries = Object.entries(samples);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  return entries.length === 0 ? 'no executions with a known market state yet' : `${total} executions (${entries.map(([state, count]) => `${state} ${count}`).join(', ')})`;
}
