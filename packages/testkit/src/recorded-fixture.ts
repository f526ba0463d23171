import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { BookSnapshotEvent, MarketEvent, MarketInfo } from '@tranche/core';

/** Names of the recorded fixtures shipped with the test kit. */
export type RecordedFixtureName = 'binance-btcusdt-2024-08-08-1m';

/** A recorded market: the book snapshot, the events after it, and the market's rules (as the paper venue states them). */
export interface RecordedFixture {
  description: string;
  snapshot: BookSnapshotEvent;
  events: MarketEvent[];
  market: MarketInfo;
}

const fixtureFiles: Record<RecordedFixtureName, string> = {
  'binance-btcusdt-2024-08-08-1m': 'binance-btcusdt-2024-08-08-1m.json.gz',
};

/**
 * Loads a small slice of real recorded market data shipped with the test kit (made by
 * `tools/make-testkit-fixtures.mjs` from the captures bundled with `@tranche/feed-replay`),
 * ready for `TestBench.create({ market: fixture, markets: [fixture.market] })`.
 */
export function loadRecordedFixture(name: RecordedFixtureName = 'binance-btcusdt-2024-08-08-1m'): RecordedFixture {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', fixtureFiles[name]);
  const parsed = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as RecordedFixture;
  return { description: parsed.description, snapshot: parsed.snapshot, events: parsed.events, market: parsed.market };
}
