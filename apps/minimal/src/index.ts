/**
 * A minimal bespoke runner: recorded Binance data, the paper exchange and one TWAP
 * strategy, composed with `createTranche` and nothing else. Read it as the template
 * of your own app: its own flags (validated with zod), its own config object, its own
 * logger, graceful SIGINT.
 *
 * @packageDocumentation
 */
export { MINIMAL_PLUGINS, composeMinimal, minimalConfig } from './compose-minimal.js';
export { LineLogger, type LineSink } from './line-logger.js';
export { toMinimalReport, formatMinimalReport, type MinimalReport } from './minimal-report.js';
export { MinimalSettingsSchema, MINIMAL_LOG_LEVELS, type MinimalSettings, type MinimalSettingsInput, type MinimalLogLevel } from './minimal-settings.schema.js';
export { parseMinimalArgs, MINIMAL_USAGE, type MinimalCommand } from './parse-minimal-args.js';
export {
  main,
  runMinimal,
  minimalOrder,
  EXIT_OK,
  EXIT_FAILURE,
  EXIT_INVALID_INPUT,
  EXIT_INTERRUPTED,
  type MinimalIo,
  type SignalSource,
} from './run-minimal.js';
