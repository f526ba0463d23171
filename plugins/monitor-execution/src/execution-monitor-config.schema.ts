import { z } from 'zod';

/** The `monitor-execution` config section. Strict: unknown keys are errors; every key has a default. */
export const ExecutionMonitorConfigSchema = z
  .object({
    /** How often (ms, on the clock's scheduler) running executions are checked for alerts and their time left updated. */
    checkIntervalMs: z.number().int().positive().default(1_000).describe('How often (ms, on the clock\'s scheduler) running executions are checked for alerts and their time left updated.'),
    /** `stalled` when a working execution has had no fill and no child-order activity for this long (ms). */
    stalledAfterMs: z.number().int().positive().default(60_000).describe('`stalled` when a working execution has had no fill and no child-order activity for this long (ms).'),
    /** Trailing window (ms) of the recent fill rate that projects the completion time. */
    fillRateWindowMs: z.number().int().positive().default(60_000).describe('Trailing window (ms) of the recent fill rate that projects the completion time.'),
    /** No `deadline-at-risk` before the execution has run this long (ms): the first fills say little about the pace. */
    deadlineMinElapsedMs: z.number().int().nonnegative().default(10_000).describe('No `deadline-at-risk` before the execution has run this long (ms): the first fills say little about the pace.'),
    /** `deadline-at-risk` when the projected completion is later than the end time by more than this share of the window (0.25 = a quarter). */
    deadlineTolerance: z.number().min(0).default(0.25).describe('`deadline-at-risk` when the projected completion is later than the end time by more than this share of the window (0.25 = a quarter).'),
    /** Also publish alerts as `alert` execution events (on the engine's `events$`), not only on `alerts$`. */
    publishAlertEvents: z.boolean().default(true).describe('Also publish alerts as `alert` execution events (on the engine\'s `events$`), not only on `alerts$`.'),
    /** Ended executions whose last progress stays available to `progress(id)` and `progress$(id)`. */
    keepEnded: z.number().int().nonnegative().default(100).describe('Ended executions whose last progress stays available to `progress(id)` and `progress$(id)`.'),
  })
  .strict();
/** The parsed `monitor-execution` config section. */
export type ExecutionMonitorConfig = z.infer<typeof ExecutionMonitorConfigSchema>;
/** The `monitor-execution` config section as a user writes it. */
export type ExecutionMonitorConfigInput = z.input<typeof ExecutionMonitorConfigSchema>;
/** Token under which the parsed `monitor-execution` config section is bound. */
export const ExecutionMonitorConfig = Symbol.for('tranche.monitor-execution.config');
