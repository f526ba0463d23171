export * from './emulator-types.js';
export * from './start-binance-emulator.js';
export * from './ccxt-binance-config.js';
export { loadBinanceExchangeInfo, loadBinanceBtcUsdtDepth, synthesizeBook, type BinanceExchangeInfo, type BinanceSymbolInfo } from './binance-fixtures.js';
export type { BalanceRow } from './engine-types.js';
export { seededRandom } from './seeded-random.js';
