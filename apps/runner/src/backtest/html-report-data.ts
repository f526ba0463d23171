import type { BacktestFill, BacktestPriceSeries, BacktestResult, BacktestRun, BacktestSchedulePoint } from './backtest-result.js';

/** How many points the HTML report keeps before it thins the series. */
export interface ReportPointLimits {
  /** Price points per symbol. */
  pricePoints: number;
  /** Fills over all runs (each run's fills are merged, so cumulative quantities stay exact). */
  fills: number;
  /** Schedule points over all runs. */
  schedulePoints: number;
  /** Fills and schedule points a run always keeps, however many runs there are. */
  minimumPerRun: number;
}

/** Limits that keep a report of thousands of runs to a few megabytes and smooth to scroll. */
export const defaultReportPointLimits: ReportPointLimits = { pricePoints: 2_000, fills: 25_000, schedulePoints: 25_000, minimumPerRun: 16 };

/** A backtest result made light enough to embed in a page, and what was thinned to get there. */
export interface ThinnedBacktestResult {
  result: BacktestResult;
  /** Human-readable notes, one per kind of series that was thinned (empty when nothing was). */
  notes: string[];
}

/**
 * Thins the series of a backtest result for the HTML report; a result within the limits is
 * returned unchanged (same object), so small reports embed exactly what the backtest produced.
 */
export function thinBacktestResult(result: BacktestResult, limits: ReportPointLimits = defaultReportPointLimits): ThinnedBacktestResult {
  const notes: string[] = [];
  const runs = Math.max(1, result.runs.length);
  const perRun = {
    fills: Math.max(limits.minimumPerRun, Math.floor(limits.fills / runs)),
    schedule: Math.max(limits.minimumPerRun, Math.floor(limits.schedulePoints / runs)),
  };
  const bigPrices = result.prices.filter((series) => series.ts.length > limits.pricePoints);
  const bigFills = result.runs.filter((run) => run.fills.length > perRun.fills);
  const bigSchedules = result.runs.filter((run) => run.schedule.length > perRun.schedule);
  if (bigPrices.length === 0 && bigFills.length === 0 && bigSchedules.length === 0) return { result, notes };
  if (bigPrices.length > 0) notes.push(`price series resampled to at most ${limits.pricePoints} points per symbol (${bigPrices.map((s) => s.symbol).join(', ')})`);
  if (bigFills.length > 0) notes.push(`fills of ${bigFills.length} run(s) merged into at most ${perRun.fills} points per run (quantity-weighted price; cumulative quantities exact)`);
  if (bigSchedules.length > 0) notes.push(`schedules of ${bigSchedules.length} run(s) sampled to at most ${perRun.schedule} points`);
  return {
    result: {
      ...result,
      prices: result.prices.map((series) => thinPrices(series, limits.pricePoints)),
      runs: result.runs.map((run) => thinRun(run, perRun.fills, perRun.schedule)),
    },
    notes,
  };
}

function thinRun(run: BacktestRun, maxFills: number, maxSchedulePoints: number): BacktestRun {
  if (run.fills.length <= maxFills && run.schedule.length <= maxSchedulePoints) return run;
  return { ...run, fills: mergeFills(run.fills, maxFills), schedule: sampleSchedule(run.schedule, maxSchedulePoints) };
}

/** Keeps the last price of every `factor` buckets, the series' own convention (last trade per bucket). */
function thinPrices(series: BacktestPriceSeries, maxPoints: number): BacktestPriceSeries {
  if (series.ts.length <= maxPoints) return series;
  const factor = Math.ceil(series.ts.length / maxPoints);
  const ts: number[] = [];
  const price: number[] = [];
  for (let end = factor - 1; end < series.ts.length + factor - 1; end += factor) {
    const index = Math.min(end, series.ts.length - 1);
    ts.push(series.ts[index]);
    price.push(series.price[index]);
  }
  return { ...series, stepMs: series.stepMs * factor, ts, price };
}

/** Merges consecutive fills into groups: summed quantity at the group's last time, quantity-weighted price. */
function mergeFills(fills: BacktestFill[], maxPoints: number): BacktestFill[] {
  if (fills.length <= maxPoints) return fills;
  const groupSize = Math.ceil(fills.length / maxPoints);
  const merged: BacktestFill[] = [];
  for (let start = 0; start < fills.length; start += groupSize) {
    const group = fills.slice(start, start + groupSize);
    const quantity = group.reduce((sum, fill) => sum + fill.quantity, 0);
    const notional = group.reduce((sum, fill) => sum + fill.quantity * fill.price, 0);
    const makerQuantity = group.reduce((sum, fill) => sum + (fill.maker ? fill.quantity : 0), 0);
    merged.push({
      ts: group[group.length - 1].ts,
      price: quantity > 0 ? notional / quantity : group[group.length - 1].price,
      quantity,
      maker: makerQuantity * 2 >= quantity,
    });
  }
  return merged;
}

/** Keeps every k-th schedule point and always the last, so the final scheduled and filled quantities stay. */
function sampleSchedule(schedule: BacktestSchedulePoint[], maxPoints: number): BacktestSchedulePoint[] {
  if (schedule.length <= maxPoints) return schedule;
  const stride = Math.ceil(schedule.length / (maxPoints - 1));
  const sampled = schedule.filter((_, index) => index % stride === 0);
  const last = schedule[schedule.length - 1];
  if (sampled[sampled.length - 1] !== last) sampled.push(last);
  return sampled;
}
