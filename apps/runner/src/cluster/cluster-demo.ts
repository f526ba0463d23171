import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { LiveClock, decimalsOf, type ExecutionReport } from '@tranche/core';
import type { RunnerIo } from '../run-execution.js';
import { StderrLogger, type LogLevel } from '../stderr-logger.js';
import { NatsUrlSchema, parseFlags } from './cluster-flags.schema.js';
import { sampleClusterJobs } from './cluster-orders.js';
import { startLocalNatsServer, startTranche, type ClusterProcess, type LocalNatsServer } from './cluster-processes.js';
import { connectCluster } from './connect-cluster.js';
import { submitOrder, type SubmitOutcome } from './submit-order.js';

const DemoFlagsSchema = z
  .object({
    workers: z.coerce.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 to 8' }).max(8, { error: 'must be 1 to 8' }).default(3),
    orders: z.coerce.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 to 60' }).max(60, { error: 'must be 1 to 60' }).default(6),
    nats: NatsUrlSchema.optional(),
  })
  .loose();

/** Options of `runClusterDemo`. */
export interface ClusterDemoOptions {
  readonly io: RunnerIo;
  /** The command's raw flags (`workers`, `orders`, `nats`, `verbose`, `logLevel`). */
  readonly raw: Record<string, unknown>;
}

/** What the demo saw. */
export interface ClusterDemoResult {
  readonly outcomes: SubmitOutcome[];
  /** Orders each worker ran to the end. */
  readonly byWorker: Record<string, string[]>;
}

/**
 * `tranche cluster-demo` (`npm run demo:cluster`): starts a NATS server with JetStream
 * (unless `--nats` names one), one gateway replaying the bundled data onto the bus, three
 * worker processes sharing a journal directory, submits parent orders across the bundled
 * symbols, prints each report and which worker ran what, then stops everything
 * (workers drain, the gateway prints what it published, the server is removed).
 */
export async function runClusterDemo(options: ClusterDemoOptions): Promise<ClusterDemoResult> {
  const { io } = options;
  const flags = parseFlags(DemoFlagsSchema, options.raw);
  const logLevel = (options.raw['logLevel'] as LogLevel | undefined) ?? (options.raw['verbose'] ? 'debug' : 'warn');
  const work = mkdtempSync(join(tmpdir(), 'tranche-cluster-demo-'));
  const processes: ClusterProcess[] = [];
  let server: LocalNatsServer | undefined;
  try {
    let url = flags.nats;
    if (url === undefined) {
      server = await startLocalNatsServer();
      url = server.url;
      io.stderr.write(`nats-server with JetStream on ${url} (store in a temporary directory)\n`);
    }
    const gateway = startTranche('gateway', ['gateway', '--nats', url, '--speed', '20', '--log-level', logLevel]);
    processes.push(gateway);
    const workers = Array.from({ length: flags.workers }, (_, index) =>
      startTranche(`w${index + 1}`, ['worker', '--nats', url!, '--id', `w${index + 1}`, '--journal-dir', join(work, 'journals'), '--json', '--log-level', logLevel], { cwd: work }),
    );
    processes.push(...workers);
    await Promise.all([gateway.waitFor(/gateway: publishing/), ...workers.map((worker) => worker.waitFor(/ready/))]);
    io.stderr.write(`gateway and ${workers.length} workers (${workers.map((worker) => worker.name).join(', ')}) ready; submitting ${flags.orders} parent orders\n`);

    const transport = await connectCluster({ url, logger: new StderrLogger(logLevel) });
    let marketData = 0;
    const counting = transport.bus.subscribe('md.>').subscribe(() => marketData++);
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() }) as unknown as NodeJS.WriteStream;
    let outcomes: SubmitOutcome[];
    try {
      outcomes = await Promise.all(
        sampleClusterJobs(flags.orders, `d${randomBytes(3).toString('hex')}-`).map((job) =>
          submitOrder({ transport, job, json: true, io: { stdout: quiet, stderr: quiet }, clock: new LiveClock(), timeoutMs: 120_000 }),
        ),
      );
    } finally {
      counting.unsubscribe();
      await transport.close();
    }
    io.stdout.write(`${'order'.padEnd(16)} ${'symbol'.padEnd(9)} ${'side'.padEnd(4)} ${'strategy'.padEnd(8)} ${'filled'.padStart(14)} ${'avg price'.padStart(11)} ${'IS bps'.padStart(7)} worker\n`);
    for (const outcome of outcomes) io.stdout.write(`${reportLine(outcome.report)} ${outcome.workers.join('→')}\n`);
    const byWorker: Record<string, string[]> = {};
    for (const outcome of outcomes) (byWorker[outcome.workers.at(-1) ?? '?'] ??= []).push(outcome.report.id);
    io.stdout.write(`\nwho ran what: ${Object.entries(byWorker).sort().map(([worker, ids]) => `${worker} ${ids.length} (${ids.join(', ')})`).join('; ')}\n`);
    io.stdout.write(`market data received from the gateway meanwhile: ${marketData} messages on md.>\n`);
    await Promise.all(workers.map((worker) => worker.stop('SIGTERM')));
    await gateway.stop('SIGTERM');
    const published = /gateway: (published .*)/.exec(gateway.stdout())?.[1];
    if (published) io.stdout.write(`gateway ${published}\n`);
    return { outcomes, byWorker };
  } finally {
    await Promise.all(processes.map((child) => child.stop('SIGTERM', 10_000)));
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function reportLine(report: ExecutionReport): string {
  const digits = report.averagePrice >= 1000 ? 2 : decimalsOf(0.01) + 1;
  return [
    report.id.padEnd(16),
    report.symbol.padEnd(9),
    report.side.padEnd(4),
    report.strategy.padEnd(8),
    `${report.filledQuantity}/${report.requestedQuantity}`.padStart(14),
    (report.filledQuantity > 0 ? report.averagePrice.toFixed(digits) : '-').padStart(11),
    (report.slippageBps === undefined || report.slippageBps === null ? '-' : report.slippageBps.toFixed(2)).padStart(7),
  ].join(' ');
}
