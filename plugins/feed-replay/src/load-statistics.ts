/** Counters of what `loadRecording` did, process-wide (tests, benchmarks, progress lines). */
export interface ReplayLoadStatistics {
  /** CSV files parsed (0 on a load served from the columnar cache). */
  csvFilesParsed: number;
  /** CSV data rows parsed. */
  csvRowsParsed: number;
  /** Captures served from the columnar cache. */
  cacheHits: number;
  /** Captures decoded because no usable cache file existed. */
  cacheMisses: number;
  /** Cache files found but ignored (corrupt, foreign, or of another format version). */
  cacheRejected: number;
  /** Cache files written. */
  cacheWrites: number;
}

/** The process-wide load counters; reset them with `resetReplayLoadStatistics()`. */
export const replayLoadStatistics: ReplayLoadStatistics = {
  csvFilesParsed: 0,
  csvRowsParsed: 0,
  cacheHits: 0,
  cacheMisses: 0,
  cacheRejected: 0,
  cacheWrites: 0,
};

/** Sets every load counter back to 0. */
export function resetReplayLoadStatistics(): void {
  for (const key of Object.keys(replayLoadStatistics) as (keyof ReplayLoadStatistics)[]) replayLoadStatistics[key] = 0;
}
