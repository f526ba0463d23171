import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '@tranche/core';
import { BTC_SPOT, ETH_USDM, sliceBundledCapture, temporaryDir } from '../test/helpers.js';
import { bundledDataDir } from './bundled-data-dir.js';
import { replayLoadStatistics, resetReplayLoadStatistics } from './load-statistics.js';
import { loadRecording } from './load-recording.js';
import type { Recording } from './recording.js';
import { wallClockMs } from './wall-clock.js';

function digest(recording: Recording): { count: number; hash: string } {
  const hash = createHash('sha1');
  let count = 0;
  for (const event of recording.events()) {
    hash.update(JSON.stringify(event));
    count++;
  }
  return { count, hash: hash.digest('hex') };
}

describe('loadRecording with the columnar cache', () => {
  const cache = temporaryDir('feed-replay-cache-');
  const data = temporaryDir('feed-replay-data-');
  sliceBundledCapture(data.dir, BTC_SPOT, 5_000);
  afterAll(() => {
    cache.cleanup();
    data.cleanup();
  });
  beforeEach(() => resetReplayLoadStatistics());

  it('decodes once, then loads identical events from the cache without parsing CSV', async () => {
    const decodeStarted = wallClockMs();
    const first = await loadRecording(bundledDataDir(), { cacheDir: cache.dir });
    const decodeMs = wallClockMs() - decodeStarted;
    expect(first.loads.map((load) => load.origin)).toEqual(['decoded', 'decoded']);
    expect(replayLoadStatistics).toMatchObject({ csvFilesParsed: 4, cacheMisses: 2, cacheWrites: 2, cacheHits: 0 });
    expect(readdirSync(cache.dir).sort()).toEqual([expect.stringMatching(new RegExp(`^${BTC_SPOT}\\.[0-9a-f]{16}\\.trcap$`)), expect.stringMatching(new RegExp(`^${ETH_USDM}\\.`))]);

    resetReplayLoadStatistics();
    const cacheStarted = wallClockMs();
    const second = await loadRecording(bundledDataDir(), { cacheDir: cache.dir });
    const cacheMs = wallClockMs() - cacheStarted;
    expect(second.loads.map((load) => load.origin)).toEqual(['cache', 'cache']);
    expect(replayLoadStatistics).toMatchObject({ csvFilesParsed: 0, csvRowsParsed: 0, cacheHits: 2, cacheMisses: 0 });
    expect(second.captures.map((capture) => capture.info)).toEqual(first.captures.map((capture) => capture.info));
    for (let index = 0; index < first.captures.length; index++) {
      const expected = first.captures[index]!.columns;
      const actual = second.captures[index]!.columns;
      for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
        expect(Buffer.from(actual[key].buffer, actual[key].byteOffset, actual[key].byteLength).equals(Buffer.from(expected[key].buffer, expected[key].byteOffset, expected[key].byteLength)), key).toBe(true);
      }
    }
    const a = digest(first);
    const b = digest(second);
    expect(a.count).toBe(26398 + 20657);
    expect(b).toEqual(a);

    // Compactness: the columns take well under 32 bytes per stored level/trade row.
    const bytesPerRow = second.byteLength / second.rowCount;
    expect(bytesPerRow).toBeLessThanOrEqual(32);
    expect(cacheMs).toBeLessThan(decodeMs);
    // Measurements quoted in the README (printed for `vitest run --reporter verbose`).
    process.stdout.write(
      `feed-replay: decode ${decodeMs.toFixed(0)} ms, cache load ${cacheMs.toFixed(0)} ms, ${second.eventCount} events, ${second.rowCount} rows, ${bytesPerRow.toFixed(1)} B/row\n`,
    );
  });

  it('ignores and rebuilds a corrupt cache file', async () => {
    await loadRecording(data.dir, { cacheDir: cache.dir });
    const file = readdirSync(cache.dir).find((name) => name.startsWith(`${BTC_SPOT}.`) && name.endsWith('.trcap') && name !== undefined)!;
    const path = join(cache.dir, file);
    const original = digest(await loadRecording(data.dir, { cacheDir: cache.dir }));
    const bytes = readFileSync(path);
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(path, bytes);
    resetReplayLoadStatistics();
    const logger = new MemoryLogger();
    const rebuilt = await loadRecording(data.dir, { cacheDir: cache.dir, logger });
    expect(rebuilt.loads[0]!.origin).toBe('decoded');
    expect(replayLoadStatistics).toMatchObject({ cacheRejected: 1, cacheWrites: 1 });
    expect(logger.records.some((record) => record.level === 'warn' && /cache file ignored/.test(record.message))).toBe(true);
    expect(digest(rebuilt)).toEqual(original);
    expect((await loadRecording(data.dir, { cacheDir: cache.dir })).loads[0]!.origin).toBe('cache');
  });

  it.each([
    ['a foreign file', Buffer.from('not a tranche cache file at all')],
    ['a truncated file', undefined],
    ['an empty file', Buffer.alloc(0)],
  ])('ignores %s in place of a cache file', async (_, content) => {
    await loadRecording(data.dir, { cacheDir: cache.dir });
    const file = join(cache.dir, readdirSync(cache.dir).find((name) => name.startsWith(`${BTC_SPOT}.`))!);
    writeFileSync(file, content ?? readFileSync(file).subarray(0, 5000));
    resetReplayLoadStatistics();
    const recording = await loadRecording(data.dir, { cacheDir: cache.dir });
    expect(recording.loads[0]!.origin).toBe('decoded');
    expect(replayLoadStatistics.cacheRejected).toBe(1);
  });

  it('keys the cache by the source files: a touched file is decoded again and the old entry replaced', async () => {
    await loadRecording(data.dir, { cacheDir: cache.dir });
    const before = readdirSync(cache.dir).filter((name) => name.startsWith(`${BTC_SPOT}.`));
    const future = new Date(Date.UTC(2030, 0, 1));
    utimesSync(join(data.dir, `${BTC_SPOT}_depth.csv.gz`), future, future);
    const recording = await loadRecording(data.dir, { cacheDir: cache.dir });
    expect(recording.loads[0]!.origin).toBe('decoded');
    const after = readdirSync(cache.dir).filter((name) => name.startsWith(`${BTC_SPOT}.`));
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it('writes nothing with cacheDir: false', async () => {
    const recording = await loadRecording(data.dir, { cacheDir: false });
    expect(recording.loads[0]).toMatchObject({ origin: 'decoded' });
    expect(recording.loads[0]!.cacheFile).toBeUndefined();
    expect(replayLoadStatistics).toMatchObject({ cacheWrites: 0, cacheHits: 0, csvFilesParsed: 2 });
  });
});
