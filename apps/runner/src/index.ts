/**
 * The `tranche` command-line runner: composes the default plugins (replay feed, paper
 * venue, market and limit strategies) or the ones a config names, and executes orders.
 *
 * @packageDocumentation
 */
export { main, EXIT_FAILURE, EXIT_INVALID_INPUT } from './main.js';
export { composeRunner, DEFAULT_PLUGINS, VENUE_PLUGINS, type ComposeOptions, type CcxtOverrides } from './compose.js';
export { runMarkets, formatMarkets, registerVenueCommands, type MarketsCommandOptions } from './venues-command.js';
export { runExecution, type RunExecutionOptions, type RunnerIo } from './run-execution.js';
export { formatReport } from './report-format.js';
export { ProgressBar, type ProgressState } from './progress-bar.js';
export { StderrLogger, LOG_LEVELS, type LogLevel } from './stderr-logger.js';
export { parseSpeed, parseWindow, readOrderArgument } from './cli/parse-args.js';
export { runOptimizer, registerOptimizerCommand, formatSelection, type OptimizerCommandOptions } from './optimizer-command.js';
export { runHistory, registerHistoryCommand, formatHistory, type HistoryCommandOptions } from './history-command.js';
export { runMarketState, type MarketStateOptions, type MarketStateTimeline, type MarketStateTimelineEntry } from './market-state-command.js';
export { runBacktest, formatDuration, type BacktestOptions, type BacktestProgress } from './backtest/run-backtest.js';
export { runBacktestCommand, registerBacktestCommand, parseDuration, parseShare, type BacktestCommandOptions } from './backtest/backtest-command.js';
export { BacktestGridSchema, DEFAULT_BACKTEST_STRATEGIES, type BacktestGrid, type BacktestGridInput } from './backtest/backtest-grid.schema.js';
export { backtestTable } from './backtest/backtest-table.js';
export { formatBacktest } from './backtest/backtest-format.js';
export { laneOrder, planStarts, type BacktestLane } from './backtest/backtest-plan.js';
export { BacktestProgressBar } from './backtest/backtest-progress-bar.js';
export { TrailingVolume } from './backtest/trailing-volume.js';
export { PriceSeriesBuilder } from './backtest/price-series.js';
export type * from './backtest/backtest-result.js';
export { backtestDatasets, type BacktestDataset, type BacktestDataOptions } from './backtest/backtest-datasets.js';
export { runServe, registerServeCommand, parsePort, DEFAULT_DASHBOARD_PORT, DEFAULT_SERVE_SPEED, type ServeOptions } from './serve/serve-command.js';
export { DashboardServer, MAX_BODY_BYTES, type DashboardServerOptions } from './serve/dashboard-server.js';
export { KillRequestSchema, type KillRequest } from './serve/kill-request.schema.js';
export { InProcessDashboardFeed } from './serve/in-process-feed.js';
export { DashboardFeedStreams } from './serve/dashboard-feed-streams.js';
export { dashboardMarket } from './serve/dashboard-feed.js';
export { ExecutionTracker, slippageBps } from './serve/execution-tracker.js';
export type * from './serve/dashboard-feed.js';
