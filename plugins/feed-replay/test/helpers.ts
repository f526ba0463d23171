import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { bundledDataDir } from '../src/bundled-data-dir.js';

/** Header of a depth CSV. */
export const DEPTH_HEADER = 'local_ts_ns,exch_ts_ms,kind,first_update_id,last_update_id,prev_last_update_id,side,price,qty';
/** Header of a trades CSV. */
export const TRADES_HEADER = 'local_ts_ns,exch_ts_ms,trade_id,price,qty,taker_side,is_buyer_maker';

/** A fresh temporary directory; `cleanup()` removes it. */
export function temporaryDir(prefix = 'feed-replay-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `<dir>/<name>_<kind>.csv.gz` with a header and rows. */
export function writeCsv(dir: string, name: string, kind: 'depth' | 'trades' | 'bookticker', header: string, rows: readonly string[]): string {
  const path = join(dir, `${name}_${kind}.csv.gz`);
  writeFileSync(path, gzipSync(`${[header, ...rows].join('\n')}\n`));
  return path;
}

/**
 * Copies the first `spanMs` of a bundled capture (by local receive time, snapshot
 * included) into `dir`: a short slice of real data for fast driver tests.
 */
export function sliceBundledCapture(dir: string, name: string, spanMs: number): void {
  for (const kind of ['depth', 'trades'] as const) {
    const lines = gunzipSync(readFileSync(join(bundledDataDir(), `${name}_${kind}.csv.gz`))).toString('latin1').split('\n');
    const header = lines[0]!;
    const first = Number(lines[1]!.split(',')[0]!.slice(0, -6));
    const rows = lines.slice(1).filter((line) => line !== '' && Number(line.split(',')[0]!.slice(0, -6)) <= first + spanMs);
    writeCsv(dir, name, kind, header, rows);
  }
}

/** The BTC/USDT spot capture of the bundled data. */
export const BTC_SPOT = 'binance-spot_BTCUSDT_20240808-09';
/** The ETH/USDT USDⓈ-M capture of the bundled data. */
export const ETH_USDM = 'binance-usdm_ETHUSDT_20240808';
