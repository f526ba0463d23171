/**
 * The `tranche` command-line runner: composes the default plugins (replay feed, paper
 * venue, market and limit strategies) or the ones a config names, and executes orders.
 *
 * @packageDocumentation
 */
export { main, EXIT_FAILURE, EXIT_INVALID_INPUT } from './main.js';
export { composeRunner, DEFAULT_PLUGINS, type ComposeOptions } from './compose.js';
export { runExecution, type RunExecutionOptions, type RunnerIo } from './run-execution.js';
export { formatReport } from './report-format.js';
export { ProgressBar, type ProgressState } from './progress-bar.js';
export { StderrLogger, LOG_LEVELS, type LogLevel } from './stderr-logger.js';
export { parseSpeed, parseWindow, readOrderArgument } from './cli/parse-args.js';
export { runOptimizer, registerOptimizerCommand, formatSelection, type OptimizerCommandOptions } from './optimizer-command.js';
export { runHistory, registerHistoryCommand, formatHistory, type HistoryCommandOptions } from './history-command.js';
export { runMarketState, type MarketStateOptions, type MarketStateTimeline, type MarketStateTimelineEntry } from './market-state-command.js';
