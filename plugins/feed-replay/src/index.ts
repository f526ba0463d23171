/**
 * Recorded market data replayed in virtual or real time: Binance trades and L2 depth
 * from flat CSV captures (a BTC/USDT spot and an ETH/USDT perpetual capture are
 * bundled), rebuilt into exact books, cached column-wise, and emitted as
 * `MarketEvent`s on a virtual clock while executions run; or OHLCV candles turned into
 * book and trade events by a documented, conservative fill model.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { FeedReplayConfig, FeedReplayConfigSchema } from './feed-replay-config.schema.js';
import { feedReplayModule } from './feed-replay-module.js';

export { ReplayMarketDataSource, type ReplayProgress } from './replay-market-data-source.js';
export { CandleReplayMarketDataSource } from './candle-replay-market-data-source.js';
export { type ReplayStream, type ReplayCursor } from './replay-stream.js';
export {
  CandleModelSchema,
  CandleMarketSchema,
  CandlePathSchema,
  DEFAULT_CANDLE_MARKETS,
  type CandleModel,
  type CandleModelInput,
  type CandleMarket,
  type CandlePath,
} from './candle-model.schema.js';
export { CandleFillModel } from './candle-fill-model.js';
export { candleVertices, pathPrices, type BarPrices } from './candle-path.js';
export { CandleColumns } from './candle-columns.js';
export { CandleCursor } from './candle-cursor.js';
export { CandleRecording } from './candle-recording.js';
export { loadCandleRecording, listCandleFiles, candleFileSymbols, type LoadCandleRecordingOptions } from './load-candle-recording.js';
export { FeedReplayConfig, FeedReplayConfigSchema } from './feed-replay-config.schema.js';
export { feedReplayModule } from './feed-replay-module.js';
export { loadRecording, type LoadRecordingOptions } from './load-recording.js';
export { Recording, type CaptureLoad } from './recording.js';
export { RecordingCursor } from './recording-cursor.js';
export {
  ColumnarCapture,
  EventKind,
  RowSide,
  type EventKindCode,
  type CaptureColumns,
  type CaptureInfo,
  type CaptureStatistics,
  type SequenceGap,
} from './columnar-capture.js';
export { decodeCapture } from './capture-decoder.js';
export { CaptureCache, type CacheMissReason } from './capture-cache.js';
export { findCaptures, type CaptureFiles } from './capture-catalog.js';
export { selectCaptures, type CaptureSelection } from './select-captures.js';
export { toUnifiedSymbol, KNOWN_QUOTES } from './symbol-mapping.js';
export { bundledDataDir } from './bundled-data-dir.js';
export { readCandles, symbolFromFileName, type CandleSeries, type ReadCandlesOptions } from './candle-reader.js';
export { readCsvFile, CsvRow, type CsvColumns } from './gzip-csv-reader.js';
export { readBookTicker, type BookTickerColumns } from './book-ticker-reader.js';
export { replayLoadStatistics, resetReplayLoadStatistics, type ReplayLoadStatistics } from './load-statistics.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/**
 * The plugin: binds `ReplayMarketDataSource` (or `CandleReplayMarketDataSource` when
 * `candles` is set) as the `MarketDataSource` (id `replay`) and a `VirtualClock` unless
 * a clock is bound; config section `feed-replay`.
 */
const feedReplayPlugin = definePlugin<FeedReplayConfig>({
  name: 'feed-replay',
  version: VERSION,
  description: 'Replays recorded Binance trades and L2 depth (bundled BTC/USDT and ETH/USDT), or OHLCV candles through a fill model, in virtual or real time',
  configSchema: FeedReplayConfigSchema,
  configToken: FeedReplayConfig,
  module: feedReplayModule,
});
export default feedReplayPlugin;
