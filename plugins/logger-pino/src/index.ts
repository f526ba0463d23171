/**
 * Structured logs for Tranche through pino: JSON lines (pretty on a terminal), levels by
 * component, secrets redacted from fields and messages, an optional size-rotated file.
 * `createPinoLogger(options)` returns a core `Logger`; the default-exported plugin binds
 * one built from the `logger-pino` config section.
 *
 * @packageDocumentation
 */
import { ContainerModule } from 'inversify';
import { Logger, definePlugin, pluginConfigToken } from '@tranche/core';
import { PinoLoggerOptionsSchema, type PinoLoggerOptions } from './pino-logger-options.schema.js';
import { createPinoLogger } from './pino-logger.js';

export { createPinoLogger, PinoTrancheLogger, type LogDestination, type PinoLoggerIo, type WritableLogLevel } from './pino-logger.js';
export {
  LogFileSchema,
  LogFormatSchema,
  LogLevelSchema,
  PinoLoggerOptionsSchema,
  type LogFile,
  type LogFormat,
  type LogLevel,
  type PinoLoggerOptions,
  type PinoLoggerOptionsInput,
} from './pino-logger-options.schema.js';
export { RotatingFileDestination, type RotatingFileOptions } from './rotating-file-destination.js';
export { REDACTED, SECRET_FIELD_NAMES, isSecretKey, pinoRedactPaths, redactFields, redactText } from './redact.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** Token of the parsed `logger-pino` config section. */
export const PinoLoggerConfig = pluginConfigToken('logger-pino');

/**
 * The plugin: binds the core `Logger` to a pino logger built from the `logger-pino`
 * config section (to stderr). `createTranche({ logger })` still wins over it, so an app
 * that builds its own logger (the runner) passes it and only uses the section's schema.
 */
const loggerPinoPlugin = definePlugin<PinoLoggerOptions>({
  name: 'logger-pino',
  version: VERSION,
  description: 'Structured JSON logs through pino: levels by component, secrets redacted, pretty on a terminal, rotating file',
  configSchema: PinoLoggerOptionsSchema,
  configToken: PinoLoggerConfig,
  module: new ContainerModule(({ bind }) => {
    bind(Logger)
      .toDynamicValue((context) => createPinoLogger(context.get<PinoLoggerOptions>(PinoLoggerConfig)))
      .inSingletonScope();
  }),
});
export default loggerPinoPlugin;
