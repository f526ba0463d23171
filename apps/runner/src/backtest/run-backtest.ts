import { AssetCacheManager, Clock, MarketDataSource, RunLoop, TrancheError, floorToIncrement, parseInput, type ExecutionQualityRecord, type ExecutionReport, type Logger, type OrderSide } from '@tranche/core';
import { ExecutionQualityMonitor } from '@tranche/monitor-quality';
import { composeRunner } from '../compose.js';
import { BacktestGridSchema, type BacktestGrid, type BacktestGridInput } from './backtest-grid.schema.js';
import type { BacktestChildOrder, BacktestPriceSeries, BacktestResult, BacktestRun, BacktestSkippedRun } from './backtest-result.js';
import { backtestTable } from './backtest-table.js';
import { laneOrder, planStarts, type BacktestLane } from './backtest-plan.js';
import { backtestDatasets, type BacktestDataOptions, type BacktestDataset } from './backtest-datasets.js';
import { PriceSeriesBuilder } from './price-series.js';
import { TrailingVolume } from './trailing-volume.js';

/** Where a backtest stands, for progress bars. */
export interface BacktestProgress {
  lanesDone: number;
  lanes: number;
  runsDone: number;
  /** The lane running now (`symbol strategy side size duration`). */
  lane: string;
  /** Data time of the replay, epoch ms. */
  ts: number;
}

/** Options of `runBacktest`. */
export interface BacktestOptions {
  /** The grid (validated here; defaults fill the rest). */
  grid?: BacktestGridInput;
  /** Directory of tick captures (default: the config's, else the bundled captures). */
  data?: string;
  /** Tick capture names to replay, or `all` (default: one per symbol); each is replayed on its own. */
  datasets?: readonly string[] | 'all';
  /** Candle files or directories of them: replays 1m bars through the documented candle fill model instead of tick captures; each file on its own. */
  candles?: string | string[];
  /** Base config (the config file's content without its `backtest` section; may name `plugins`). */
  config?: Record<string, unknown>;
  /** Save every run's quality record to the execution history the optimizer learns from. */
  record?: boolean;
  logger: Logger;
  /** Called as lanes and runs complete (and now and then within a lane). */
  onProgress?: (progress: BacktestProgress) => void;
  /** Wall-clock reader for the timing figures (default `performance.now`). */
  wallNow?: () => number;
}

/** What one lane produced. */
interface LaneOutcome {
  runs: BacktestRun[];
  skipped: BacktestSkippedRun[];
  prices?: BacktestPriceSeries;
  span: { startTs: number; endTs: number };
  replayedEvents: number;
  starts: number[];
}

/** A replay source that can say where it stands (the tick and candle replays both can). */
interface SpanSource {
  progress?: () => { startTs: number; endTs: number; emittedEvents: number };
}

