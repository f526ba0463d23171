import type { LogFields } from '@tranche/core';
import { RunnerLogger } from './logging.js';

/** Log levels in increasing severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Formats of the runner's terminal log lines (`--log-format`). */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

/**
 * The runner's logger on stderr at one level: a `RunnerLogger` (pino) without a config
 * section. `json` forces JSON (true) or pretty (false) lines instead of `auto` (pretty on a
 * terminal, JSON otherwise), so stdout stays clean for `--json` output.
 */
export class StderrLogger extends RunnerLogger {
  constructor(level: LogLevel, json?: boolean, bound: LogFields = {}, write?: (line: string) => void) {
    super({ level, ...(json === undefined ? {} : { format: json ? 'json' : 'pretty' }), ...(write === undefined ? {} : { write }) }, bound);
  }
}
