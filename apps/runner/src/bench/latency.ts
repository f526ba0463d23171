import { Subject } from 'rxjs';
import { concurrentTwaps, runPipeline } from './bench-pipeline.js';
import { atMost, nowMs, quantile, type BenchContext, type BenchSection, type BenchSectionResult } from './bench-section.js';

/** Targets of the decision latency, µs. */
export const LATENCY_TARGETS_US = { p50: 1, p99: 5 } as const;

/** The floor: a Subject emitting to a marking subscriber and a timing subscriber and nothing else, µs per emit. */
export function emptyEmitBaseline(count: number): Float64Array {
  const subject = new Subject<number>();
  const samples = new Float64Array(count);
  let start = 0;
  let index = 0;
  subject.subscribe(() => (start = nowMs()));
  subject.subscribe(() => (samples[index++] = (nowMs() - start) * 1_000));
  for (let emitted = 0; emitted < count; emitted++) subject.next(emitted);
  return samples.sort();
}

function summary(sorted: Float64Array): { count: number; p50Us: number; p99Us: number; p999Us: number; maxUs: number; meanUs: number } {
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50Us: quantile(sorted, 0.5),
    p99Us: quantile(sorted, 0.99),
    p999Us: quantile(sorted, 0.999),
    maxUs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    meanUs: sorted.length > 0 ? sum / sorted.length : Number.NaN,
  };
}

/**
 * Decision latency, in process: the wall time from the replay taking up a market event
 * (moving virtual time to it, which fires the strategy timers due by then, and
 * publishing it to every subscriber: venue matching, asset cache, market-state
 * monitor, strategies) to each child-order intent decided on it; exact samples, not
 * histogram buckets. Also the whole synchronous dispatch of every market event.
 * Baseline: the same two timing points around an otherwise empty Subject.
 */
export const latencySection: BenchSection = {
  id: 'latency',
  title: 'Decision latency (market event → child-order intent, in process)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    const orders = context.quick ? 4 : 20;
    const slices = context.quick ? 20 : 60;
    context.progress(`latency: ${orders} concurrent TWAPs (${slices} randomized slices each) with timing hooks`);
    const run = await runPipeline({
      recording: context.recording,
      orders: concurrentTwaps(orders, { slices, randomization: 0.3 }),
      logger: context.logger,
      latency: true,
    });
    const decision = summary(run.decisionUs!);
    const fromTrigger = summary(run.decisionFromTriggerUs!);
    const dispatch = summary(run.dispatchUs!);
    const empty = summary(emptyEmitBaseline(Math.max(10_000, run.messages)));
    return {
      figures: [
        { name: 'decision p50', value: decision.p50Us, unit: 'µs', baseline: { name: 'empty emit p50', value: empty.p50Us }, target: `≤ ${LATENCY_TARGETS_US.p50} µs`, pass: atMost(decision.p50Us, LATENCY_TARGETS_US.p50) },
        { name: 'decision p99', value: decision.p99Us, unit: 'µs', baseline: { name: 'empty emit p99', value: empty.p99Us }, target: `≤ ${LATENCY_TARGETS_US.p99} µs`, pass: atMost(decision.p99Us, LATENCY_TARGETS_US.p99) },
        { name: 'decision p99.9', value: decision.p999Us, unit: 'µs', baseline: { name: 'empty emit p99.9', value: empty.p999Us } },
        { name: 'decision from its trigger p50', value: fromTrigger.p50Us, unit: 'µs', baseline: { name: 'empty emit p50', value: empty.p50Us } },
        { name: 'decision from its trigger p99', value: fromTrigger.p99Us, unit: 'µs', baseline: { name: 'empty emit p99', value: empty.p99Us } },
        { name: 'event dispatch p50 (every event)', value: dispatch.p50Us, unit: 'µs', baseline: { name: 'empty emit p50', value: empty.p50Us } },
        { name: 'event dispatch p99 (every event)', value: dispatch.p99Us, unit: 'µs', baseline: { name: 'empty emit p99', value: empty.p99Us } },
      ],
      notes: [
        `${decision.count.toLocaleString('en-US')} child-order decisions made while a market event was being taken up (${orders} concurrent TWAPs, ${slices} randomized slices each, over the capture); ` +
          `${dispatch.count.toLocaleString('en-US')} events dispatched. Decisions made on venue answers (between events) are not counted.`,
      ],
      json: {
        p50Us: decision.p50Us,
        p99Us: decision.p99Us,
        p999Us: decision.p999Us,
        maxUs: decision.maxUs,
        meanUs: decision.meanUs,
        samples: decision.count,
        fromTrigger,
        dispatch,
        baseline: empty,
        definitions: {
          decision: 'wall time from the replay taking up a market event (clock advanced to its time, due timers fired, event published) to each child-order intent decided synchronously on it',
          fromTrigger: 'the same decisions timed from what set each off: the strategy timer that fired at the event\'s time, or the event reaching the subscribers',
          dispatch: "wall time of one market event's whole synchronous pass: clock advance (due timers) and every subscriber",
          baseline: 'the same two timing subscribers on a Subject with no other subscriber',
        },
      },
    };
  },
};
