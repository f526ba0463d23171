import { pino, type Logger as Pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { TrancheError, parseInput, type LogFields, type Logger } from '@tranche/core';
import { PinoLoggerOptionsSchema, type LogLevel, type PinoLoggerOptions } from './pino-logger-options.schema.js';
import { pinoRedactPaths, redactFields, redactText, REDACTED, secretKeySet } from './redact.js';
import { RotatingFileDestination } from './rotating-file-destination.js';

/** Where terminal lines go: anything with a `write(line)` (stderr by default). */
export interface LogDestination {
  write(line: string): unknown;
  /** A TTY gets pretty lines under `format: auto`. */
  readonly isTTY?: boolean | undefined;
}

/** Non-serializable settings of `createPinoLogger`. */
export interface PinoLoggerIo {
  /** The terminal destination (default `process.stderr`, looked up at each line). */
  destination?: LogDestination;
}

/** Keys pino writes itself: a field of the same name is renamed `<key>_` so lines stay valid JSON with one value per key. */
const RESERVED_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** A level a line can be written at (every level but `silent`). */
export type WritableLogLevel = Exclude<LogLevel, 'silent'>;

/**
 * A core `Logger` over pino: JSON lines (or pino-pretty on a terminal), levels by the
 * `component` field of child loggers, secrets redacted from field values (by name at any
 * depth, and pino `redact` paths) and from message text, an optional rotating file.
 */
export class PinoTrancheLogger implements Logger {
  /** @internal Use `createPinoLogger`. */
  constructor(
    private readonly pino: Pino,
    private readonly options: PinoLoggerOptions,
    private readonly extraSecretKeys: ReadonlySet<string>,
    private readonly release: () => void,
    private readonly root: Pino = pino,
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  /** The level this logger filters on (its component's, or the inherited one). */
  get level(): LogLevel {
    return this.pino.level as LogLevel;
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  /** Whether a line at `level` would be written. */
  isLevelEnabled(level: WritableLogLevel): boolean {
    return this.pino.isLevelEnabled(level);
  }

  /** A child adding `fields` to every line; a `component` field with a configured level sets the child's level. */
  child(fields: LogFields): Logger {
    const component = fields['component'];
    const level = typeof component === 'string' ? this.options.components[component] : undefined;
    const added = this.clean(fields);
    const bindings = { ...this.bindings, ...added };
    // pino appends a child's bindings to its parent's: a key bound again (a more specific `component`) would be written twice, so rebind from the root.
    const rebinding = Object.keys(added).some((key) => key in this.bindings);
    const child = rebinding
      ? this.root.child(bindings, { level: level ?? this.pino.level })
      : level === undefined
        ? this.pino.child(added)
        : this.pino.child(added, { level });
    return new PinoTrancheLogger(child, this.options, this.extraSecretKeys, this.release, this.root, bindings);
  }

  /** Closes the file destination, if any (terminal lines are written synchronously). */
  close(): void {
    this.release();
  }

  private write(level: WritableLogLevel, message: string, fields?: LogFields): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const text = redactText(message);
    if (fields === undefined) this.pino[level](text);
    else this.pino[level](this.clean(fields), text);
  }

  private clean(fields: LogFields): Record<string, unknown> {
    const redacted = redactFields(fields, this.extraSecretKeys) as Record<string, unknown>;
    for (const key of Object.keys(redacted)) {
      if (!RESERVED_KEYS.has(key)) continue;
      redacted[`${key}_`] = redacted[key];
      delete redacted[key];
    }
    return redacted;
  }
}

/**
 * Builds a core `Logger` on pino from zod-validated options (see
 * `PinoLoggerOptionsSchema`; a bad option is one validation `TrancheError` naming it).
 * Terminal lines go to `io.destination` (stderr by default): pretty (pino-pretty,
 * formatted in-process and synchronously, no worker thread) when `format` is `pretty`,
 * or `auto` on a TTY; JSON lines otherwise. With `file`, JSON lines also go to a
 * size-rotated file.
 */
export function createPinoLogger(input: unknown = {}, io: PinoLoggerIo = {}): PinoTrancheLogger {
  const options = parseInput(PinoLoggerOptionsSchema, input, 'logger options');
  const terminal: LogDestination = io.destination ?? {
    write: (line: string) => process.stderr.write(line),
    get isTTY() {
      return process.stderr.isTTY;
    },
  };
  const pretty = options.format === 'pretty' || (options.format === 'auto' && terminal.isTTY === true);
  const format = pretty
    ? prettyFactory({ colorize: terminal.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : undefined;
  if (options.file && options.file.path === undefined) {
    throw new TrancheError('validation', 'invalid logger options: file.path is required (where the log file goes)', { field: 'file.path', retryable: false });
  }
  const file = options.file ? new RotatingFileDestination({ ...options.file, path: options.file.path! }) : undefined;
  const destination = {
    write(line: string): void {
      if (options.terminal) terminal.write(format ? format(line) : line);
      file?.write(line);
    },
  };
  const root = pino(
    {
      level: options.level,
      redact: { paths: pinoRedactPaths(options.redact), censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return new PinoTrancheLogger(root, options, secretKeySet(options.redact), () => file?.close());
}
