import { basename } from 'node:path';
import {
  MarketDataSource,
  MarketStateProvider,
  RunLoop,
  TrancheError,
  createTranche,
  loadConfigFile,
  shareOfTime,
  type Logger,
  type TranchePlugin,
} from '@tranche/core';
import feedReplayPlugin, { readCandles } from '@tranche/feed-replay';
import marketStateRegimePlugin from '@tranche/market-state-regime';
import monitorMarketStatePlugin, { type MarketStateMonitor, type MonitoredMarketState } from '@tranche/monitor-market-state';
import { importPlugins } from './compose.js';
import type { RunnerIo } from './run-execution.js';

/** Options of `runMarketState`. */
export interface MarketStateOptions {
  /** A 1m (or other) candle CSV, gzipped or not. */
  candles?: string;
  /** A directory of tick captures (trades + L2 depth) for the replay feed. */
  data?: string;
  /** The symbol to classify (default: the candle file's, or the first of the captures). */
  symbol?: string;
  /** Rolling window length in minutes (overrides `monitor-market-state.windowMinutes`). */
  windowMinutes?: number;
  /**
   * `retrospective` (default): each moment gets the state of the window centred on it,
   * as a labelling of history (the file is recorded, so its future is known);
   * `causal`: the state the live monitor would have published then, from the past only.
   */
  mode?: 'retrospective' | 'causal';
  configFile?: string;
  json: boolean;
  io: RunnerIo;
  logger: Logger;
}

/** One entry of the state timeline. */
export interface MarketStateTimelineEntry {
  ts: number;
  state: string;
  confidence: number;
}

/** What `tranche market-state --json` prints. */
export interface MarketStateTimeline {
  symbol: string;
  /** State changes in time order (the first evaluation, then every change after hysteresis). */
  states: MarketStateTimelineEntry[];
  /** Share of the whole file's time spent in each state (fractions summing to 1). */
  summary: Record<string, number>;
  /** Evaluations made (one per closed bar by default). */
  evaluations: number;
  /** How states were assigned to moments (see `MarketStateOptions.mode`). */
  mode: 'retrospective' | 'causal';
  /** The rolling window, minutes. */
  windowMinutes: number;
  startTs: number;
  endTs: number;
}

/**
 * Classifies a candle file or a recorded tick session with the market-state monitor
 * and the installed classifiers (by default the `regime` classifier; a config may name
 * more plugins, e.g. a custom `news-spike` classifier), and prints the state timeline
 * and the share of time in each state.
 */
export async function runMarketState(options: MarketStateOptions): Promise<MarketStateTimeline> {
  if ((options.candles === undefined) === (options.data === undefined)) {
    throw new TrancheError('validation', 'give either --candles <csv> or --data <dir>', { field: '--candles', retryable: false });
  }
  if (options.windowMinutes !== undefined && !(Number.isFinite(options.windowMinutes) && options.windowMinutes > 0)) {
    throw new TrancheError('validation', `invalid --window: must be a positive number of minutes, got ${String(options.windowMinutes)}`, { field: '--window', retryable: false });
  }
  const loaded = options.configFile ? await loadConfigFile(options.configFile) : {};
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    throw new TrancheError('validation', 'invalid config: must be an object', { field: 'config', retryable: false });
  }
  const { plugins: pluginNames, ...config } = loaded as Record<string, unknown>;
  const extra = pluginNames === undefined ? [] : await importPlugins(pluginNames);
  const monitorSection = { ...((config['monitor-market-state'] as Record<string, unknown> | undefined) ?? {}) };
  if (options.windowMinutes !== undefined) monitorSection['windowMinutes'] = options.windowMinutes;
  if (options.data !== undefined) monitorSection['publish'] = 'evaluations';
  config['monitor-market-state'] = monitorSection;
  const plugins: TranchePlugin<unknown>[] = [
    ...(options.data !== undefined ? [feedReplayPlugin as TranchePlugin<unknown>] : []),
    ...extra.filter((plugin) => plugin.name !== 'monitor-market-state' && plugin.name !== 'market-state-regime'),
    monitorMarketStatePlugin as TranchePlugin<unknown>,
    marketStateRegimePlugin as TranchePlugin<unknown>,
  ];
  if (options.data !== undefined) config['feed-replay'] = { ...((config['feed-replay'] as Record<string, unknown> | undefined) ?? {}), data: options.data };
  const tranche = createTranche({ config, plugins, logger: options.logger });
  const monitor = tranche.get<MarketStateMonitor>(MarketStateProvider);
  const windowMinutes = (tranche.pluginConfig['monitor-market-state'] as { windowMinutes: number }).windowMinutes;
  const assign = { mode: options.mode ?? ('retrospective' as const), windowMinutes };
  let timeline: MarketStateTimeline;
  try {
    await monitor.initialize();
    timeline =
      options.candles !== undefined
        ? classifyCandles(monitor, options.candles, assign, options.symbol)
        : await classifySession(tranche.get<MarketDataSource>(MarketDataSource), tranche.get(RunLoop), monitor, assign, options.symbol);
  } finally {
    await monitor.close();
  }
  const source = options.candles ?? options.data!;
  options.io.stdout.write(options.json ? `${JSON.stringify(timeline, null, 2)}\n` : `${formatTimeline(timeline, basename(source))}\n`);
  return timeline;
}

