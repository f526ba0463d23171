import { L2Book } from '@tranche/core';
import { EventKind, RowSide, type ColumnarCapture, type Recording } from '@tranche/feed-replay';
import { runPipeline, wholeCaptureTwap } from './bench-pipeline.js';
import { atLeast, atMost, nowMs, type BenchContext, type BenchSection, type BenchSectionResult } from './bench-section.js';

/** Target of the pipeline's throughput, rows per second. */
export const THROUGHPUT_TARGET_ROWS_PER_SECOND = 1_000_000;
/** The pipeline may be at most this many times slower than the plain loop. */
export const SLOWDOWN_TARGET = 3;

/** What the plain loop computed (returned so the work cannot be optimized away) and how long it took. */
export interface PlainLoopRun {
  readonly rows: number;
  readonly messages: number;
  readonly elapsedMs: number;
  /** Volume-weighted average trade price of each capture. */
  readonly vwap: readonly number[];
  /** Sum of the best bid and ask after every book event (a checksum). */
  readonly touchChecksum: number;
}

/**
 * The baseline: a hand-written loop over the columnar arrays doing the same book and
 * VWAP work as the pipeline's core — level rows applied to an `L2Book`, trade VWAP
 * accumulated, best bid and ask read after each book event — with no events, streams,
 * strategies or venue.
 */
export function plainLoop(recording: Recording): PlainLoopRun {
  const started = nowMs();
  let rows = 0;
  let messages = 0;
  let touchChecksum = 0;
  const vwap: number[] = [];
  for (const capture of recording.captures) {
    const result = plainCaptureLoop(capture);
    rows += result.rows;
    messages += capture.eventCount;
    touchChecksum += result.touchChecksum;
    vwap.push(result.vwap);
  }
  return { rows, messages, elapsedMs: nowMs() - started, vwap, touchChecksum };
}

function plainCaptureLoop(capture: ColumnarCapture): { rows: number; vwap: number; touchChecksum: number } {
  const { eventKind, eventRowEnd, rowPrice, rowQuantity, rowSide } = capture.columns;
  let book = new L2Book(capture.symbol);
  let notional = 0;
  let volume = 0;
  let touchChecksum = 0;
  let start = 0;
  const events = eventKind.length;
  for (let event = 0; event < events; event++) {
    const end = eventRowEnd[event]!;
    const kind = eventKind[event]!;
    if (kind === EventKind.trade) {
      const quantity = rowQuantity[start]!;
      notional += rowPrice[start]! * quantity;
      volume += quantity;
    } else {
      if (kind === EventKind.bookSnapshot) book = new L2Book(capture.symbol);
      for (let row = start; row < end; row++) {
        if (rowSide[row] === RowSide.bidOrBuy) book.setBid(rowPrice[row]!, rowQuantity[row]!);
        else book.setAsk(rowPrice[row]!, rowQuantity[row]!);
      }
      touchChecksum += book.bestBid() + book.bestAsk();
    }
    start = end;
  }
  return { rows: start, vwap: volume > 0 ? notional / volume : Number.NaN, touchChecksum };
}

/** Replay throughput: the composed pipeline against the plain loop, same events, same run. */
export const replayThroughputSection: BenchSection = {
  id: 'replay',
  title: 'Replay throughput (warm columnar cache; replay phase only)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    const repeats = context.quick ? 1 : 3;
    let plain: PlainLoopRun | undefined;
    for (let index = 0; index < repeats; index++) {
      const run = plainLoop(context.recording);
      if (!plain || run.elapsedMs < plain.elapsedMs) plain = run;
    }
    let best: Awaited<ReturnType<typeof runPipeline>> | undefined;
    for (let index = 0; index < repeats; index++) {
      context.progress(`replay: pipeline run ${index + 1}/${repeats}`);
      const run = await runPipeline({ recording: context.recording, orders: wholeCaptureTwap, logger: context.logger });
      if (!best || run.rows / run.replayMs > best.rows / best.replayMs) best = run;
    }
    const pipeline = best!;
    const baseline = plain!;
    const eventsPerSecond = (pipeline.rows / pipeline.replayMs) * 1_000;
    const baselineEventsPerSecond = (baseline.rows / baseline.elapsedMs) * 1_000;
    const messagesPerSecond = (pipeline.messages / pipeline.replayMs) * 1_000;
    const baselineMessagesPerSecond = (baseline.messages / baseline.elapsedMs) * 1_000;
    const slowdown = baselineEventsPerSecond / eventsPerSecond;
    const report = pipeline.reports[0];
    return {
      figures: [
        {
          name: 'events/s (rows: trades + level changes)',
          value: eventsPerSecond,
          unit: '/s',
          baseline: { name: 'plain loop', value: baselineEventsPerSecond },
          target: `≥ ${THROUGHPUT_TARGET_ROWS_PER_SECOND.toLocaleString('en-US')}/s`,
          pass: atLeast(eventsPerSecond, THROUGHPUT_TARGET_ROWS_PER_SECOND),
        },
        {
          name: 'slowdown vs the plain loop',
          value: slowdown,
          unit: '×',
          target: `≤ ${SLOWDOWN_TARGET}×`,
          pass: atMost(slowdown, SLOWDOWN_TARGET),
        },
        { name: 'messages/s (MarketEvents: trades + book diffs)', value: messagesPerSecond, unit: '/s', baseline: { name: 'plain loop', value: baselineMessagesPerSecond } },
        { name: 'replay wall time', value: pipeline.replayMs, unit: 'ms', baseline: { name: 'plain loop', value: baseline.elapsedMs } },
      ],
      notes: [
        `${pipeline.rows.toLocaleString('en-US')} rows in ${pipeline.messages.toLocaleString('en-US')} messages (${context.recording.symbols().join(', ')}); best of ${repeats} run(s) each.`,
        `Pipeline: default plugins, one TWAP over the whole capture (${report ? `${report.status}, ${report.childOrders.length} child orders, ${report.fills.length} fills` : 'no report'}), quality monitor + metrics collector on, SQLite history in memory.`,
      ],
      json: {
        eventsPerSecond,
        baselineEventsPerSecond,
        messagesPerSecond,
        baselineMessagesPerSecond,
        slowdown,
        events: pipeline.rows,
        messages: pipeline.messages,
        replayMs: pipeline.replayMs,
        baselineMs: baseline.elapsedMs,
        runs: repeats,
        definitions: {
          event: 'one row of the capture: a trade or one price-level change (the unit the columnar cache stores)',
          message: 'one MarketEvent as emitted: a trade, or a book snapshot/diff carrying many level rows',
          baseline: 'a hand-written loop over the same columnar arrays applying level rows to an L2Book and accumulating trade VWAP and best bid/ask',
        },
      },
    };
  },
};
