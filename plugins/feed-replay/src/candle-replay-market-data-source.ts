import { inject, injectable } from 'inversify';
import { Clock, Logger, RunLoop, TrancheError } from '@tranche/core';
import type { CandleRecording } from './candle-recording.js';
import { FeedReplayConfig } from './feed-replay-config.schema.js';
import { candleFileSymbols, loadCandleRecording } from './load-candle-recording.js';
import { ReplayMarketDataSource } from './replay-market-data-source.js';

/**
 * Replays OHLCV candle files (the `candles` setting) as a `MarketDataSource` (id
 * `replay`): each bar becomes book snapshots/deltas and trades along its intra-bar
 * path, made bar by bar by the documented `CandleFillModel` (`candleModel` setting),
 * so every strategy and the unchanged paper venue run on candles. The driver is
 * `ReplayMarketDataSource`'s: virtual clock, run-loop demand, pacing, drain.
 */
@injectable()
export class CandleReplayMarketDataSource extends ReplayMarketDataSource {
  private candleLoading?: Promise<void>;
  private candleRecording?: CandleRecording;
  private listedSymbols?: readonly string[];

  constructor(
    @inject(FeedReplayConfig) private readonly replayConfig: FeedReplayConfig,
    @inject(Clock) clock: Clock,
    @inject(RunLoop) runLoop: RunLoop,
    @inject(Logger) private readonly candleLogger: Logger,
  ) {
    super(replayConfig, clock, runLoop, candleLogger);
  }

  /** Unified symbols of the candle files (from their names before `initialize()`, so no file is read). */
  override symbols(): readonly string[] {
    if (this.candleRecording) return this.candleRecording.symbols();
    this.listedSymbols ??= candleFileSymbols(this.requireCandles(), this.replayConfig.symbols);
    return this.listedSymbols;
  }

  /** The loaded bars and fill model (after `initialize()`). */
  get candles(): CandleRecording | undefined {
    return this.candleRecording;
  }

  /** Reads the candle files, then does what `ReplayMarketDataSource.initialize()` does. Idempotent. */
  override initialize(): Promise<void> {
    this.candleLoading ??= (async () => {
      const recording = await loadCandleRecording(this.requireCandles(), {
        ...(this.replayConfig.symbols ? { symbols: this.replayConfig.symbols } : {}),
        model: this.replayConfig.candleModel,
        logger: this.candleLogger,
      });
      this.candleRecording = recording;
      this.useRecording(recording);
      await super.initialize();
    })();
    return this.candleLoading;
  }

  private requireCandles(): string | readonly string[] {
    const candles = this.replayConfig.candles;
    if (candles === undefined) {
      throw new TrancheError('validation', 'invalid config "feed-replay": candles is required by the candle replay, got nothing', { field: 'candles', retryable: false });
    }
    return candles;
  }
}
