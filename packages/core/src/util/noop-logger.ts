import type { LogFields, Logger } from '../contracts/logger.js';

/** A logger that drops everything (the default when an app binds none). */
export class NoopLogger implements Logger {
  debug(): void {}
  info(): void {}
  warn(): void {}
  error(): void {}
  child(): Logger {
    return this;
  }
}

/** One captured log line. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps lines in memory (tests, reports). */
export class MemoryLogger implements Logger {
  constructor(
    readonly records: LogRecord[] = [],
    private readonly bound: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new MemoryLogger(this.records, { ...this.bound, ...fields });
  }

  private push(level: LogRecord['level'], message: string, fields?: LogFields): void {
    this.records.push({ level, message, fields: { ...this.bound, ...fields } });
  }
}
