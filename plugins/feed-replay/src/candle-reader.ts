import { basename } from 'node:path';
import { TrancheError, type CandleEvent } from '@tranche/core';
import { readCsvFile, type CsvColumns, type CsvRow } from './gzip-csv-reader.js';
import { toUnifiedSymbol } from './symbol-mapping.js';

/** Options of `readCandles`. */
export interface ReadCandlesOptions {
  /** Unified symbol of the bars (default: from the file name, e.g. `..._BTCUSDT_1m_...` → `BTC/USDT`). */
  symbol?: string;
  /** Bar length in ms (default: from the file name `_1m_`/`_1h_`, else the most common gap between bars). */
  intervalMs?: number;
  /** Whether the `volume` column is in the quote currency (default: true for FTX files, whose volume is in USD). */
  volumeInQuote?: boolean;
}

/** Bars of one symbol read from a file. */
export interface CandleSeries {
  symbol: string;
  intervalMs: number;
  candles: CandleEvent[];
}

const INTERVALS: Record<string, number> = { '1m': 60_000, '3m': 180_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 };

/**
 * Reads OHLCV bars from a CSV (gzipped or not): Binance kline files with the header
 * `open_time_ms,open,high,low,close,volume[,close_time_ms],quote_volume,trades,…` (1m
 * days and months, the hourly history) or `timestamp,open,high,low,close,volume` files
 * (ISO-like UTC timestamps of the bar's open, e.g. the FTX export). Each bar becomes a
 * `candle` event whose `ts` is its close time, so a replay never shows a bar early.
 */
export function readCandles(path: string, options: ReadCandlesOptions = {}): CandleSeries {
  const name = basename(path);
  const raw: Array<{ openTime: number; open: number; high: number; low: number; close: number; volume: number; quoteVolume?: number; trades?: number; takerBuyVolume?: number }> = [];
  let format: 'binance' | 'timestamp' | undefined;
  readCsvFile(path, ['open', 'high', 'low', 'close', 'volume'], (row: CsvRow, columns: CsvColumns) => {
    format ??= columns['open_time_ms'] !== undefined ? 'binance' : columns['timestamp'] !== undefined ? 'timestamp' : undefined;
    if (format === undefined) {
      throw new TrancheError('validation', `candle file ${path} needs an "open_time_ms" or a "timestamp" column`, { field: 'candles', retryable: false });
    }
    const openTime = format === 'binance' ? row.number(columns['open_time_ms']!) : parseTimestamp(row.text(columns['timestamp']!), path);
    const bar = {
      openTime,
      open: row.number(columns['open']!),
      high: row.number(columns['high']!),
      low: row.number(columns['low']!),
      close: row.number(columns['close']!),
      volume: row.number(columns['volume']!),
      ...(columns['quote_volume'] === undefined ? {} : { quoteVolume: row.number(columns['quote_volume']) }),
      ...(columns['trades'] === undefined ? {} : { trades: row.number(columns['trades']) }),
      ...(columns['taker_buy_base_volume'] === undefined ? {} : { takerBuyVolume: row.number(columns['taker_buy_base_volume']) }),
    };
    for (const key of ['open', 'high', 'low', 'close', 'volume'] as const) {
      if (!Number.isFinite(bar[key]) || bar[key] < 0 || (key !== 'volume' && bar[key] === 0)) {
        throw new TrancheError('validation', `candle file ${path}: bar at ${openTime} has ${key} ${JSON.stringify(row.text(columns[key]!))}`, {
          field: 'candles',
          retryable: false,
        });
      }
    }
    raw.push(bar);
  });
  if (raw.length === 0) throw new TrancheError('validation', `candle file ${path} has no bars`, { field: 'candles', retryable: false });
  const symbol = options.symbol ?? symbolFromFileName(name);
  raw.sort((left, right) => left.openTime - right.openTime);
  const intervalMs = options.intervalMs ?? intervalFromFileName(name) ?? mostCommonGap(raw.map((bar) => bar.openTime)) ?? 60_000;
  const volumeInQuote = options.volumeInQuote ?? /ftx/i.test(name);
  const candles = raw.map((bar): CandleEvent => {
    const volume = volumeInQuote ? bar.volume / bar.close : bar.volume;
    const quoteVolume = volumeInQuote ? bar.volume : bar.quoteVolume;
    return {
      type: 'candle',
      symbol,
      ts: bar.openTime + intervalMs,
      openTime: bar.openTime,
      intervalMs,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume,
      ...(quoteVolume === undefined ? {} : { quoteVolume }),
      ...(bar.trades === undefined || !Number.isFinite(bar.trades) ? {} : { trades: Math.round(bar.trades) }),
      ...(bar.takerBuyVolume === undefined || !Number.isFinite(bar.takerBuyVolume) ? {} : { takerBuyVolume: bar.takerBuyVolume }),
    };
  });
  return { symbol, intervalMs, candles };
}

/** Unified symbol named in a candle file's name (`..._BTCUSDT_1m_...` → `BTC/USDT`, `BTC-PERP` → `BTC/USD`). */
export function symbolFromFileName(name: string): string {
  const perpetual = /([A-Z0-9]{2,10})-PERP/.exec(name);
  if (perpetual) return `${perpetual[1]}/USD`;
  for (const part of name.split(/[_.-]/)) {
    if (/^[A-Z0-9]{5,20}$/.test(part)) {
      const unified = toUnifiedSymbol(part);
      if (unified.includes('/')) return unified;
    }
  }
  throw new TrancheError('validation', `cannot tell the symbol of ${name}: give it explicitly`, { field: 'symbol', retryable: false });
}

function intervalFromFileName(name: string): number | undefined {
  const match = /_(\d+[mhd])_/.exec(name);
  return match ? INTERVALS[match[1]!] : undefined;
}

function mostCommonGap(openTimes: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (let index = 1; index < openTimes.length; index++) {
    const gap = openTimes[index]! - openTimes[index - 1]!;
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [gap, count] of counts) if (count > bestCount) [best, bestCount] = [gap, count];
  return best;
}

function parseTimestamp(text: string, path: string): number {
  const iso = text.trim().replace(' ', 'T').replace(/(\.\d{3})\d*$/, '$1');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (!Number.isFinite(ms)) throw new TrancheError('validation', `candle file ${path}: timestamp ${JSON.stringify(text)} is not a date`, { field: 'candles', retryable: false });
  return ms;
}
