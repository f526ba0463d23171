import type { Logger } from '@tranche/core';
import type { Recording } from '@tranche/feed-replay';

/** What every section of `tranche bench` gets. */
export interface BenchContext {
  /** The bundled (or `--data`) captures, decoded once and held column-wise (warm). */
  readonly recording: Recording;
  /** Tiny mode (`--quick`): fewer repeats and smaller scales, for tests. */
  readonly quick: boolean;
  /** Where library code logs (warnings only by default). */
  readonly logger: Logger;
  /** Directory of the captures. */
  readonly dataDir: string;
  /** Reports what the bench is doing (stderr), for a human watching. */
  progress(message: string): void;
}

/** One printed figure, with the baseline it is compared to and its target. */
export interface BenchFigure {
  /** What is measured, e.g. `pipeline throughput (rows/s)`. */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same-run baseline, when the figure has one. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** The target in words, e.g. `≥ 1,000,000 rows/s`. */
  readonly target?: string;
  /** Whether the target is met (absent: no target). */
  readonly pass?: boolean;
}

/** What a section returns: figures for the table, extra text, and its JSON. */
export interface BenchSectionResult {
  readonly figures: readonly BenchFigure[];
  /** Free text printed under the table (definitions, a sub-table). */
  readonly notes?: readonly string[];
  /** The section in `--json` output. */
  readonly json: Record<string, unknown>;
}

/** One section of `tranche bench`; its `id` is its key in the JSON output. */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchSectionResult>;
}

/** `true` when `value` meets `≥ target`. */
export function atLeast(value: number, target: number): boolean {
  return Number.isFinite(value) && value >= target;
}

/** `true` when `value` meets `≤ target`. */
export function atMost(value: number, target: number): boolean {
  return Number.isFinite(value) && value <= target;
}

/** Wall time in ms from a monotonic clock (the bench app may read it; library code may not). */
export function nowMs(): number {
  return performance.now();
}

/** Runs the garbage collector when node was started with `--expose-gc`; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}

/** The `q`-quantile (0..1) of ascending `sorted` values (nearest rank), `NaN` when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
