import { concurrentTwaps, runPipeline, type PipelineRun } from './bench-pipeline.js';
import { collectGarbage, type BenchContext, type BenchFigure, type BenchSection, type BenchSectionResult } from './bench-section.js';
import { repeatRecording } from './repeated-capture.js';

interface ScalePoint {
  readonly label: string;
  readonly copies: number;
  readonly orders: number;
  readonly rows: number;
  readonly messages: number;
  readonly replayMs: number;
  readonly eventsPerSecond: number;
  /** Cost per row relative to the 1×, 1-order run (1 = linear). */
  readonly relativeCostPerEvent: number;
  readonly childOrders: number;
  readonly fills: number;
  readonly heapUsedBytes: number;
  /** Bytes the repeated columns would take if stored (the runs use views of the 1× columns). */
  readonly columnBytes: number;
}

function point(label: string, copies: number, orders: number, run: PipelineRun, columnBytes: number, reference?: PipelineRun): ScalePoint {
  const costPerRow = run.replayMs / run.rows;
  collectGarbage();
  return {
    label,
    copies,
    orders,
    rows: run.rows,
    messages: run.messages,
    replayMs: run.replayMs,
    eventsPerSecond: (run.rows / run.replayMs) * 1_000,
    relativeCostPerEvent: reference ? costPerRow / (reference.replayMs / reference.rows) : 1,
    childOrders: run.reports.reduce((sum, report) => sum + report.childOrders.length, 0),
    fills: run.reports.reduce((sum, report) => sum + report.fills.length, 0),
    heapUsedBytes: process.memoryUsage().heapUsed,
    columnBytes,
  };
}

/**
 * Scale: the pipeline over 1×, 10× and 100× the events (the captures repeated,
 * time-shifted) with one TWAP over all of it, and over 1× with 1, 10 and 100 TWAPs
 * running together; each against the 1×, one-order run of the same bench.
 */
export const scaleSection: BenchSection = {
  id: 'scale',
  title: 'Scale (events × copies of the captures; concurrent parent orders)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    const copiesList = context.quick ? [1, 2] : [1, 10, 100];
    const ordersList = context.quick ? [1, 2] : [1, 10, 100];
    const base = context.recording.byteLength;
    let reference: PipelineRun | undefined;
    const byEvents: ScalePoint[] = [];
    for (const copies of copiesList) {
      context.progress(`scale: ${copies}× the events`);
      const run = await runPipeline({ recording: repeatRecording(context.recording, copies), orders: concurrentTwaps(1), logger: context.logger });
      reference ??= run;
      byEvents.push(point(`${copies}× events`, copies, 1, run, base * copies, reference));
    }
    const byOrders: ScalePoint[] = [];
    for (const orders of ordersList) {
      context.progress(`scale: ${orders} concurrent parent order(s)`);
      const run = orders === 1 && reference ? reference : await runPipeline({ recording: context.recording, orders: concurrentTwaps(orders), logger: context.logger });
      byOrders.push(point(`${orders} order(s)`, 1, orders, run, base, reference));
    }
    const figures: BenchFigure[] = [...byEvents, ...byOrders].map((entry) => ({
      name: `${entry.label}: events/s (cost per event ×${entry.relativeCostPerEvent.toFixed(2)})`,
      value: entry.eventsPerSecond,
      unit: '/s',
      baseline: { name: '1×, 1 order', value: byEvents[0]!.eventsPerSecond },
    }));
    const table = [
      'run               rows          messages     replay ms   events/s     cost/event  child orders  fills   heap MiB  columns MiB',
      ...[...byEvents, ...byOrders].map(
        (entry) =>
          `${entry.label.padEnd(16)}  ${entry.rows.toLocaleString('en-US').padStart(12)}  ${entry.messages.toLocaleString('en-US').padStart(11)}  ${entry.replayMs.toFixed(0).padStart(10)}  ` +
          `${Math.round(entry.eventsPerSecond).toLocaleString('en-US').padStart(11)}  ${`×${entry.relativeCostPerEvent.toFixed(2)}`.padStart(10)}  ${String(entry.childOrders).padStart(12)}  ` +
          `${String(entry.fills).padStart(5)}  ${(entry.heapUsedBytes / 1_048_576).toFixed(1).padStart(8)}  ${(entry.columnBytes / 1_048_576).toFixed(1).padStart(11)}`,
      ),
      'cost/event: wall time per row relative to the 1×, 1-order run (1.00 = cost grows linearly with the work). Repeated captures are views of the 1× columns (the columns column is what storing them would take).',
    ];
    return { figures, notes: table, json: { events: byEvents, orders: byOrders } };
  },
};
