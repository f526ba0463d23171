import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorBook, EmulatorLevel } from './emulator-types.js';

/** A symbol of Binance's `exchangeInfo` (the fields the emulator reads; the rest is served as recorded). */
export interface BinanceSymbolInfo {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  orderTypes: string[];
  filters: Array<Record<string, unknown> & { filterType: string }>;
  [key: string]: unknown;
}

/** Binance's `GET /api/v3/exchangeInfo` body. */
export interface BinanceExchangeInfo {
  timezone: string;
  serverTime: number;
  rateLimits: unknown[];
  exchangeFilters: unknown[];
  symbols: BinanceSymbolInfo[];
}

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'binance');

/** The recorded spot `exchangeInfo` (2021-10-12), trimmed to a few symbols (see fixtures/binance/SOURCES.md). */
export function loadBinanceExchangeInfo(): BinanceExchangeInfo {
  return JSON.parse(readFileSync(join(fixtureDir, 'exchange-info.json'), 'utf8')) as BinanceExchangeInfo;
}

/** Mid prices the synthesized books are built around (consistent with the recorded BTCUSDT book). */
const SYNTHETIC_MIDS: Record<string, number> = { ETHUSDT: 3400, ETHBTC: 0.055, BNBUSDT: 550, SOLUSDT: 150 };

/** The real BTCUSDT depth snapshot (2024-08-08, 1000 levels) and its `lastUpdateId`. */
export function loadBinanceBtcUsdtDepth(): EmulatorBook & { lastUpdateId: number } {
  const raw = JSON.parse(readFileSync(join(fixtureDir, 'depth-btcusdt.json'), 'utf8')) as {
    lastUpdateId: number;
    bids: [string, string][];
    asks: [string, string][];
  };
  const levels = (rows: [string, string][]): EmulatorLevel[] => rows.map(([p, q]) => [Number(p), Number(q)] as const);
  return { lastUpdateId: raw.lastUpdateId, bids: levels(raw.bids), asks: levels(raw.asks) };
}

/**
 * A deterministic synthetic book around `mid`: `levels` levels a side, one tick apart near
 * the touch and wider further out, sizes growing with distance. Used for every symbol
 * other than BTCUSDT (whose book is the recorded snapshot).
 */
export function synthesizeBook(mid: number, tickSize: number, stepSize: number, levels = 50): EmulatorBook {
  const roundTo = (value: number, step: number) => Math.round(Math.round(value / step) * step * 1e8) / 1e8;
  const spacing = Math.max(tickSize, roundTo(mid * 0.0001, tickSize));
  const baseQty = Math.max(stepSize, roundTo(200 / mid, stepSize));
  const bids: EmulatorLevel[] = [];
  const asks: EmulatorLevel[] = [];
  const bestBid = roundTo(mid - tickSize, tickSize);
  const bestAsk = roundTo(mid + tickSize, tickSize);
  for (let i = 0; i < levels; i++) {
    const qty = roundTo(baseQty * (1 + ((i * 7) % 5)) * (1 + i / 10), stepSize);
    bids.push([roundTo(bestBid - i * spacing, tickSize), qty]);
    asks.push([roundTo(bestAsk + i * spacing, tickSize), qty]);
  }
  return { bids: bids.filter(([p]) => p > 0), asks };
}

/** The default mid of a synthesized symbol, or undefined when the emulator has none. */
export function syntheticMid(symbol: string): number | undefined {
  return SYNTHETIC_MIDS[symbol];
}
