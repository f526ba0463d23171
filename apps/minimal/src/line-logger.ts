import type { LogFields, Logger } from '@tranche/core';
import { MINIMAL_LOG_LEVELS, type MinimalLogLevel } from './minimal-settings.schema.js';

/** Something lines can be written to (a process stream, or a buffer in tests). */
export interface LineSink {
  write(chunk: string): unknown;
}

/**
 * The app's own `Logger` (the core contract): one JSON object per line on the sink,
 * below `level` dropped. A desk would plug its log shipper in here; Tranche's library
 * code only ever sees the `Logger` interface.
 */
export class LineLogger implements Logger {
  /**
   * @param sink - where lines go (the app passes its stderr, so stdout stays clean for `--json`)
   * @param level - lowest level written
   * @param bound - fields added to every line (see `child`)
   */
  constructor(
    private readonly sink: LineSink,
    private readonly level: MinimalLogLevel = 'warn',
    private readonly bound: LogFields = {},
  ) {}

  /** Writes a debug line. */
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  /** Writes an info line. */
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  /** Writes a warning line. */
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  /** Writes an error line. */
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    return new LineLogger(this.sink, this.level, { ...this.bound, ...fields });
  }

  private log(level: Exclude<MinimalLogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (MINIMAL_LOG_LEVELS.indexOf(level) < MINIMAL_LOG_LEVELS.indexOf(this.level)) return;
    this.sink.write(`${JSON.stringify({ level, msg: message, ...this.bound, ...fields })}\n`);
  }
}
