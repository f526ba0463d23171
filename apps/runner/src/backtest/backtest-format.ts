import type { BacktestResult, BacktestStat } from './backtest-result.js';
import { formatDuration } from './run-backtest.js';

/**
 * The backtest as text: what was replayed, the grid, then one row per strategy × market
 * state × size bucket with mean and p90 of implementation shortfall, VWAP slippage and
 * total cost (bps, positive = worse for the trader) and the mean fill rate.
 */
export function formatBacktest(result: BacktestResult): string {
  const { data, grid } = result;
  const utc = (ts: number): string => new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
  const lines = [
    `Backtest on ${data.kind === 'ticks' ? 'tick captures' : '1m candles (synthetic book and trades: see the candle fill model)'} from ${data.source}`,
    `  ${data.symbols.join(', ')}, ${utc(data.startTs)} → ${utc(data.endTs)} UTC`,
    `  grid: ${grid.strategies.join(', ')} × ${grid.sides.join('/')} × sizes ${grid.sizes.map((size) => `${+(size * 100).toFixed(4)}%`).join(', ')} of the expected volume × ${grid.durationsMs.map(formatDuration).join(', ')}; ` +
      `${grid.startsTs.length} start time${grid.startsTs.length === 1 ? '' : 's'}, seed ${grid.seed}`,
    `  ${result.runs.length} runs in ${result.timing.sessions} replays, ${(result.skipped ?? []).length} skipped; ${result.timing.replayedEvents.toLocaleString('en-US')} market events in ${(result.timing.wallMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (result.table.length === 0) return [...lines, 'No runs: the grid produced no order that fits the data and the market minimums.'].join('\n');
  const headers = ['strategy', 'state', 'size', 'runs', 'filled', 'shortfall mean', 'p90', 'vs VWAP mean', 'p90', 'fill rate', 'cost mean', 'p90'];
  const rows = result.table.map((row) => [
    row.strategy,
    row.marketState,
    row.sizeBucket,
    String(row.count),
    String(row.filledCount),
    bps(row.implementationShortfallBps.mean),
    bps(row.implementationShortfallBps.p90),
    bps(row.vwapSlippageBps.mean),
    bps(row.vwapSlippageBps.p90),
    row.fillRate.mean === null ? '-' : `${(row.fillRate.mean * 100).toFixed(1)}%`,
    bps(row.totalCostBps.mean),
    bps(row.totalCostBps.p90),
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index]!.length)));
  const render = (cells: string[]): string => `  ${cells.map((cell, index) => (index < 3 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ')}`;
  return [
    ...lines,
    'Per strategy × market state at the start × size bucket (bps of the arrival mid or the market VWAP; positive = worse):',
    render(headers),
    ...rows.map(render),
    ...skippedSummary(result),
  ].join('\n');
}

function skippedSummary(result: BacktestResult): string[] {
  const skipped = result.skipped ?? [];
  if (skipped.length === 0) return [];
  const reasons = new Map<string, number>();
  for (const run of skipped) {
    const reason = run.reason.replace(/\([^)]*\)/g, '(…)').replace(/^[\d.]+%/, 'the size');
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return ['', `Skipped ${skipped.length} run${skipped.length === 1 ? '' : 's'}:`, ...[...reasons].map(([reason, count]) => `  ${count} × ${reason}`)];
}

function bps(value: BacktestStat['mean']): string {
  return value === null ? '-' : value.toFixed(2);
}
