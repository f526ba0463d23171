import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import type { Command } from 'commander';
import { TrancheError } from '@tranche/core';
import { bundledDataDir, loadRecording } from '@tranche/feed-replay';
import type { RunnerIo } from '../run-execution.js';
import { StderrLogger } from '../stderr-logger.js';
import { benchJson, formatBench, type BenchOutcome } from './bench-printer.js';
import { collectGarbage, nowMs, type BenchContext, type BenchSection } from './bench-section.js';
import { decodeSection } from './decode.js';
import { latencySection } from './latency.js';
import { memorySection } from './memory.js';
import { replayThroughputSection } from './replay-throughput.js';
import { scaleSection } from './scale.js';
import { qualitySection } from './quality.js';
import { clusterSection } from './cluster.js';

/** The sections `tranche bench` runs, in order: adding one is one line here. */
export const BENCH_SECTIONS: readonly BenchSection[] = [
  decodeSection,
  replayThroughputSection,
  latencySection,
  memorySection,
  scaleSection,
  qualitySection,
  clusterSection,
];

/** Options of `runBench`. */
export interface BenchOptions {
  /** Tiny mode: fewer repeats and smaller scales (tests). */
  readonly quick: boolean;
  readonly json: boolean;
  readonly io: RunnerIo;
  /** Captures directory (default: the bundled data). */
  readonly data?: string;
  /** Also write the JSON document to this file. */
  readonly out?: string;
  /** Only these section ids (default: all). */
  readonly sections?: readonly string[];
  readonly verbose?: boolean;
  /** The sections to choose from (default `BENCH_SECTIONS`). */
  readonly available?: readonly BenchSection[];
}

/**
 * Runs the benchmark sections on the captures (decoded once into the columnar cache,
 * then replayed from memory) and prints every figure beside its same-run baseline and
 * target, or one JSON document (`json`). Resolves with that document.
 */
export async function runBench(options: BenchOptions): Promise<Record<string, unknown>> {
  const available = options.available ?? BENCH_SECTIONS;
  const chosen = options.sections ? available.filter((section) => options.sections!.includes(section.id)) : available;
  const unknown = (options.sections ?? []).filter((id) => !available.some((section) => section.id === id));
  if (unknown.length > 0) {
    throw new TrancheError('validation', `invalid --sections: unknown section ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${available.map((section) => section.id).join(', ')})`, {
      field: '--sections',
      retryable: false,
    });
  }
  const dataDir = options.data ?? bundledDataDir();
  const logger = new StderrLogger(options.verbose ? 'debug' : 'warn');
  const loadStarted = nowMs();
  const recording = await loadRecording(dataDir, { logger });
  const loadMs = nowMs() - loadStarted;
  const context: BenchContext = {
    recording,
    quick: options.quick,
    logger,
    dataDir,
    progress: (message) => {
      if (!options.json || options.verbose) options.io.stderr.write(`bench: ${message}\n`);
    },
  };
  const outcomes: BenchOutcome[] = [];
  for (const section of chosen) {
    context.progress(`${section.id}…`);
    collectGarbage();
    outcomes.push({ section, result: await section.run(context) });
  }
  const environment = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    quick: options.quick,
    exposeGc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    data: dataDir,
    captures: recording.loads.map((load) => `${load.name} (${load.origin}, ${Math.round(load.durationMs)} ms)`),
    recordingLoadMs: loadMs,
  };
  const document = benchJson(outcomes, environment);
  if (options.out !== undefined) writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
  if (options.json) options.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else {
    const header =
      `tranche bench — node ${process.version}, ${environment.cpus} CPU(s) (${environment.cpuModel})${options.quick ? ', quick mode' : ''}\n` +
      `Captures: ${environment.captures.join('; ')}. Every figure is printed beside a baseline measured in this run.\n` +
      'Event = one capture row (a trade or one price-level change, as stored by the columnar cache); message = one MarketEvent (a trade or a book diff).';
    options.io.stdout.write(`${formatBench(outcomes, header)}\n`);
  }
  return document;
}

/** Registers `tranche bench` on the CLI. */
export function registerBenchCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('bench')
    .description('benchmarks: replay throughput, decoding, decision latency, memory and scale, each beside a same-run baseline (run node with --expose-gc)')
    .option('--json', 'print every figure as one JSON document')
    .option('--quick', 'tiny mode: fewer repeats and smaller scales (tests)')
    .option('--data <dir>', 'captures directory (default: the bundled data)')
    .option('--out <file>', 'also write the JSON document to this file (npm prints its own banner on stdout: `npm run -s bench -- --json` keeps stdout pure JSON)')
    .option('--sections <ids>', `comma-separated sections to run (default: all; known: ${BENCH_SECTIONS.map((section) => section.id).join(', ')})`, (value: string) =>
      value.split(',').map((id) => id.trim()).filter((id) => id.length > 0),
    )
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: { json?: boolean; quick?: boolean; data?: string; out?: string; sections?: string[]; verbose?: boolean }) => {
      setVerbose(flags.verbose ?? false);
      await runBench({
        quick: flags.quick ?? false,
        json: flags.json ?? false,
        io,
        verbose: flags.verbose ?? false,
        ...(flags.data === undefined ? {} : { data: flags.data }),
        ...(flags.out === undefined ? {} : { out: flags.out }),
        ...(flags.sections === undefined ? {} : { sections: flags.sections }),
      });
    });
}
