import { join } from 'node:path';
import { NoopLogger, TrancheError, yieldToEventLoop, type Logger } from '@tranche/core';
import { bundledDataDir } from './bundled-data-dir.js';
import { CaptureCache } from './capture-cache.js';
import { findCaptures } from './capture-catalog.js';
import { selectCaptures, type CaptureSelection } from './select-captures.js';
import { decodeCapture } from './capture-decoder.js';
import type { ColumnarCapture } from './columnar-capture.js';
import { replayLoadStatistics } from './load-statistics.js';
import { Recording, type CaptureLoad } from './recording.js';
import { wallClockMs } from './wall-clock.js';

/** Options of `loadRecording`. */
export interface LoadRecordingOptions extends CaptureSelection {
  /** Columnar cache directory; `false` disables the cache. Default `<cwd>/.tranche/cache`. */
  readonly cacheDir?: string | false;
  /** Where to report what was loaded (default: nowhere). */
  readonly logger?: Logger;
}

/**
 * Loads recorded captures from a directory of flat CSVs (default: the bundled data):
 * picks the captures (`datasets`, `symbols`), and for each one reads the columnar
 * cache or decodes the CSVs and writes the cache. The result replays as one
 * time-ordered stream of `MarketEvent`s (`recording.events()`).
 */
export async function loadRecording(dir: string = bundledDataDir(), options: LoadRecordingOptions = {}): Promise<Recording> {
  const logger = options.logger ?? new NoopLogger();
  const captures = selectCaptures(findCaptures(dir), options);
  if (captures.length === 0) {
    throw new TrancheError('validation', `no recorded captures in ${dir} (expected <venue>_<SYMBOL>_<period>_depth.csv.gz files)`, { field: 'data', retryable: false });
  }
  const cacheDir = options.cacheDir ?? join(process.cwd(), '.tranche', 'cache');
  const cache = cacheDir === false ? undefined : new CaptureCache(cacheDir);
  const decoded: ColumnarCapture[] = [];
  const loads: CaptureLoad[] = [];
  for (const capture of captures) {
    const started = wallClockMs();
    const cached = cache?.load(capture);
    if (cached !== undefined && typeof cached !== 'string') {
      replayLoadStatistics.cacheHits++;
      const load: CaptureLoad = { name: capture.name, origin: 'cache', durationMs: wallClockMs() - started, cacheFile: cache!.fileOf(capture) };
      logger.debug('replay capture loaded from cache', { ...load });
      decoded.push(cached);
      loads.push(load);
      continue;
    }
    if (cached === 'rejected') {
      replayLoadStatistics.cacheRejected++;
      logger.warn('replay cache file ignored (corrupt, foreign or outdated); rebuilding it', { capture: capture.name, file: cache!.fileOf(capture) });
    }
    replayLoadStatistics.cacheMisses++;
    const result = decodeCapture(capture);
    let cacheFile: string | undefined;
    if (cache) {
      try {
        cacheFile = cache.store(capture, result);
        replayLoadStatistics.cacheWrites++;
      } catch (error) {
        logger.warn('replay cache not written', { capture: capture.name, dir: cache.dir, error: (error as Error).message });
      }
    }
    const statistics = result.info.statistics;
    const load: CaptureLoad = { name: capture.name, origin: 'decoded', durationMs: wallClockMs() - started, ...(cacheFile ? { cacheFile } : {}) };
    logger.info('replay capture decoded', {
      ...load,
      events: result.eventCount,
      rows: result.rowCount,
      gaps: statistics.gaps,
      crossedBooks: statistics.crossedBooks,
    });
    if (statistics.gaps > 0) logger.warn('replay capture has sequence gaps', { capture: capture.name, gaps: statistics.gaps, first: statistics.gapDetails[0] });
    if (statistics.crossedBooks > 0) logger.warn('replay capture has crossed books', { capture: capture.name, crossedBooks: statistics.crossedBooks });
    decoded.push(result);
    loads.push(load);
    // Decoding is synchronous; let other work (a progress bar) run between captures.
    await yieldToEventLoop();
  }
  return new Recording(decoded, loads);
}
