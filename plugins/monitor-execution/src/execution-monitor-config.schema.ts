import { z } from 'zod';

/** The `monitor-execution` config section. Strict: unknown keys are errors; every key has a default. */
export const ExecutionMonitorConfigSchema = z
  .object({
    /** How often (ms, on the clock's scheduler) running executions are checked for alerts and their time left updated. */
    checkIntervalMs: z.number().int().positive().default(1_000),
    /** `stalled` when a working execution has had no fill and no child-order activity for this long (ms). */
    stalledAfterMs: z.number().int().positive().default(60_000),
    /** Trailing window (ms) of the recent fill rate that projects the completion time. */
    fillRateWindowMs: z.number().int().positive().default(60_000),
    /** No `deadline-at-risk` before the execution has run this long (ms): the first fills say little about the pace. */
    deadlineMinElapsedMs: z.number().int().nonnegative().default(10_000),
    /** `deadline-at-risk` when the projected completion is later than the end time by more than this share of the window (0.25 = a quarter). */
    deadlineTolerance: z.number().min(0).default(0.25),
    /** Also publish alerts as `alert` execution events (on the engine's `events$`), not only on `alerts$`. */
    publishAlertEvents: z.boolean().default(true),
    /** Ended executions whose last progress stays available to `progress(id)` and `progress$(id)`. */
    keepEnded: z.number().int().nonnegative().default(100),
  })
  .strict();
/** The parsed `monitor-execution` config section. */
export type ExecutionMonitorConfig = z.infer<typeof ExecutionMonitorConfigSchema>;
/** The `monitor-execution` config section as a user writes it. */
export type ExecutionMonitorConfigInput = z.input<typeof ExecutionMonitorConfigSchema>;
/** Token under which the parsed `monitor-execution` config section is bound. */
export const ExecutionMonitorConfig = Symbol.for('tranche.monitor-execution.config');
