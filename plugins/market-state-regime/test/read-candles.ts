import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { CandleEvent } from '@tranche/core';

/**
 * Reads a Binance kline CSV (`open_time_ms,open,high,low,close,volume,close_time_ms,
 * quote_volume,trades,taker_buy_base_volume,…`, header line, optionally gzipped) into
 * candle events. A test helper: the public reader belongs to the replay feed.
 */
export function readCandles(path: string, symbol = 'BTC/USDT'): CandleEvent[] {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(',');
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${path}: no column ${name}`);
    return index;
  };
  const [open, high, low, close, volume, openTime, closeTime, quote, trades, takerBuy] = [
    'open',
    'high',
    'low',
    'close',
    'volume',
    'open_time_ms',
    'close_time_ms',
    'quote_volume',
    'trades',
    'taker_buy_base_volume',
  ].map(column) as [number, number, number, number, number, number, number, number, number, number];
  const candles: CandleEvent[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const cells = line.split(',');
    const start = Number(cells[openTime]);
    const end = Number(cells[closeTime]) + 1;
    candles.push({
      type: 'candle',
      symbol,
      ts: end,
      openTime: start,
      intervalMs: end - start,
      open: Number(cells[open]),
      high: Number(cells[high]),
      low: Number(cells[low]),
      close: Number(cells[close]),
      volume: Number(cells[volume]),
      quoteVolume: Number(cells[quote]),
      trades: Number(cells[trades]),
      takerBuyVolume: Number(cells[takerBuy]),
    });
  }
  return candles;
}
