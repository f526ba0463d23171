import type { LogFields, Logger } from '@tranche/core';

/** Log levels in increasing severity. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The runner's logger: one line per record on stderr, human-readable on a terminal and
 * JSON otherwise, so stdout stays clean for `--json` output.
 */
export class StderrLogger implements Logger {
  constructor(
    private readonly level: LogLevel,
    private readonly json = !process.stderr.isTTY,
    private readonly bound: LogFields = {},
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new StderrLogger(this.level, this.json, { ...this.bound, ...fields }, this.write);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.level)) return;
    const all = { ...this.bound, ...fields };
    if (this.json) {
      this.write(JSON.stringify({ level, msg: message, ...all }));
      return;
    }
    const extra = Object.entries(all)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    this.write(`${level.padEnd(5)} ${message}${extra ? ` ${extra}` : ''}`);
  }
}
