/**
 * Test kit for Tranche plugins: contract suites every plugin of a kind must pass,
 * a whole engine in virtual time (`TestBench`), a scripted market data source, a
 * synthetic market and an in-memory venue.
 *
 * @packageDocumentation
 */
export * from './scripted-market-data-source.js';
export * from './synthetic-market.js';
export * from './in-memory-venue.js';
export * from './test-bench.js';
export * from './recorded-fixture.js';
export * from './strategy-contract.js';
export * from './algo-invariants.js';
export * from './test-strategies.js';
export * from './run-algo-scenario.js';
export * from './history-entry.js';
export * from './venue-contract.js';
export * from './notifier-contract.js';
export * from './exchange-emulator/index.js';
export { thrownTrancheError } from './thrown-tranche-error.js';
export * from './bus/index.js';
export * from './nats/index.js';
