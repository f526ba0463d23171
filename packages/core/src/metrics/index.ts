// Metric building blocks for collectors: histograms with quantiles, a registry of named metrics, event rates.
export * from './histogram.js';
export * from './metric-key.js';
export * from './metric-registry.js';
export * from './event-rate-meter.js';
export * from './collect-metrics.js';
