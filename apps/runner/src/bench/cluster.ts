import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { filter, firstValueFrom, interval, take, timeout } from 'rxjs';
import { InProcessMessageBus, LiveClock, type Clock, type MessageBus } from '@tranche/core';
import { connectCluster } from '../cluster/connect-cluster.js';
import { sampleClusterJobs } from '../cluster/cluster-orders.js';
import { findNatsServer, startLocalNatsServer, startTranche, type ClusterProcess, type LocalNatsServer } from '../cluster/cluster-processes.js';
import { runClusterJob } from '../cluster/run-cluster-job.js';
import { runGateway } from '../cluster/run-gateway.js';
import { submitOrder } from '../cluster/submit-order.js';
import { nowMs, type BenchContext, type BenchFigure, type BenchSection, type BenchSectionResult } from './bench-section.js';

/** Throughput of messages from publish to a subscriber (all received). */
interface BusRun {
  readonly messages: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
}

/** Orders through the queue with a number of worker processes. */
interface QueueRun {
  readonly workers: number;
  readonly orders: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  /** Orders each worker ran. */
  readonly perWorker: Record<string, number>;
}

/** Publishes `messages` on their subjects through `publisher` and waits until `subscriber` got them all. */
async function busThroughput(publisher: MessageBus, subscriber: MessageBus, messages: readonly { subject: string; message: unknown }[], clock: Clock): Promise<BusRun> {
  let received = 0;
  const all = firstValueFrom(
    subscriber.subscribe('md.>').pipe(
      filter(({ subject }) => !subject.startsWith(WARMUP) && ++received >= messages.length),
      take(1),
      timeout({ first: 120_000 }),
    ),
  );
  // Subscriptions of one connection reach the server in order: once a later one receives, the one above does too.
  const ready = firstValueFrom(subscriber.subscribe(`${WARMUP}.>`).pipe(timeout({ first: 10_000 })));
  const warming = interval(20, clock.scheduler).subscribe(() => void publisher.publish(`${WARMUP}.ticker`, {}).catch(() => undefined));
  try {
    await ready;
  } finally {
    warming.unsubscribe();
  }
  const started = nowMs();
  for (const { subject, message } of messages) void publisher.publish(subject, message);
  await all;
  const elapsedMs = nowMs() - started;
  return { messages: messages.length, elapsedMs, perSecond: (messages.length / elapsedMs) * 1_000 };
}

/** Subject prefix of the messages that check a subscription is live before a measurement. */
const WARMUP = 'md.bench-warmup';

/**
 * Cluster (issue 10): market-data messages per second through NATS (the gateway's
 * recorded messages, publisher and subscriber on separate connections) beside the
 * in-process bus; parent orders per second through the JetStream work queue with 1, 2
 * and 4 worker processes (small orders: a fresh app and replay per order, lease, journal,
 * events, ack) beside the same orders run one after the other in this process. Skipped
 * with a note when nats-server is not installed (tools/ensure-nats-server.sh), except on CI.
 */
