#!/usr/bin/env node
// Measures the figures quoted in the README: decode time, events and rows per capture,
// bytes per stored row, cache load time and replay throughput at speed 'max'.
// Usage: npx tsc -b tsconfig.lib.json && node scripts/measure-replay.mjs [dataDir]
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryLogger, RunLoop, VirtualClock } from '@tranche/core';
import { FeedReplayConfigSchema, ReplayMarketDataSource, bundledDataDir, findCaptures, decodeCapture, loadRecording } from '../dist/index.js';

const dir = process.argv[2] ?? bundledDataDir();
const cacheDir = mkdtempSync(join(tmpdir(), 'feed-replay-measure-'));
try {
  for (const capture of findCaptures(dir)) {
    decodeCapture(capture); // warm-up (JIT)
    const started = performance.now();
    const decoded = decodeCapture(capture);
    const ms = performance.now() - started;
    const s = decoded.info.statistics;
    console.log(
      `${capture.name} (${capture.symbol}): decode ${ms.toFixed(0)} ms, ${decoded.eventCount} events ` +
        `(${s.bookEvents} book incl. 1 snapshot of ${s.snapshotLevels} levels, ${s.trades} trades), ${decoded.rowCount} rows, ` +
        `${decoded.byteLength} B = ${(decoded.byteLength / decoded.rowCount).toFixed(1)} B/row, gaps ${s.gaps}, crossed ${s.crossedBooks}`,
    );
  }
  let started = performance.now();
  const first = await loadRecording(dir, { cacheDir });
  console.log(`loadRecording (decode + write cache): ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const cached = await loadRecording(dir, { cacheDir });
  console.log(
    `loadRecording (from cache): ${(performance.now() - started).toFixed(0)} ms; ${cached.eventCount} events, ${cached.rowCount} rows, ` +
      `${(cached.byteLength / 1e6).toFixed(1)} MB columns, ${(cached.byteLength / cached.rowCount).toFixed(1)} B/row (same as decoded: ${first.byteLength === cached.byteLength})`,
  );

  const clock = new VirtualClock();
  const runLoop = new RunLoop();
  const source = new ReplayMarketDataSource(FeedReplayConfigSchema.parse({ data: dir, cacheDir }), clock, runLoop, new MemoryLogger());
  let count = 0;
  const done = new Promise((resolve) => source.events$.subscribe({ next: () => count++, complete: resolve }));
  await source.initialize();
  await source.start();
  started = performance.now();
  runLoop.begin();
  await done;
  const ms = performance.now() - started;
  console.log(`replay at speed max: ${count} events in ${ms.toFixed(0)} ms (${Math.round(count / (ms / 1000)).toLocaleString('en')} events/s)`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
