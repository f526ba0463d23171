import { z } from 'zod';
import { Histogram } from '@tranche/core';

const Bounds = z
  .array(z.number().finite().nonnegative())
  .min(1)
  .refine((bounds) => bounds.every((bound, index) => index === 0 || bound > bounds[index - 1]!), { error: 'must be strictly ascending' });

/** Default decision-latency bounds: 1 µs to 1 s, 8 per decade. */
export const DEFAULT_DECISION_LATENCY_BOUNDS_US: readonly number[] = Histogram.logBounds(1, 1e6, 8);
/** Default data-time acknowledgement bounds in ms: 0 (same instant) to 30 s. */
export const DEFAULT_ACK_LATENCY_BOUNDS_MS: readonly number[] = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Default wall-time acknowledgement bounds: 1 µs to 10 s, 8 per decade. */
export const DEFAULT_ACK_LATENCY_WALL_BOUNDS_US: readonly number[] = Histogram.logBounds(1, 1e7, 8);

/** The `metrics-collector` config section. Strict: unknown keys are errors; every key has a default. */
export const PerformanceMetricsConfigSchema = z
  .object({
    /** Trailing window (ms of data time) of the events-per-second gauges. */
    rateWindowMs: z.number().int().positive().default(10_000).describe('Trailing window (ms of data time) of the events-per-second gauges.'),
    /** Resolution (ms) of the event rates; the peak rate is per bucket. */
    rateBucketMs: z.number().int().positive().default(1_000).describe('Resolution (ms) of the event rates; the peak rate is per bucket.'),
    /** Time the path from each market event to the child-order decisions it triggers (wall clock, `performance.now()`). */
    measureDecisionLatency: z.boolean().default(true).describe('Time the path from each market event to the child-order decisions it triggers (wall clock, `performance.now()`).'),
    /** Bucket upper bounds of `decision_latency_us`. */
    decisionLatencyBoundsUs: Bounds.default([...DEFAULT_DECISION_LATENCY_BOUNDS_US]).describe('Bucket upper bounds of `decision_latency_us`.'),
    /** Bucket upper bounds of `order_ack_latency_ms` (data time). */
    ackLatencyBoundsMs: Bounds.default([...DEFAULT_ACK_LATENCY_BOUNDS_MS]).describe('Bucket upper bounds of `order_ack_latency_ms` (data time).'),
    /** Bucket upper bounds of `order_ack_latency_wall_us`. */
    ackLatencyWallBoundsUs: Bounds.default([...DEFAULT_ACK_LATENCY_WALL_BOUNDS_US]).describe('Bucket upper bounds of `order_ack_latency_wall_us`.'),
  })
  .strict()
  .refine((config) => config.rateWindowMs >= config.rateBucketMs, { error: 'rateWindowMs must be at least rateBucketMs', path: ['rateWindowMs'] });
/** The parsed `metrics-collector` config section. */
export type PerformanceMetricsConfig = z.infer<typeof PerformanceMetricsConfigSchema>;
/** The `metrics-collector` config section as a user writes it. */
export type PerformanceMetricsConfigInput = z.input<typeof PerformanceMetricsConfigSchema>;
/** Token under which the parsed `metrics-collector` config section is bound. */
export const PerformanceMetricsConfig = Symbol.for('tranche.metrics-collector.config');
