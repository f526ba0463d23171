/**
 * Real exchanges through ccxt: a Tranche `Venue` and `MarketDataSource` for any ccxt
 * exchange id.
 *
 * @packageDocumentation
 */
export {};
