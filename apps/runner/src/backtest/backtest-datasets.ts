import { basename } from 'node:path';
import { TrancheError } from '@tranche/core';
import { bundledDataDir, candleFileSymbols, findCaptures, listCandleFiles, selectCaptures } from '@tranche/feed-replay';

/** One recorded data set a backtest replays on its own: a tick capture, or one candle file. */
export interface BacktestDataset {
  /** Capture name or candle file name. */
  name: string;
  symbol: string;
  /** What the lane's `feed-replay` section gets to replay just this data set. */
  replay: Record<string, unknown>;
}

/** Where a backtest's data comes from. */
export interface BacktestDataOptions {
  /** Directory of tick captures (default: the bundled ones). */
  data?: string;
  /** Capture names to replay, or `all` (default: one per symbol, as `tranche execute` picks). */
  datasets?: readonly string[] | 'all';
  /** Candle files or directories: each file is its own data set. */
  candles?: string | readonly string[];
}

/**
 * The data sets of a backtest, each replayed on its own so that a lane never runs across
 * two recordings: every candle file, or the chosen tick captures (default one per
 * symbol), filtered by `symbols`.
 */
export function backtestDatasets(options: BacktestDataOptions, symbols?: readonly string[]): BacktestDataset[] {
  let datasets: BacktestDataset[];
  if (options.candles !== undefined) {
    datasets = listCandleFiles(typeof options.candles === 'string' ? options.candles : [...options.candles]).flatMap((file) =>
      candleFileSymbols(file).map((symbol) => ({ name: basename(file), symbol, replay: { candles: file } })),
    );
  } else {
    const captures = findCaptures(options.data ?? bundledDataDir());
    const chosen = options.datasets === 'all' ? captures : selectCaptures(captures, options.datasets === undefined ? {} : { datasets: options.datasets });
    datasets = chosen.map((capture) => ({ name: capture.name, symbol: capture.symbol, replay: { datasets: [capture.name] } }));
  }
  if (symbols !== undefined) {
    for (const symbol of symbols) {
      if (!datasets.some((dataset) => dataset.symbol === symbol)) {
        throw new TrancheError('validation', `invalid backtest grid: symbols has "${symbol}", which the data does not have (it has ${[...new Set(datasets.map((dataset) => dataset.symbol))].join(', ') || 'nothing'})`, {
          field: 'symbols',
          retryable: false,
        });
      }
    }
    datasets = datasets.filter((dataset) => symbols.includes(dataset.symbol));
  }
  if (datasets.length === 0) throw new TrancheError('validation', 'invalid data: no recorded data set found', { field: 'data', retryable: false });
  return datasets;
}
