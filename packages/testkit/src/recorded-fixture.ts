import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BookSnapshotEvent, MarketEvent, MarketInfo } from '@tranche/core';

/** Names of the recorded fixtures shipped with the test kit. */
export type RecordedFixtureName = 'binance-btcusdt-2024-08-08-1m';

/** A recorded market: the book snapshot, the events after it, and the market's rules. */
export interface RecordedFixture {
  description: string;
  snapshot: BookSnapshotEvent;
  events: MarketEvent[];
  market: MarketInfo;
}

/**
 * Binance spot BTCUSDT rules from the recorded `GET /api/v3/exchangeInfo` response
 * (PRICE_FILTER, LOT_SIZE, MIN_NOTIONAL) and the standard 10 bps spot fee.
 */
export const BINANCE_SPOT_BTCUSDT: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  tickSize: 0.01,
  stepSize: 0.00001,
  minQuantity: 0.00001,
  minNotional: 10,
  maxQuantity: 9000,
  makerFeeBps: 10,
  takerFeeBps: 10,
};

const fixtures: Record<RecordedFixtureName, { file: string; market: MarketInfo }> = {
  'binance-btcusdt-2024-08-08-1m': { file: 'binance-btcusdt-2024-08-08-1m.json.gz', market: BINANCE_SPOT_BTCUSDT },
};

/**
 * Loads a small slice of real recorded market data shipped with the test kit (made by
 * `tools/make-testkit-fixtures.mjs` from the captures bundled with `@tranche/feed-replay`),
 * ready for `TestBench.create({ market: fixture, markets: [fixture.market] })`.
 */
export function loadRecordedFixture(name: RecordedFixtureName = 'binance-btcusdt-2024-08-08-1m'): RecordedFixture {
  const entry = fixtures[name];
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', entry.file);
  const parsed = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { description: string; snapshot: BookSnapshotEvent; events: MarketEvent[] };
  return { description: parsed.description, snapshot: parsed.snapshot, events: parsed.events, market: entry.market };
}