/**
 * Runs every combination of the grid in virtual time on recorded data and measures each
 * run with the quality monitor: one replay per lane (symbol × strategy × side × size ×
 * duration), one parent order per start time in it, sized from the volume traded before
 * its start. Resolves with the runs, the table per strategy × market state × size bucket,
 * and price series for charts.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const wallNow = options.wallNow ?? (() => performance.now());
  const began = wallNow();
  const grid = parseInput(BacktestGridSchema, options.grid ?? {}, 'backtest grid');
  const base = options.config ?? {};
  const dataOptions = dataSelection(options, base);
  const kind: 'ticks' | 'candles' = dataOptions.candles !== undefined ? 'candles' : 'ticks';
  const datasets = backtestDatasets(dataOptions, grid.symbols);
  const symbols = [...new Set(datasets.map((dataset) => dataset.symbol))];
  const lanes = laneOrder(grid, datasets);
  const runs: BacktestRun[] = [];
  const skipped: BacktestSkippedRun[] = [];
  const prices = new Map<string, BacktestPriceSeries>();
  const spans = new Map<BacktestDataset, { startTs: number; endTs: number }>();
  const startsTs = new Set<number>();
  let replayedEvents = 0;
  for (const [index, lane] of lanes.entries()) {
    const outcome = await runLane(lane, index, grid, kind, options, (ts) =>
      options.onProgress?.({ lanesDone: index, lanes: lanes.length, runsDone: runs.length, lane: laneLabel(lane), ts }),
    );
    runs.push(...outcome.runs);
    skipped.push(...outcome.skipped);
    replayedEvents += outcome.replayedEvents;
    for (const ts of outcome.starts) startsTs.add(ts);
    const known = prices.get(lane.dataset.name);
    if (outcome.prices && (!known || outcome.prices.ts.length > known.ts.length)) prices.set(lane.dataset.name, outcome.prices);
    spans.set(lane.dataset, outcome.span);
    options.onProgress?.({ lanesDone: index + 1, lanes: lanes.length, runsDone: runs.length, lane: laneLabel(lane), ts: outcome.span.endTs });
  }
  const allSpans = [...spans.values()];
  return {
    data: {
      kind,
      source: sourceName(dataOptions, kind),
      symbols,
      startTs: Math.min(...allSpans.map((span) => span.startTs)),
      endTs: Math.max(...allSpans.map((span) => span.endTs)),
      datasets: [...spans].map(([dataset, span]) => ({ name: dataset.name, symbol: dataset.symbol, ...span })),
    },
    grid: {
      symbols,
      sides: grid.sides,
      sizes: grid.sizes,
      durationsMs: grid.durationsMs,
      strategies: grid.strategies,
      startsTs: [...startsTs].sort((a, b) => a - b),
      seed: grid.seed,
    },
    runs,
    skipped,
    table: backtestTable(runs),
    prices: [...prices.values()],
    timing: { wallMs: wallNow() - began, sessions: lanes.length, replayedEvents },
  };
}

/** One lane: a fresh app on its own replay, orders at each start time, their quality records. */
async function runLane(
  lane: BacktestLane,
  laneIndex: number,
  grid: BacktestGrid,
  kind: 'ticks' | 'candles',
  options: BacktestOptions,
  progress: (ts: number) => void,
): Promise<LaneOutcome> {
  const tranche = await composeRunner({ config: laneConfig(lane, kind, options), logger: options.logger });
  const outcome: LaneOutcome = { runs: [], skipped: [], span: { startTs: Number.NaN, endTs: Number.NaN }, replayedEvents: 0, starts: [] };
  try {
    if (!tranche.container.isBound(ExecutionQualityMonitor)) {
      throw new TrancheError('validation', 'invalid config: a backtest needs the monitor-quality plugin (add "@tranche/monitor-quality" to plugins)', { field: 'plugins', retryable: false });
    }
    const { manager } = tranche;
    const source = tranche.get<MarketDataSource>(MarketDataSource);
    const clock = tranche.get<Clock>(Clock);
    const runLoop = tranche.get(RunLoop);
    const cache = tranche.get(AssetCacheManager);
    const quality = tranche.get(ExecutionQualityMonitor);
    const warmupMs = warmupOf(grid);
    const volume = new TrailingVolume(warmupMs);
    let series: PriceSeriesBuilder | undefined;
    let lastProgress = 0;
    const subscription = source.events$.subscribe((event) => {
      if (event.type !== 'trade' || event.symbol !== lane.symbol) return;
      volume.add(event.ts, event.quantity);
      series?.add(event.ts, event.price);
      if (event.ts - lastProgress >= 10_000) {
        lastProgress = event.ts;
        progress(event.ts);
      }
    });
    // Each child order as the strategy decided it (the report keeps only its final state).
    const intents = new Map<string, ChildIntent[]>();
    subscription.add(
      manager.events$.subscribe((event) => {
        if (event.type !== 'child-order-intent') return;
        const { order } = event;
        let list = intents.get(event.executionId);
        if (!list) intents.set(event.executionId, (list = []));
        list.push({ clientOrderId: order.clientOrderId, createdAt: order.createdAt, type: order.type, price: order.price ?? null, quantity: order.quantity });
      }),
    );
    try {
      await manager.initialize();
      const span = replaySpan(source as MarketDataSource & SpanSource);
      outcome.span = span;
      series = new PriceSeriesBuilder(lane.symbol, span.endTs - span.startTs);
      const market = await cache.market(lane.symbol);
      const starts = planStarts(span, clock.now(), lane.durationMs, grid);
      outcome.starts = starts;
      const pending: Promise<void>[] = [];
      const submit = (startTs: number, runIndex: number): void => {
        const expected = (volume.volumeBetween(startTs - warmupMs, startTs) * lane.durationMs) / warmupMs;
        const quantity = floorToIncrement(lane.size * expected, market.stepSize);
        const book = cache.book(lane.symbol);
        const mid = book.mid();
        const base = { symbol: lane.symbol, side: lane.side, share: lane.size, startTs, strategy: lane.strategy };
        if (!(quantity >= Math.max(market.minQuantity, market.stepSize)) || !(quantity * mid >= market.minNotional)) {
          outcome.skipped.push({ ...base, reason: `${lane.size * 100}% of the expected volume (${expected.toPrecision(4)}) is below the market's minimum order` });
          return;
        }
        const touch = lane.side === 'buy' ? book.bestBid() : book.bestAsk();
        const id = `bt${laneIndex.toString(36)}-${runIndex}`;
        const request = orderRequest(lane, id, quantity, touch, grid, laneIndex * 1_000 + runIndex);
        pending.push(
          manager.executeOrder(request).then(
            (report) => {
              const record = quality.record(report.id);
              outcome.runs.push(toRun(report, record, lane, quantity, intents.get(report.id)));
            },
            (error: unknown) => {
              outcome.skipped.push({ ...base, reason: TrancheError.from(error).message });
            },
          ),
        );
      };
      await scheduleStarts(starts, clock, runLoop, source, submit);
      await Promise.all(pending);
      await quality.flush();
      // Records may become final only at flush: fill them in.
      for (const run of outcome.runs) fillFromRecord(run, quality.record(run.id));
      outcome.replayedEvents = (source as SpanSource).progress?.().emittedEvents ?? 0;
      outcome.prices = { ...series.build(), dataset: lane.dataset.name };
    } finally {
      subscription.unsubscribe();
    }
    outcome.runs.sort((a, b) => a.startTs - b.startTs);
    return outcome;
  } finally {
    await tranche.close();
  }
}