export const clusterSection: BenchSection = {
  id: 'cluster',
  title: 'Cluster on NATS JetStream (market data through the bus; parent orders through the work queue by worker count)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    if (findNatsServer() === undefined && !process.env['CI']) {
      const note = 'skipped: nats-server is not installed (run tools/ensure-nats-server.sh or set NATS_SERVER_BIN)';
      return { figures: [], notes: [note], json: { skipped: note } };
    }
    const clock = new LiveClock();
    const work = mkdtempSync(join(tmpdir(), 'tranche-bench-cluster-'));
    let server: LocalNatsServer | undefined;
    const processes: ClusterProcess[] = [];
    try {
      server = await startLocalNatsServer();
      const url = server.url;

      // Market data: what the gateway publishes for the bundled data, captured on the in-process bus.
      context.progress('cluster: gateway replay onto the in-process bus');
      const local = new InProcessMessageBus({ clock, durableSubjects: [] });
      const captured: { subject: string; message: unknown }[] = [];
      const cap = context.quick ? 20_000 : 200_000;
      const capturing = local.subscribe('md.>').subscribe((message) => captured.length < cap && captured.push(message));
      const gateway = await runGateway({ bus: local, speed: 'max', logger: context.logger, data: context.dataDir });
      capturing.unsubscribe();
      const inProcess = await busThroughput(local, local, captured, clock);
      await local.close();
      context.progress(`cluster: ${captured.length} market-data messages through NATS`);
      const publisher = await connectCluster({ url, logger: context.logger });
      const subscriber = await connectCluster({ url, logger: context.logger });
      const nats = await busThroughput(publisher.bus, subscriber.bus, captured, clock);
      await publisher.close();
      await subscriber.close();

      // Orders: the same small orders in this process one after another, then through the queue.
      const count = context.quick ? 4 : 16;
      const workerCounts = context.quick ? [1, 2] : [1, 2, 4];
      const jobs = (tag: string) =>
        sampleClusterJobs(count, `b${tag}-`).map((job) => ({ ...job, order: { ...job.order, type: 'market', quantity: job.order.symbol.startsWith('BTC') ? 0.01 : 0.1, params: {} } }));
      context.progress(`cluster: ${count} orders in this process`);
      const sequentialStarted = nowMs();
      for (const job of jobs('seq')) await runClusterJob(job, { journal: { kind: 'sqlite', dir: join(work, 'seq') }, logger: context.logger }, () => undefined);
      const sequentialMs = nowMs() - sequentialStarted;
      const sequential = (count / sequentialMs) * 1_000;
      const runs: QueueRun[] = [];
      for (const workers of workerCounts) {
        context.progress(`cluster: ${count} orders through the queue, ${workers} worker process(es)`);
        const started = Array.from({ length: workers }, (_, index) =>
          startTranche(`w${index + 1}`, ['worker', '--nats', url, '--id', `bench${workers}-w${index + 1}`, '--journal-dir', join(work, `q${workers}`), '--json'], { cwd: work }),
        );
        processes.push(...started);
        await Promise.all(started.map((worker) => worker.waitFor(/ready/)));
        const transport = await connectCluster({ url, logger: context.logger });
        const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() }) as unknown as NodeJS.WriteStream;
        const begin = nowMs();
        const outcomes = await Promise.all(jobs(`q${workers}`).map((job) => submitOrder({ transport, job, json: true, io: { stdout: quiet, stderr: quiet }, clock, timeoutMs: 180_000 })));
        const elapsedMs = nowMs() - begin;
        await transport.close();
        await Promise.all(started.map((worker) => worker.stop('SIGTERM')));
        const perWorker: Record<string, number> = {};
        for (const outcome of outcomes) perWorker[outcome.workers.at(-1) ?? '?'] = (perWorker[outcome.workers.at(-1) ?? '?'] ?? 0) + 1;
        runs.push({ workers, orders: count, elapsedMs, perSecond: (count / elapsedMs) * 1_000, perWorker });
      }

      const figures: BenchFigure[] = [
        { name: 'market data through NATS, publish → subscriber (msg/s)', value: nats.perSecond, unit: '/s', baseline: { name: 'in-process bus', value: inProcess.perSecond } },
        { name: 'gateway: bundled replay onto the bus (msg/s)', value: gateway.messagesPerSecond, unit: '/s' },
        ...runs.map((run) => ({
          name: `parent orders through the queue, ${run.workers} worker process(es) (orders/s)`,
          value: run.perSecond,
          unit: '/s',
          baseline: { name: 'same orders in one process, one by one', value: sequential },
        })),
      ];
      const notes = [
        `market data: ${captured.length} recorded messages (books, trades, tickers) published on md.<venue>.<symbol>.<kind>; NATS publisher and subscriber on separate connections to a local nats-server.`,
        `orders: ${count} small market orders (BTC/USDT, ETH/USDT), each a fresh app on its own replay of the bundled data, journaled to its own file, events on exec.events.<id>; from the first enqueue to the last final report (workers started beforehand).`,
        ...runs.map((run) => `${run.workers} worker(s): ${(run.elapsedMs / 1000).toFixed(2)} s; per worker ${Object.entries(run.perWorker).sort().map(([worker, n]) => `${worker} ${n}`).join(', ')}`),
        `${availableParallelism()} CPU(s) here: worker processes beyond that share the same CPUs. Per order a worker adds a lease, a journal file and one JetStream acknowledgement per event, awaited in order (an execution's events stay in order across retries).`,
      ];
      return {
        figures,
        notes,
        json: { marketData: { nats, inProcess, gateway: { published: gateway.published, messagesPerSecond: gateway.messagesPerSecond } }, orders: { sequential: { orders: count, elapsedMs: sequentialMs, perSecond: sequential }, queue: runs } },
      };
    } finally {
      await Promise.all(processes.map((child) => child.stop('SIGKILL', 1_000)));
      await server?.stop();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
