import { z } from 'zod';

/** The `monitor-quality` config section. Strict: unknown keys are errors; every key has a default. */
export const QualityMonitorConfigSchema = z
  .object({
    /** Keep a record open until the 1- and 5-minute markouts are known (or the data ends); `false`: final at the end, markouts `null`. */
    waitForMarkouts: z.boolean().default(true).describe('Keep a record open until the 1- and 5-minute markouts are known (or the data ends); `false`: final at the end, markouts `null`.'),
    /** A mid older than this (ms of data time) at a fill or markout time does not count. */
    maxMidAgeMs: z.number().int().nonnegative().default(10_000).describe('A mid older than this (ms of data time) at a fill or markout time does not count.'),
    /** Executions shorter than this (ms) are sized against the market volume of this long before their end. */
    sizeReferenceHorizonMs: z.number().int().positive().default(60_000).describe('Executions shorter than this (ms) are sized against the market volume of this long before their end.'),
    /** Final records kept in memory for `records()`, `aggregate()` and the snapshot (the oldest go first). */
    maxRecords: z.number().int().positive().default(10_000).describe('Final records kept in memory for `records()`, `aggregate()` and the snapshot (the oldest go first).'),
    /** Save every final record to the `ExecutionHistoryStore`, when one is bound. */
    saveToHistory: z.boolean().default(true).describe('Save every final record to the `ExecutionHistoryStore`, when one is bound.'),
  })
  .strict();
/** The parsed `monitor-quality` config section. */
export type QualityMonitorConfig = z.infer<typeof QualityMonitorConfigSchema>;
/** The `monitor-quality` config section as a user writes it. */
export type QualityMonitorConfigInput = z.input<typeof QualityMonitorConfigSchema>;
/** Token under which the parsed `monitor-quality` config section is bound. */
export const QualityMonitorConfig = Symbol.for('tranche.monitor-quality.config');