/**
 * Submits an order at each start time on the replay's clock, holding the replay running
 * between orders; resolves after the last submission (or when the data ends first).
 */
function scheduleStarts(starts: readonly number[], clock: Clock, runLoop: RunLoop, source: MarketDataSource, submit: (startTs: number, index: number) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let done = false;
    runLoop.begin();
    const finish = (): void => {
      if (done) return;
      done = true;
      ended.unsubscribe();
      runLoop.end();
      resolve();
    };
    const ended = source.events$.subscribe({ complete: finish, error: (error: unknown) => (finish(), reject(error)) });
    const scheduleNext = (): void => {
      if (done) return;
      if (next >= starts.length) return finish();
      const startTs = starts[next]!;
      const index = next++;
      clock.scheduler.schedule(() => {
        if (done) return;
        submit(startTs, index);
        scheduleNext();
      }, Math.max(0, startTs - clock.now()));
    };
    scheduleNext();
  });
}

function orderRequest(lane: BacktestLane, id: string, quantity: number, touch: number, grid: BacktestGrid, seedOffset: number): Record<string, unknown> {
  const seed = grid.seed + seedOffset;
  const user = grid.params[lane.strategy] ?? {};
  const request: Record<string, unknown> = { id, symbol: lane.symbol, side: lane.side, type: lane.strategy, quantity };
  let params: Record<string, unknown>;
  switch (lane.strategy) {
    case 'market':
      params = {};
      break;
    case 'limit':
      // A passive limit at the near touch, for the order's window.
      request['price'] = touch;
      params = { expireAfterMs: lane.durationMs };
      break;
    case 'iceberg':
      params = { durationMs: lane.durationMs, displayQuantity: quantity / 5, seed };
      break;
    case 'auto':
      params = { durationMs: lane.durationMs };
      break;
    default:
      params = { durationMs: lane.durationMs, seed };
  }
  request['params'] = { ...params, ...user };
  return request;
}

type ChildIntent = Omit<BacktestChildOrder, 'filledQuantity' | 'status'>;

function toRun(report: ExecutionReport, record: ExecutionQualityRecord | undefined, lane: BacktestLane, quantity: number, intents: readonly ChildIntent[] | undefined): BacktestRun {
  const run: BacktestRun = {
    id: report.id,
    dataset: lane.dataset.name,
    symbol: report.symbol,
    side: report.side as OrderSide,
    requestedStrategy: lane.strategy,
    strategy: report.strategy,
    quantity,
    shareOfVolume: lane.size,
    startTs: report.startedAt,
    endTs: report.endedAt,
    durationMs: lane.durationMs,
    marketState: 'unknown',
    sizeBucket: 'medium',
    status: report.status,
    filledQuantity: report.filledQuantity,
    averagePrice: report.filledQuantity > 0 ? report.averagePrice : null,
    arrivalPrice: report.arrivalPrice,
    implementationShortfallBps: report.slippageBps ?? null,
    vwapSlippageBps: report.vwapSlippageBps ?? null,
    fillRate: report.filledQuantity / report.requestedQuantity,
    totalCostBps: null,
    feeBps: null,
    participationRate: null,
    childOrders: report.childOrders.length,
    children: (intents ?? []).map((intent) => {
      const final = report.childOrders.find((child) => child.clientOrderId === intent.clientOrderId);
      return { ...intent, filledQuantity: final?.filledQuantity ?? 0, status: final?.status ?? 'unknown' };
    }),
    fills: report.fills.map((fill) => ({ ts: fill.ts, price: fill.price, quantity: fill.quantity, maker: fill.liquidity === 'maker' })),
    schedule: (report.schedule ?? []).map((point) => ({ ts: point.ts, scheduledQuantity: point.scheduledQuantity, filledQuantity: point.filledQuantity })),
  };
  fillFromRecord(run, record);
  return run;
}

