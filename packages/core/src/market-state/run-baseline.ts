import { RingDeque } from './ring-deque.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** What one closed bar contributes to its UTC day. */
export interface BaselineBarInput {
  openTime: number;
  durationMs: number;
  logReturn: number;
  /** `NaN` when unknown. */
  volume: number;
  quoteVolume: number;
  trades: number;
  /** Quote time inside the bar (ms) and the time integrals of spread (bps·ms) and depth (quote·ms). */
  quoteTimeMs: number;
  spreadIntegral: number;
  depthIntegral: number;
}

/** Median statistics of the run's last complete days. */
export interface RunBaselineValues {
  days: number;
  realizedVolatilityPct: number;
  volumePerMinute: number;
  quoteVolumePerMinute: number;
  tradesPerMinute: number;
  zeroVolumeShare: number;
  spreadBps: number;
  topDepthQuote: number;
}

interface DayStats {
  realizedVolatilityPct: number;
  volumePerMinute: number;
  quoteVolumePerMinute: number;
  tradesPerMinute: number;
  zeroVolumeShare: number;
  spreadBps: number;
  topDepthQuote: number;
}

class DayAccumulator {
  coveredMs = 0;
  sumSquares = 0;
  volume = 0;
  volumeMs = 0;
  zeroBars = 0;
  volumeBars = 0;
  quoteVolume = 0;
  quoteVolumeMs = 0;
  trades = 0;
  tradesMs = 0;
  quoteTimeMs = 0;
  spreadIntegral = 0;
  depthIntegral = 0;

  constructor(readonly day: number) {}

  add(bar: BaselineBarInput): void {
    this.coveredMs += bar.durationMs;
    this.sumSquares += bar.logReturn * bar.logReturn;
    if (!Number.isNaN(bar.volume)) {
      this.volume += bar.volume;
      this.volumeMs += bar.durationMs;
      this.volumeBars++;
      if (bar.volume === 0) this.zeroBars++;
    }
    if (!Number.isNaN(bar.quoteVolume)) {
      this.quoteVolume += bar.quoteVolume;
      this.quoteVolumeMs += bar.durationMs;
    }
    if (!Number.isNaN(bar.trades)) {
      this.trades += bar.trades;
      this.tradesMs += bar.durationMs;
    }
    this.quoteTimeMs += bar.quoteTimeMs;
    this.spreadIntegral += bar.spreadIntegral;
    this.depthIntegral += bar.depthIntegral;
  }

  stats(): DayStats {
    const perMinute = (sum: number, ms: number): number => (ms > 0 ? sum / (ms / MINUTE_MS) : Number.NaN);
    return {
      realizedVolatilityPct: Math.sqrt((this.sumSquares / this.coveredMs) * DAY_MS) * 100,
      volumePerMinute: perMinute(this.volume, this.volumeMs),
      quoteVolumePerMinute: perMinute(this.quoteVolume, this.quoteVolumeMs),
      tradesPerMinute: perMinute(this.trades, this.tradesMs),
      zeroVolumeShare: this.volumeBars > 0 ? this.zeroBars / this.volumeBars : Number.NaN,
      spreadBps: this.quoteTimeMs > 0 ? this.spreadIntegral / this.quoteTimeMs : Number.NaN,
      topDepthQuote: this.quoteTimeMs > 0 ? this.depthIntegral / this.quoteTimeMs : Number.NaN,
    };
  }
}

/**
 * The run's own long-run statistics: per complete UTC day (at least `minCoverage` of
 * it seen), realized volatility, volumes, trade rate, zero-volume share, spread and
 * depth; `values` are their medians over the last `maxDays` days. Memory is bounded by
 * `maxDays`; the medians are recomputed once a day.
 */
export class RunBaseline {
  private readonly days: RingDeque<DayStats>;
  private current?: DayAccumulator;
  private cached: RunBaselineValues;

  constructor(
    private readonly maxDays: number,
    private readonly minCoverage = 0.5,
  ) {
    this.days = new RingDeque<DayStats>(Math.max(2, maxDays));
    this.cached = RunBaseline.empty();
  }

  /** Adds a closed bar; closes the previous day when the bar starts a new one. */
  add(bar: BaselineBarInput): void {
    if (this.maxDays <= 0) return;
    const day = Math.floor(bar.openTime / DAY_MS);
    if (!this.current || this.current.day !== day) {
      if (this.current && day > this.current.day) this.finish(this.current);
      if (!this.current || day > this.current.day) this.current = new DayAccumulator(day);
    }
    this.current.add(bar);
  }

  /** Medians over the kept days (`days` = 0 and `NaN`s until a day completes). */
  get values(): RunBaselineValues {
    return this.cached;
  }

  /** Forgets everything. */
  reset(): void {
    this.days.clear();
    this.current = undefined;
    this.cached = RunBaseline.empty();
  }

  private finish(day: DayAccumulator): void {
    if (day.coveredMs < this.minCoverage * DAY_MS) return;
    this.days.push(day.stats());
    while (this.days.length > this.maxDays) this.days.shift();
    const all: DayStats[] = [];
    for (let index = 0; index < this.days.length; index++) all.push(this.days.at(index)!);
    const median = (pick: (stats: DayStats) => number): number => medianOf(all.map(pick).filter((value) => !Number.isNaN(value)));
    this.cached = {
      days: all.length,
      realizedVolatilityPct: median((stats) => stats.realizedVolatilityPct),
      volumePerMinute: median((stats) => stats.volumePerMinute),
      quoteVolumePerMinute: median((stats) => stats.quoteVolumePerMinute),
      tradesPerMinute: median((stats) => stats.tradesPerMinute),
      zeroVolumeShare: median((stats) => stats.zeroVolumeShare),
      spreadBps: median((stats) => stats.spreadBps),
      topDepthQuote: median((stats) => stats.topDepthQuote),
    };
  }

  private static empty(): RunBaselineValues {
    const nan = Number.NaN;
    return {
      days: 0,
      realizedVolatilityPct: nan,
      volumePerMinute: nan,
      quoteVolumePerMinute: nan,
      tradesPerMinute: nan,
      zeroVolumeShare: nan,
      spreadBps: nan,
      topDepthQuote: nan,
    };
  }
}

function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
