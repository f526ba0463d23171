// Regenerates packages/testkit/fixtures/*.json.gz from the real captures bundled with @tranche/feed-replay:
// the first minute of Binance BTC/USDT spot (2024-08-08 23:54 UTC), the book snapshot cut
// to its top 100 levels a side. Run from the repo root after `npm run build`:
//   node tools/make-testkit-fixtures.mjs
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRecording } from '@tranche/feed-replay';
import { DEFAULT_PAPER_MARKETS } from '@tranche/venue-paper';

const here = dirname(fileURLToPath(import.meta.url));
const recording = await loadRecording(undefined, { symbols: ['BTC/USDT'], cacheDir: false });
const events = [...recording.events()];
const snapshotIndex = events.findIndex((event) => event.type === 'book-snapshot');
const snapshot = events[snapshotIndex];
const top = (levels) => levels.slice(0, 100);
const cut = { ...snapshot, bids: top(snapshot.bids), asks: top(snapshot.asks) };
const until = snapshot.ts + 60_000;
const after = events.slice(snapshotIndex + 1).filter((event) => event.ts <= until);
const fixture = {
  description: 'Binance BTC/USDT spot, first minute of the 2024-08-08 23:54 UTC capture (hftbacktest, MIT); snapshot cut to 100 levels a side',
  source: 'plugins/feed-replay/data/binance-spot_BTCUSDT_20240808-09_{depth,trades}.csv.gz',
  // The market's rules as the paper venue states them (from Binance's recorded exchangeInfo).
  market: DEFAULT_PAPER_MARKETS.find((market) => market.symbol === 'BTC/USDT'),
  snapshot: cut,
  events: after,
};
const file = join(here, '..', 'packages', 'testkit', 'fixtures', 'binance-btcusdt-2024-08-08-1m.json.gz');
writeFileSync(file, gzipSync(JSON.stringify(fixture), { level: 9 }));
process.stdout.write(`${file}: ${after.length} events after the snapshot\n`);
