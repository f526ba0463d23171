import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findCaptures, loadRecording } from '@tranche/feed-replay';
import { nowMs, type BenchContext, type BenchSection, type BenchSectionResult } from './bench-section.js';

/** The gzipped CSV files behind the recording's captures. */
export function captureFiles(dataDir: string, names: readonly string[]): string[] {
  return findCaptures(dataDir)
    .filter((capture) => names.includes(capture.name))
    .flatMap((capture) => [capture.depth, capture.trades])
    .filter((file): file is string => file !== undefined);
}

/**
 * Decoding, measured apart from the replay: CSV → columns (parse, rebuild and check
 * the book, store), and the columnar cache file read back, against gunzipping the
 * same files (the floor of any CSV reader).
 */
export const decodeSection: BenchSection = {
  id: 'decode',
  title: 'Decoding (parse once, cache columnar)',
  async run(context: BenchContext): Promise<BenchSectionResult> {
    const names = context.recording.loads.map((load) => load.name);
    const selection = { datasets: names.length > 0 ? names : undefined };
    const cacheDir = mkdtempSync(join(tmpdir(), 'tranche-bench-cache-'));
    try {
      const files = captureFiles(context.dataDir, names);
      let gunzipMs = 0;
      let csvBytes = 0;
      let gzipBytes = 0;
      for (const file of files) {
        const compressed = readFileSync(file);
        const started = nowMs();
        const plain = gunzipSync(compressed);
        gunzipMs += nowMs() - started;
        gzipBytes += compressed.length;
        csvBytes += plain.length;
      }
      context.progress('decode: CSV → columns');
      const decodeStarted = nowMs();
      const decoded = await loadRecording(context.dataDir, { ...(selection.datasets ? { datasets: selection.datasets } : {}), cacheDir });
      const decodeMs = nowMs() - decodeStarted;
      const cacheStarted = nowMs();
      const cached = await loadRecording(context.dataDir, { ...(selection.datasets ? { datasets: selection.datasets } : {}), cacheDir });
      const cacheMs = nowMs() - cacheStarted;
      const rows = decoded.rowCount;
      const decodeRowsPerSecond = (rows / decodeMs) * 1_000;
      const cacheRowsPerSecond = (rows / cacheMs) * 1_000;
      const gunzipRowsPerSecond = (rows / gunzipMs) * 1_000;
      return {
        figures: [
          { name: 'CSV decode (gunzip, parse, rebuild book, write cache)', value: decodeRowsPerSecond, unit: 'rows/s', baseline: { name: 'gunzip only', value: gunzipRowsPerSecond } },
          { name: 'columnar cache load (read + checksum)', value: cacheRowsPerSecond, unit: 'rows/s', baseline: { name: 'CSV decode', value: decodeRowsPerSecond } },
          { name: 'CSV decode wall time', value: decodeMs, unit: 'ms', baseline: { name: 'gunzip only', value: gunzipMs } },
          { name: 'cache load wall time', value: cacheMs, unit: 'ms' },
        ],
        notes: [
          `${rows.toLocaleString('en-US')} rows from ${files.length} files (${(gzipBytes / 1e6).toFixed(1)} MB gzipped, ${(csvBytes / 1e6).toFixed(1)} MB of CSV); cache origin on re-read: ${cached.loads.map((load) => load.origin).join(', ')}.`,
        ],
        json: { rows, decodeMs, cacheLoadMs: cacheMs, gunzipMs, decodeRowsPerSecond, cacheRowsPerSecond, gunzipRowsPerSecond, csvBytes, gzipBytes },
      };
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  },
};
