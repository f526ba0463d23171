import { normalizeConfigKeys, type LogFields, type Logger } from '@tranche/core';
import { createPinoLogger, type LogFormat, type LogLevel, type PinoTrancheLogger } from '@tranche/logger-pino';

/** The runner's logging settings from the command line (they win over the config's `logger-pino` section). */
export interface RunnerLogFlags {
  /** `--log-level`. */
  level?: LogLevel | undefined;
  /** `--verbose`: debug unless `--log-level` says otherwise. */
  verbose?: boolean | undefined;
  /** `--log-format`. */
  format?: LogFormat | undefined;
  /** `--log-file`: JSON lines to this file (rotation from the config section, or its defaults). */
  file?: string | undefined;
  /** Where terminal lines go (default: `process.stderr`, looked up at each line). */
  write?: ((line: string) => void) | undefined;
}

/** What every `RunnerLogger` of one tree shares: the pino logger it currently writes through. */
interface LoggerRoot {
  flags: RunnerLogFlags;
  current: PinoTrancheLogger;
  generation: number;
}

/**
 * The runner's logger: pino (`@tranche/logger-pino`) on stderr, so stdout stays pure for
 * `--json`; quiet (`warn`) by default, `--verbose` is `debug`, `--log-level` wins. Once
 * the config is read, `configure(section)` applies its `logger-pino` section (levels per
 * component, format, file and rotation) under the flags; children made before follow.
 */
export class RunnerLogger implements Logger {
  private readonly root: LoggerRoot;
  private cached?: { generation: number; logger: Logger };

  constructor(
    flags: RunnerLogFlags | LoggerRoot = {},
    private readonly bound: LogFields = {},
  ) {
    this.root = 'current' in flags ? flags : { flags, current: buildLogger(flags, undefined), generation: 0 };
  }

  debug(message: string, fields?: LogFields): void {
    this.target().debug(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.target().info(message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.target().warn(message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.target().error(message, fields);
  }
  child(fields: LogFields): Logger {
    return new RunnerLogger(this.root, { ...this.bound, ...fields });
  }

  /**
   * Applies a config's `logger-pino` section (as written: snake_case or camelCase, not yet
   * defaulted) under the command-line flags; closes the previous file destination.
   */
  configure(section: unknown): void {
    const next = buildLogger(this.root.flags, section);
    this.root.current.close();
    this.root.current = next;
    this.root.generation++;
  }

  /** Closes the file destination, if any. */
  close(): void {
    this.root.current.close();
  }

  private target(): Logger {
    if (this.cached?.generation !== this.root.generation) {
      const logger = Object.keys(this.bound).length === 0 ? this.root.current : this.root.current.child(this.bound);
      this.cached = { generation: this.root.generation, logger };
    }
    return this.cached.logger;
  }
}

/** The pino options of the runner: its quiet default, then the section, then the flags. */
function buildLogger(flags: RunnerLogFlags, section: unknown): PinoTrancheLogger {
  const written = section !== null && typeof section === 'object' && !Array.isArray(section) ? (normalizeConfigKeys(section) as Record<string, unknown>) : {};
  const options: Record<string, unknown> = { level: 'warn', ...written };
  if (flags.verbose) options['level'] = 'debug';
  if (flags.level !== undefined) options['level'] = flags.level;
  if (flags.format !== undefined) options['format'] = flags.format;
  if (flags.file !== undefined) options['file'] = { ...((written['file'] as Record<string, unknown> | undefined) ?? {}), path: flags.file };
  const write = flags.write;
  return createPinoLogger(options, write ? { destination: { write, isTTY: false } } : {});
}

/** Applies the config's `logger-pino` section when `logger` is the runner's (other loggers are left alone). */
export function configureRunnerLogger(logger: Logger, config: Record<string, unknown>): void {
  if (logger instanceof RunnerLogger) logger.configure(config['logger-pino']);
}
