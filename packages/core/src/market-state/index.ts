// Market features computed incrementally over rolling windows, and what turns them into states.
export * from './market-feature.js';
export * from './market-feature-window.js';
export * from './market-features.js';
export * from './market-state-hysteresis.js';
export * from './share-of-time.js';