interface Assignment {
  mode: 'retrospective' | 'causal';
  windowMinutes: number;
}

function classifyCandles(monitor: MarketStateMonitor, file: string, assign: Assignment, symbol?: string): MarketStateTimeline {
  const series = readCandles(file, symbol === undefined ? {} : { symbol });
  const evaluations = monitor.observe(series.candles);
  const first = series.candles[0]!;
  const last = series.candles.at(-1)!;
  return timelineOf(series.symbol, evaluations, first.openTime, last.ts, assign);
}

async function classifySession(source: MarketDataSource, runLoop: RunLoop, monitor: MarketStateMonitor, assign: Assignment, symbol?: string): Promise<MarketStateTimeline> {
  await source.initialize();
  const chosen = symbol ?? source.symbols()[0];
  if (chosen === undefined || !source.symbols().includes(chosen)) {
    throw new TrancheError('validation', `invalid --symbol: "${chosen}" is not in the data (available: ${source.symbols().join(', ')})`, { field: '--symbol', retryable: false });
  }
  // The monitor follows the source itself (it is attached at initialize); it publishes every evaluation here.
  const evaluations: MonitoredMarketState[] = [];
  const states = monitor.state$(chosen).subscribe((state) => evaluations.push(state as MonitoredMarketState));
  let startTs = Number.POSITIVE_INFINITY;
  let endTs = 0;
  const done = new Promise<void>((resolve, reject) => {
    source.events$.subscribe({
      next: (event) => {
        if (event.symbol !== chosen) return;
        startTs = Math.min(startTs, event.ts);
        endTs = Math.max(endTs, event.ts);
      },
      error: reject,
      complete: resolve,
    });
  });
  await source.start();
  runLoop.begin();
  await done;
  runLoop.end();
  states.unsubscribe();
  await source.close();
  if (evaluations.length === 0) {
    throw new TrancheError('validation', `the session of ${chosen} is too short for one evaluation (${Math.round((endTs - startTs) / 1000)} s of data)`, { field: '--data', retryable: false });
  }
  return timelineOf(chosen, evaluations, startTs, endTs, assign);
}

/**
 * In retrospective mode, the evaluation at `t + window/2` (whose window is centred on
 * `t`) speaks for `t`; moments within half a window of the end take the last one, whose
 * window covers them too.
 */
function assignStates(evaluations: readonly MonitoredMarketState[], assign: Assignment): Array<{ ts: number; state: string; confidence: number }> {
  if (assign.mode === 'causal') return evaluations.map(({ ts, state, confidence }) => ({ ts, state, confidence }));
  const halfWindowMs = (assign.windowMinutes * 60_000) / 2;
  const assigned: Array<{ ts: number; state: string; confidence: number }> = [];
  let cursor = 0;
  for (const evaluation of evaluations) {
    while (cursor < evaluations.length - 1 && evaluations[cursor]!.ts < evaluation.ts + halfWindowMs) cursor++;
    const speaker = evaluations[cursor]!;
    assigned.push({ ts: evaluation.ts, state: speaker.state, confidence: speaker.confidence });
  }
  return assigned;
}

function timelineOf(symbol: string, causal: readonly MonitoredMarketState[], startTs: number, endTs: number, assign: Assignment): MarketStateTimeline {
  const evaluations = assignStates(causal, assign);
  const states: MarketStateTimelineEntry[] = [];
  for (const evaluation of evaluations) {
    if (states.at(-1)?.state === evaluation.state) continue;
    states.push({ ts: evaluation.ts, state: evaluation.state, confidence: round(evaluation.confidence, 4) });
  }
  // The first evaluation's state also stands for the time before it (the first bar).
  const series = evaluations.map((evaluation, index) => ({ ts: index === 0 ? Math.min(startTs, evaluation.ts) : evaluation.ts, state: evaluation.state }));
  const summary = Object.fromEntries(Object.entries(shareOfTime(series, Math.max(endTs, evaluations.at(-1)!.ts))).map(([state, share]) => [state, round(share, 6)]));
  return { symbol, states, summary, evaluations: evaluations.length, mode: assign.mode, windowMinutes: assign.windowMinutes, startTs, endTs };
}

function formatTimeline(timeline: MarketStateTimeline, source: string): string {
  const lines = [
    `Market states of ${timeline.symbol} from ${source}: ${iso(timeline.startTs)} → ${iso(timeline.endTs)}, ${timeline.evaluations} evaluations, ${timeline.windowMinutes}-minute window (${timeline.mode})`,
    '',
  ];
  timeline.states.forEach((entry, index) => {
    const until = timeline.states[index + 1]?.ts ?? timeline.endTs;
    lines.push(`  ${iso(entry.ts)}  ${entry.state.padEnd(10)} confidence ${entry.confidence.toFixed(2)}  for ${duration(until - entry.ts)}`);
  });
  lines.push('', '  Share of time');
  for (const [state, share] of Object.entries(timeline.summary).sort((left, right) => right[1] - left[1])) {
    lines.push(`    ${state.padEnd(10)} ${(share * 100).toFixed(1).padStart(5)}%  ${'█'.repeat(Math.round(share * 40))}`);
  }
  return lines.join('\n');
}

function iso(ts: number): string {
  return new Date(ts).toISOString().replace('T', ' ').slice(0, 16);
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}
