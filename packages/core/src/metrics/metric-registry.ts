import type { MetricSnapshot, MetricValue } from '../contracts/metric-collector.js';
import { TrancheError } from '../errors/tranche-error.js';
import { Histogram } from './histogram.js';
import { metricKey, type MetricLabels } from './metric-key.js';

/** A monotonically increasing count. */
export interface Counter {
  readonly value: number;
  /** Adds `by` (default 1; negative amounts are refused). */
  inc(by?: number): void;
}

/** A value that goes up and down. */
export interface Gauge {
  readonly value: number;
  set(value: number): void;
  inc(by?: number): void;
  dec(by?: number): void;
}

/** Options of `MetricRegistry.histogram`. */
export interface HistogramOptions {
  labels?: MetricLabels;
  help?: string;
  /** Also publish `<name>_p50`, `_p99`, `_p999` and `_max` gauges in the snapshot (default true). */
  quantiles?: boolean;
}

type Entry =
  | { kind: 'counter'; name: string; help?: string; state: { value: number }; handle?: Counter }
  | { kind: 'gauge'; name: string; help?: string; state: { value: number }; read?: () => number; handle?: Gauge }
  | { kind: 'histogram'; name: string; help?: string; histogram: Histogram; quantiles: boolean; labels?: MetricLabels };

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Named counters, gauges and histograms, with optional labels, turned into a
 * `MetricSnapshot` on demand. A collector keeps one registry and returns
 * `registry.snapshot()`. Asking twice for the same name and labels returns the same
 * metric object (a lookup by key: keep the handle in hot paths); one name cannot be two kinds.
 */
export class MetricRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly kinds = new Map<string, Entry['kind']>();

  /** The counter `name` (with `labels`), created at 0 on first use. */
  counter(name: string, labels?: MetricLabels, help?: string): Counter {
    const entry = this.entry(name, labels, 'counter', () => ({ kind: 'counter', name, ...(help === undefined ? {} : { help }), state: { value: 0 } })) as Extract<
      Entry,
      { kind: 'counter' }
    >;
    const state = entry.state;
    return (entry.handle ??= {
      get value() {
        return state.value;
      },
      inc(by = 1) {
        if (!(by >= 0)) throw new TrancheError('internal', `counter ${name} cannot go down (inc by ${by})`, { retryable: false });
        state.value += by;
      },
    });
  }

  /** The gauge `name` (with `labels`), created at 0 on first use. */
  gauge(name: string, labels?: MetricLabels, help?: string): Gauge {
    const entry = this.entry(name, labels, 'gauge', () => ({ kind: 'gauge', name, ...(help === undefined ? {} : { help }), state: { value: 0 } })) as Extract<
      Entry,
      { kind: 'gauge' }
    >;
    const state = entry.state;
    return (entry.handle ??= {
      get value() {
        return state.value;
      },
      set(value: number) {
        state.value = value;
      },
      inc(by = 1) {
        state.value += by;
      },
      dec(by = 1) {
        state.value -= by;
      },
    });
  }

  /** A gauge whose value `read()` returns when a snapshot is taken (a queue length, a pool size). */
  computedGauge(name: string, read: () => number, labels?: MetricLabels, help?: string): void {
    const entry = this.entry(name, labels, 'gauge', () => ({ kind: 'gauge', name, ...(help === undefined ? {} : { help }), state: { value: 0 } }));
    (entry as Extract<Entry, { kind: 'gauge' }>).read = read;
  }

  /** The histogram `name` (with `options.labels`) with these bucket bounds, created empty on first use. */
  histogram(name: string, bounds: readonly number[], options: HistogramOptions = {}): Histogram {
    const entry = this.entry(name, options.labels, 'histogram', () => ({
      kind: 'histogram',
      name,
      ...(options.help === undefined ? {} : { help: options.help }),
      histogram: new Histogram(bounds),
      quantiles: options.quantiles ?? true,
      ...(options.labels === undefined ? {} : { labels: options.labels }),
    }));
    return (entry as Extract<Entry, { kind: 'histogram' }>).histogram;
  }

  /** Every metric by key (`name{label="value"}`), histograms with their quantile gauges; keys sorted. */
  snapshot(): MetricSnapshot {
    const snapshot: MetricSnapshot = {};
    for (const key of [...this.entries.keys()].sort()) {
      const entry = this.entries.get(key)!;
      const help = entry.help === undefined ? {} : { help: entry.help };
      if (entry.kind === 'counter') snapshot[key] = { kind: 'counter', value: entry.state.value, ...help };
      else if (entry.kind === 'gauge') snapshot[key] = { kind: 'gauge', value: entry.read ? entry.read() : entry.state.value, ...help };
      else {
        snapshot[key] = entry.histogram.toMetricValue(entry.help);
        if (entry.quantiles && entry.histogram.count > 0) {
          const quantile = (suffix: string, value: number): void => {
            snapshot[metricKey(`${entry.name}_${suffix}`, entry.labels)] = { kind: 'gauge', value } satisfies MetricValue;
          };
          quantile('p50', entry.histogram.quantile(0.5));
          quantile('p99', entry.histogram.quantile(0.99));
          quantile('p999', entry.histogram.quantile(0.999));
          quantile('max', entry.histogram.max);
        }
      }
    }
    return snapshot;
  }

  private entry(name: string, labels: MetricLabels | undefined, kind: Entry['kind'], create: () => Entry): Entry {
    const key = metricKey(name, labels);
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.kind !== kind) throw new TrancheError('internal', `metric ${key} is a ${existing.kind}, not a ${kind}`, { retryable: false });
      return existing;
    }
    if (!NAME.test(name)) throw new TrancheError('internal', `metric name "${name}" must be snake_case`, { retryable: false });
    const known = this.kinds.get(name);
    if (known !== undefined && known !== kind) throw new TrancheError('internal', `metric ${name} is a ${known}, not a ${kind}`, { retryable: false });
    this.kinds.set(name, kind);
    const entry = create();
    this.entries.set(key, entry);
    return entry;
  }
}
