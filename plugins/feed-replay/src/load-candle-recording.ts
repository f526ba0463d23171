import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NoopLogger, TrancheError, parseInput, yieldToEventLoop, type CandleEvent, type Logger } from '@tranche/core';
import { CandleColumns } from './candle-columns.js';
import { CandleModelSchema, DEFAULT_CANDLE_MARKETS, type CandleMarket, type CandleModel, type CandleModelInput } from './candle-model.schema.js';
import { readCandles, symbolFromFileName } from './candle-reader.js';
import { CandleRecording } from './candle-recording.js';
import type { CaptureLoad } from './recording.js';
import { toUnifiedSymbol } from './symbol-mapping.js';
import { wallClockMs } from './wall-clock.js';

/** Options of `loadCandleRecording`. */
export interface LoadCandleRecordingOptions {
  /** Only these symbols (unified or exchange spelling); default every symbol of the files. */
  readonly symbols?: readonly string[];
  /** The fill model (default: every default of `CandleModelSchema`). */
  readonly model?: CandleModelInput;
  /** Where to report what was loaded (default: nowhere). */
  readonly logger?: Logger;
}

const CANDLE_FILE = /\.csv(\.gz)?$/i;

/**
 * The candle files named by the `candles` setting: each entry is a file, or a
 * directory whose `*.csv` / `*.csv.gz` files are taken in name order. A missing path
 * or an empty directory is a validation error naming it.
 */
export function listCandleFiles(candles: string | readonly string[]): string[] {
  const entries = typeof candles === 'string' ? [candles] : [...candles];
  if (entries.length === 0) throw invalid('candles', 'candles: give at least one file or directory');
  const files: string[] = [];
  for (const entry of entries) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(entry).isDirectory();
    } catch {
      throw invalid('candles', `candles: no such file or directory ${JSON.stringify(entry)}`);
    }
    if (!isDirectory) {
      files.push(entry);
      continue;
    }
    const inside = readdirSync(entry)
      .filter((name) => CANDLE_FILE.test(name))
      .sort()
      .map((name) => join(entry, name));
    if (inside.length === 0) throw invalid('candles', `candles: directory ${JSON.stringify(entry)} holds no .csv or .csv.gz file`);
    files.push(...inside);
  }
  return files;
}

/** Unified symbols of the candle files (from their names, in first-seen order), filtered by `symbols`; reads no file. */
export function candleFileSymbols(candles: string | readonly string[], symbols?: readonly string[]): string[] {
  return [...filesBySymbol(listCandleFiles(candles), symbols).keys()];
}

/**
 * Reads candle files (a file, a list, or directories of them; see `listCandleFiles`)
 * into a `CandleRecording`: per symbol, the bars of all its files in time order (a bar
 * overlapping one already read is dropped, with a warning), kept column-wise; the
 * synthetic events are made later, bar by bar, as the replay walks them.
 */
export async function loadCandleRecording(candles: string | readonly string[], options: LoadCandleRecordingOptions = {}): Promise<CandleRecording> {
  const logger = options.logger ?? new NoopLogger();
  const model: CandleModel = parseInput(CandleModelSchema, options.model ?? {}, 'config section "feed-replay.candleModel"');
  const groups = filesBySymbol(listCandleFiles(candles), options.symbols);
  const loads: CaptureLoad[] = [];
  const series: CandleColumns[] = [];
  const markets: Record<string, CandleMarket> = {};
  for (const [symbol, files] of groups) {
    const bars: CandleEvent[] = [];
    for (const file of files) {
      const started = wallClockMs();
      // One push per bar: spreading a long file's bars into push() would overflow the stack.
      for (const bar of readCandles(file, { symbol }).candles) bars.push(bar);
      loads.push({ name: basename(file), origin: 'decoded', durationMs: wallClockMs() - started });
      await yieldToEventLoop();
    }
    const ordered = withoutOverlaps(bars);
    if (ordered.length < bars.length) logger.warn('candle replay: overlapping bars dropped', { symbol, dropped: bars.length - ordered.length });
    series.push(new CandleColumns(symbol, ordered));
    markets[symbol] = marketOf(symbol, model, ordered, logger);
  }
  return new CandleRecording(series, model, markets, loads);
}

/** Files grouped by the unified symbol in their names (first-seen order), keeping only `symbols` when given. */
function filesBySymbol(files: readonly string[], symbols?: readonly string[]): Map<string, string[]> {
  const wanted = symbols ? new Set(symbols.map(toUnifiedSymbol)) : undefined;
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const symbol = symbolFromFileName(basename(file));
    if (wanted && !wanted.has(symbol)) continue;
    let group = groups.get(symbol);
    if (!group) groups.set(symbol, (group = []));
    group.push(file);
  }
  for (const symbol of wanted ?? []) {
    if (!groups.has(symbol)) throw invalid('symbols', `symbols: no candle file of ${symbol} among ${files.length} file(s) (symbols come from the file names)`);
  }
  return groups;
}

/** Bars sorted by open time, each starting at or after the end of the one before. */
function withoutOverlaps(bars: CandleEvent[]): CandleEvent[] {
  bars.sort((left, right) => left.openTime - right.openTime);
  const kept: CandleEvent[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const bar of bars) {
    if (bar.openTime < end) continue;
    kept.push(bar);
    end = bar.openTime + bar.intervalMs;
  }
  return kept;
}

/** Tick and step of a symbol: the config's, the paper venue's default markets', or a tick read off the prices' precision. */
function marketOf(symbol: string, model: CandleModel, bars: readonly CandleEvent[], logger: Logger): CandleMarket {
  const configured = Object.entries(model.markets).find(([key]) => toUnifiedSymbol(key) === symbol)?.[1] ?? DEFAULT_CANDLE_MARKETS[symbol];
  if (configured) return configured;
  let decimals = 0;
  for (const bar of bars.slice(0, 2000)) for (const price of [bar.open, bar.high, bar.low, bar.close]) decimals = Math.max(decimals, decimalsOfPrice(price));
  const inferred = { tickSize: Number(`1e-${decimals}`), stepSize: 1e-8 };
  logger.warn('candle replay: tick inferred from the prices; set feed-replay.candleModel.markets to match the venue', { symbol, ...inferred });
  return inferred;
}

/** Decimals written after the point of a price (at most 8). */
function decimalsOfPrice(price: number): number {
  const text = price.toFixed(8).replace(/0+$/, '');
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

function invalid(field: string, message: string): TrancheError {
  return new TrancheError('validation', `invalid config "feed-replay": ${message}`, { field, retryable: false });
}
