import { z } from 'zod';

/** Levels a Tranche logger filters on, in increasing severity; `silent` drops everything. */
export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error', 'silent']);
/** A log level. */
export type LogLevel = z.infer<typeof LogLevelSchema>;

/** Where the terminal lines go and how they look: `auto` is pretty on a TTY, JSON otherwise. */
export const LogFormatSchema = z.enum(['auto', 'pretty', 'json']);
/** A log format. */
export type LogFormat = z.infer<typeof LogFormatSchema>;

/** A file destination with size-based rotation (always JSON lines). */
export const LogFileSchema = z
  .object({
    /**
     * The live log file; rotated files are `<path>.1` (newest) … `<path>.<keep>`. Required by
     * `createPinoLogger`; a config section may leave it to the app (the runner's `--log-file`).
     */
    path: z.string().min(1).optional().describe('The live log file; rotated files are <path>.1 (newest) … <path>.<keep>. A config section may leave it to the app (the runner\'s --log-file).'),
    /** Rotate before the live file would pass this many bytes (default 10 MiB). */
    maxBytes: z.number().int().min(1_024).default(10 * 1_024 * 1_024).describe('Rotate before the live file would pass this many bytes (default 10 MiB).'),
    /** Rotated files kept besides the live one (default 5). */
    keep: z.number().int().min(0).max(1_000).default(5).describe('Rotated files kept besides the live one.'),
  })
  .strict();
/** A file destination with rotation. */
export type LogFile = z.infer<typeof LogFileSchema>;

/**
 * Options of `createPinoLogger`, and the `logger-pino` config section (snake_case keys
 * work too: `max_bytes`). Unknown keys are errors.
 */
export const PinoLoggerOptionsSchema = z
  .object({
    /** Level of every line whose logger has no component level (default `info`). */
    level: LogLevelSchema.default('info').describe('Level of every line whose logger has no component level.'),
    /**
     * Levels by the `component` field of child loggers (`execution`, `engine`, `strategy`,
     * `router`, `asset-cache`, `risk`, `optimizer`, `feed`, `venue`, `monitor-quality`,
     * `monitor-execution`, `market-state-monitor`, `notifier`, …); a child inherits its parent's.
     */
    components: z
      .record(z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { error: 'must be a kebab-case component name' }), LogLevelSchema)
      .default({}).describe('Levels by the component field of child loggers (execution, engine, strategy, router, asset-cache, risk, optimizer, feed, venue, monitor-quality, monitor-execution, market-state-monitor, notifier, …); a child inherits its parent\'s.'),
    /** Terminal format: `auto` (pretty on a TTY, JSON otherwise), `pretty` or `json`. */
    format: LogFormatSchema.default('auto').describe('Terminal format: auto (pretty on a TTY, JSON otherwise), pretty or json.'),
    /** Also write JSON lines to this file, rotated by size. */
    file: LogFileSchema.optional().describe('Also write JSON lines to this file, rotated by size.'),
    /** Whether lines go to the terminal destination (stderr by default) at all. */
    terminal: z.boolean().default(true).describe('Whether lines go to the terminal destination (stderr by default) at all.'),
    /** More field names whose values are secrets (besides apiKey, secret, password, token, signature, authorization, privateKey, …). */
    redact: z.array(z.string().min(1)).default([]).describe('More field names whose values are secrets (besides apiKey, secret, password, token, signature, authorization, privateKey, …).'),
  })
  .strict();
/** Parsed options of `createPinoLogger`. */
export type PinoLoggerOptions = z.infer<typeof PinoLoggerOptionsSchema>;
/** Options of `createPinoLogger` as written (every key has a default). */
export type PinoLoggerOptionsInput = z.input<typeof PinoLoggerOptionsSchema>;
