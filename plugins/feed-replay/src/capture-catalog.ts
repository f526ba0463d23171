import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrancheError } from '@tranche/core';
import { toUnifiedSymbol } from './symbol-mapping.js';

/** One recorded capture: the CSV files of one venue, symbol and period. */
export interface CaptureFiles {
  /** Capture name, the common file-name prefix (`binance-spot_BTCUSDT_20240808-09`). */
  readonly name: string;
  /** Venue part of the name (`binance-spot`, `binance-usdm`). */
  readonly venue: string;
  /** Symbol as the exchange spells it (`BTCUSDT`). */
  readonly exchangeSymbol: string;
  /** Unified symbol (`BTC/USDT`). */
  readonly symbol: string;
  /** Period part of the name (`20240808-09`). */
  readonly period: string;
  /** Path of the depth CSV (required: the book is what a replay is for). */
  readonly depth: string;
  /** Path of the trades CSV, if recorded. */
  readonly trades?: string;
  /** Path of the bookTicker CSV, if recorded (used for validation only). */
  readonly bookTicker?: string;
}

const FILE_PATTERN = /^([a-z0-9-]+)_([A-Za-z0-9]+(?:_PERP)?)_([0-9A-Za-z-]+)_(trades|depth|bookticker)\.csv(?:\.gz)?$/;

/**
 * Lists the captures in a directory of flat CSVs named
 * `<venue>_<SYMBOL>_<period>_{trades,depth,bookticker}.csv.gz`. A capture without a
 * depth file is skipped. Sorted by name.
 */
export function findCaptures(dir: string): CaptureFiles[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new TrancheError('validation', `market data directory ${root} does not exist`, { field: 'data', retryable: false });
  }
  const groups = new Map<string, { venue: string; exchangeSymbol: string; period: string; files: Record<string, string> }>();
  for (const file of readdirSync(root).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    const [, venue, exchangeSymbol, period, kind] = match as unknown as [string, string, string, string, string];
    const name = `${venue}_${exchangeSymbol}_${period}`;
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { venue, exchangeSymbol, period, files: {} }));
    // Prefer the gzipped file when both spellings exist.
    if (!group.files[kind] || file.endsWith('.gz')) group.files[kind] = join(root, file);
  }
  const captures: CaptureFiles[] = [];
  for (const [name, group] of groups) {
    if (!group.files.depth) continue;
    captures.push({
      name,
      venue: group.venue,
      exchangeSymbol: group.exchangeSymbol,
      symbol: toUnifiedSymbol(group.exchangeSymbol),
      period: group.period,
      depth: group.files.depth,
      ...(group.files.trades ? { trades: group.files.trades } : {}),
      ...(group.files.bookticker ? { bookTicker: group.files.bookticker } : {}),
    });
  }
  return captures.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
