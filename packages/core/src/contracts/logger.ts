/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * Minimal structured logger. Library code logs through this, never `console`; the
 * runner decides where lines go (terminal, JSON, file).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}
/** Token of the `Logger` contract. */
export const Logger = Symbol.for('tranche.Logger');