/** Takes the quality monitor's figures (state at the start, size bucket, costs) into a run. */
function fillFromRecord(run: BacktestRun, record: ExecutionQualityRecord | undefined): void {
  if (!record) return;
  run.marketState = record.marketState ?? 'unknown';
  run.sizeBucket = record.sizeBucket;
  run.implementationShortfallBps = record.implementationShortfallBps;
  run.vwapSlippageBps = record.vwapSlippageBps;
  run.fillRate = record.fillRate;
  run.totalCostBps = record.totalCostBps;
  run.feeBps = record.feeBps;
  run.participationRate = record.participationRate;
}

/** The config of one lane's app: the user's config with the lane's data set and the quality monitor set for a backtest. */
function laneConfig(lane: BacktestLane, kind: 'ticks' | 'candles', options: BacktestOptions): Record<string, unknown> {
  const base = options.config ?? {};
  const replay: Record<string, unknown> = { ...section(base, 'feed-replay') };
  // The lane replays its own data set only.
  delete replay['datasets'];
  delete replay['candles'];
  Object.assign(replay, lane.dataset.replay, { symbols: [lane.symbol], speed: 'max' });
  if (options.data !== undefined) replay['data'] = options.data;
  const config: Record<string, unknown> = {
    ...base,
    'feed-replay': replay,
    'monitor-quality': { ...section(base, 'monitor-quality'), waitForMarkouts: false, saveToHistory: options.record ?? false },
    // Hundreds of simulated runs: no notification to the terminal or to a webhook.
    notifications: { ...section(base, 'notifications'), enabled: false },
  };
  // A tick capture spans minutes, not days: judge its market state on 10-second bars over 2 minutes unless the config says otherwise.
  if (kind === 'ticks' && base['monitor-market-state'] === undefined) {
    config['monitor-market-state'] = { barSeconds: 10, windowMinutes: 2, hysteresis: { confirmEvaluations: 2 } };
  }
  return config;
}

/** The data options, the command's over the config's `feed-replay` section. */
function dataSelection(options: BacktestOptions, base: Record<string, unknown>): BacktestDataOptions {
  const replay = section(base, 'feed-replay');
  const candles = options.candles ?? (replay['candles'] as string | string[] | undefined);
  const data = options.data ?? (replay['data'] as string | undefined);
  const datasets = options.datasets ?? (replay['datasets'] as string[] | undefined);
  return { ...(candles === undefined ? {} : { candles }), ...(data === undefined ? {} : { data }), ...(datasets === undefined ? {} : { datasets }) };
}

function section(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = config[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sourceName(data: BacktestDataOptions, kind: 'ticks' | 'candles'): string {
  const given = kind === 'candles' ? data.candles : data.data;
  if (given === undefined) return 'bundled Binance captures';
  return Array.isArray(given) ? given.join(', ') : String(given);
}

function replaySpan(source: MarketDataSource & SpanSource): { startTs: number; endTs: number } {
  const progress = source.progress?.();
  if (progress && Number.isFinite(progress.startTs) && Number.isFinite(progress.endTs)) return { startTs: progress.startTs, endTs: progress.endTs };
  throw new TrancheError('validation', `invalid data: the market data source "${source.id}" cannot say the span of its data (a backtest needs a replay)`, {
    field: 'data',
    retryable: false,
  });
}

function warmupOf(grid: BacktestGrid): number {
  return grid.warmupMs ?? Math.max(60_000, ...grid.durationsMs);
}

function laneLabel(lane: BacktestLane): string {
  return `${lane.symbol} ${lane.strategy} ${lane.side} ${+(lane.size * 100).toFixed(4)}% ${formatDuration(lane.durationMs)}`;
}

/** `90s`, `2m`, `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
