import { L2Book } from '../book/l2-book.js';
import type { SharedBooks } from '../book/shared-books.js';
import type { MarketFeatures } from '../contracts/market-state-classifier.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { BookEvent, CandleEvent, MarketEvent, TickerEvent, TradeEvent } from '../model/market.schema.js';
import { MarketFeature } from './market-feature.js';
import { RingDeque } from './ring-deque.js';
import { RunBaseline } from './run-baseline.js';
import { bookQuote, priceBar, tickerQuote, type Bar, type FormingBar, type Quote, type QuoteIntegral } from './feature-bars.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Options of a `MarketFeatureWindow`. */
export interface MarketFeatureWindowOptions {
  /** The symbol whose events the window accepts (others are ignored). */
  symbol: string;
  /** Length of the rolling window in ms (default one day). Until that much data is seen, the window expands. */
  windowMs?: number;
  /** Bar length for trades and book events (default 60 000); candles are bars as they come. */
  barMs?: number;
  /** Complete UTC days of the run kept for the `baseline*` features (default 30; 0 disables them). */
  baselineDays?: number;
  /** Band around the mid within which book depth counts for `topDepthQuote`, in bps (default 10). */
  depthBandBps?: number;
  /**
   * Books shared with the other readers of the same events (the asset cache): the
   * window reads the symbol's book there instead of rebuilding its own. Default: its own.
   */
  books?: SharedBooks;
}

/**
 * Market features of one symbol over a rolling time window, updated incrementally:
 * push trades, book snapshots/deltas, tickers or candles in time order and read
 * `features()` whenever needed. Candles are bars as they come; trades and book
 * events are aggregated into bars of `barMs` (a trade-less bar has zero volume).
 * Each bar costs O(1) amortized (running sums, monotonic queues for the range);
 * memory is bounded by the window's bars and `baselineDays` daily summaries, whatever
 * the run's length. There is no warm-up: from the first bar the window covers all
 * data so far and expands until it reaches `windowMs`.
 *
 * When a symbol sends both candles and trades, candles win (trades are ignored for
 * prices and volumes); book and ticker events always feed spread and depth.
 */
export class MarketFeatureWindow {
  /** The symbol the window follows. */
  readonly symbol: string;
  /** Length of the window (ms). */
  readonly windowMs: number;
  /** Bar length used for trades and book events (ms). */
  readonly barMs: number;
  private readonly depthBand: number;
  private readonly bars = new RingDeque<Bar>(64);
  private readonly highs = new RingDeque<Bar>(64);
  private readonly lows = new RingDeque<Bar>(64);
  private readonly baseline: RunBaseline;

  private sumReturn = 0;
  private sumSquares = 0;
  private sumAbsChange = 0;
  /** Bars in the window whose return is not exactly 0 (a flat window then reports exact zeros). */
  private movingBars = 0;
  private volume = 0;
  private volumeMs = 0;
  private volumeBars = 0;
  private zeroBars = 0;
  private quoteVolume = 0;
  private quoteVolumeMs = 0;
  private trades = 0;
  private tradesMs = 0;
  private takerBuy = 0;
  private takerBase = 0;
  private quoteTimeMs = 0;
  private spreadIntegral = 0;
  private depthIntegral = 0;
  private evictedSinceRecompute = 0;

  private lastClose = Number.NaN;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private forming?: FormingBar;
  private lastPrice = Number.NaN;
  private tradesSeen = false;
  private candlesSeen = false;
  private book?: L2Book;
  private readonly books?: SharedBooks;
  private quote?: Quote;
  private quoteSince = 0;
  /** Quote time and integrals since the last candle (candle data with book or ticker events). */
  private readonly pendingQuote: QuoteIntegral = { quoteTimeMs: 0, spreadIntegral: 0, depthIntegral: 0 };

  constructor(options: MarketFeatureWindowOptions) {
    const windowMs = options.windowMs ?? DAY_MS;
    const barMs = options.barMs ?? MINUTE_MS;
    if (!(windowMs > 0) || !(barMs > 0) || barMs > windowMs) {
      throw new TrancheError('validation', `invalid feature window: windowMs (${windowMs}) and barMs (${barMs}) must be > 0 with barMs <= windowMs`, {
        field: 'windowMs',
        retryable: false,
      });
    }
    this.symbol = options.symbol;
    this.windowMs = windowMs;
    this.barMs = barMs;
    this.depthBand = (options.depthBandBps ?? 10) / 10_000;
    this.books = options.books;
    this.baseline = new RunBaseline(options.baselineDays ?? 30);
  }

  /** Bars in the window now. */
  get barCount(): number {
    return this.bars.length;
  }

  /** End of the newest closed bar (epoch ms), `-Infinity` before the first. */
  get lastBarEndMs(): number {
    return this.lastEnd;
  }

  /**
   * Feeds one event of this window's symbol (others are ignored) and returns how many
   * bars it closed: a candle closes one; a trade or book event closes the bars that
   * ended before it.
   */
  push(event: MarketEvent): number {
    if (event.symbol !== this.symbol) return 0;
    switch (event.type) {
      case 'candle':
        return this.pushCandle(event);
      case 'trade':
        return this.pushTrade(event);
      case 'book-snapshot':
      case 'book-delta':
        return this.pushBook(event);
      case 'ticker':
        return this.pushTicker(event);
    }
  }

  /**
   * Closes the bars of trade/book data that ended at or before `ts` (quiet markets
   * still produce zero-volume bars); a no-op for candle data. Returns the bars closed.
   */
  advanceTo(ts: number): number {
    if (this.candlesSeen) return 0;
    const forming = this.forming;
    if (!forming || ts < forming.endTime) return 0;
    let closed = 0;
    this.closeForming();
    closed++;
    // Skip whole windows of silence in one step: only the last window's bars can matter.
    const nextOpen = this.lastEnd;
    const lastNeeded = Math.floor(ts / this.barMs) * this.barMs;
    let open = Math.max(nextOpen, lastNeeded - this.windowMs);
    if (open > nextOpen) this.quoteSince = Math.max(this.quoteSince, open);
    while (open + this.barMs <= ts) {
      this.forming = this.emptyBar(open);
      this.closeForming();
      closed++;
      open += this.barMs;
    }
    this.forming = this.emptyBar(open);
    return closed;
  }

  /** The features of the window now (see `MarketFeature` for the definitions). */
  features(): MarketFeatures {
    const n = this.bars.length;
    const features: MarketFeatures = {};
    const oldest = this.bars.front();
    const newest = this.bars.back();
    const minutes = oldest && newest ? (newest.endTime - oldest.openTime) / MINUTE_MS : Number.NaN;
    const barMinutes = n > 0 ? minutes / n : Number.NaN;
    // The close before the oldest bar: where the window's return, range and path start.
    const reference = oldest ? oldest.close / Math.exp(oldest.logReturn) : Number.NaN;
    const perMinute = (sum: number, ms: number): number => (ms > 0 ? sum / (ms / MINUTE_MS) : Number.NaN);
    features[MarketFeature.windowStartMs] = oldest ? oldest.openTime : Number.NaN;
    features[MarketFeature.windowEndMs] = newest ? newest.endTime : Number.NaN;
    features[MarketFeature.windowMinutes] = minutes;
    features[MarketFeature.barCount] = n;
    features[MarketFeature.barMinutes] = barMinutes;
    features[MarketFeature.logReturn] = n > 0 ? this.sumReturn : Number.NaN;
    features[MarketFeature.returnPct] = n > 0 ? Math.expm1(this.sumReturn) * 100 : Number.NaN;
    features[MarketFeature.realizedVolatilityPct] = n > 0 ? Math.sqrt((Math.max(0, this.sumSquares) / n) * (1440 / barMinutes)) * 100 : Number.NaN;
    features[MarketFeature.driftTStat] = this.sumSquares > 0 ? this.sumReturn / Math.sqrt(this.sumSquares) : n > 0 ? 0 : Number.NaN;
    features[MarketFeature.efficiencyRatio] =
      this.sumAbsChange > 0 && newest ? Math.min(1, Math.abs(newest.close - reference) / this.sumAbsChange) : n > 0 ? 0 : Number.NaN;
    features[MarketFeature.rangePct] = n > 0 ? ((this.highs.front()!.high - this.lows.front()!.low) / reference) * 100 : Number.NaN;
    features[MarketFeature.volumePerMinute] = perMinute(this.volume, this.volumeMs);
    features[MarketFeature.quoteVolumePerMinute] = perMinute(this.quoteVolume, this.quoteVolumeMs);
    features[MarketFeature.tradesPerMinute] = perMinute(this.trades, this.tradesMs);
    features[MarketFeature.zeroVolumeShare] = this.volumeBars > 0 ? this.zeroBars / this.volumeBars : Number.NaN;
    features[MarketFeature.takerBuyShare] = this.takerBase > 0 ? this.takerBuy / this.takerBase : Number.NaN;
    features[MarketFeature.spreadBps] = this.quoteTimeMs > 0 ? this.spreadIntegral / this.quoteTimeMs : Number.NaN;
    features[MarketFeature.topDepthQuote] = this.quoteTimeMs > 0 ? this.depthIntegral / this.quoteTimeMs : Number.NaN;
    const baseline = this.baseline.values;
    features[MarketFeature.baselineDays] = baseline.days;
    features[MarketFeature.baselineRealizedVolatilityPct] = baseline.realizedVolatilityPct;
    features[MarketFeature.baselineVolumePerMinute] = baseline.volumePerMinute;
    features[MarketFeature.baselineQuoteVolumePerMinute] = baseline.quoteVolumePerMinute;
    features[MarketFeature.baselineTradesPerMinute] = baseline.tradesPerMinute;
    features[MarketFeature.baselineZeroVolumeShare] = baseline.zeroVolumeShare;
    features[MarketFeature.baselineSpreadBps] = baseline.spreadBps;
    features[MarketFeature.baselineTopDepthQuote] = baseline.topDepthQuote;
    return features;
  }

  /** Forgets all data (bars, book, run baseline). */
  reset(): void {
    this.bars.clear();
    this.highs.clear();
    this.lows.clear();
    this.baseline.reset();
    this.recomputeSums();
    this.lastClose = Number.NaN;
    this.lastEnd = Number.NEGATIVE_INFINITY;
    this.forming = undefined;
    this.lastPrice = Number.NaN;
    this.tradesSeen = false;
    this.candlesSeen = false;
    this.book = undefined;
    this.quote = undefined;
    this.quoteSince = 0;
    this.pendingQuote.quoteTimeMs = 0;
    this.pendingQuote.spreadIntegral = 0;
    this.pendingQuote.depthIntegral = 0;
  }

  private pushCandle(candle: CandleEvent): number {
    if (candle.openTime < this.lastEnd) return 0;
    if (!this.candlesSeen) {
      this.candlesSeen = true;
      this.forming = undefined;
    }
    const endTime = candle.openTime + candle.intervalMs;
    const previous = Number.isNaN(this.lastClose) ? candle.open : this.lastClose;
    const quote = this.integrateQuote(candle.openTime, endTime);
    this.addBar({
      openTime: candle.openTime,
      endTime,
      high: Math.max(candle.high, candle.open, candle.close),
      low: Math.min(candle.low, candle.open, candle.close),
      close: candle.close,
      logReturn: Math.log(candle.close / previous),
      absChange: Math.abs(candle.close - previous),
      volume: candle.volume,
      quoteVolume: candle.quoteVolume ?? Number.NaN,
      trades: candle.trades ?? Number.NaN,
      takerBuyVolume: candle.takerBuyVolume ?? Number.NaN,
      ...quote,
    });
    return 1;
  }

  private pushTrade(trade: TradeEvent): number {
    if (this.candlesSeen) return 0;
    const closed = this.advanceTo(trade.ts);
    if (!this.tradesSeen) {
      this.tradesSeen = true;
      // Bars before the first trade had unknown volume; from here on a trade-less bar has zero volume.
      if (this.forming) this.resetFormingVolume();
    }
    const bar = this.ensureForming(trade.ts, trade.price);
    priceBar(bar, trade.price);
    bar.volume += trade.quantity;
    bar.quoteVolume += trade.quantity * trade.price;
    bar.trades += 1;
    if (trade.takerSide === 'buy') bar.takerBuyVolume += trade.quantity;
    this.lastPrice = trade.price;
    return closed;
  }

  private pushBook(event: BookEvent): number {
    const closed = this.advanceTo(event.ts);
    let book: L2Book;
    if (this.books) book = this.books.apply(event);
    else {
      book = this.book ??= new L2Book(this.symbol);
      book.apply(event);
    }
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (!(bid > 0 && ask > bid)) {
      this.setQuote(event.ts, undefined);
      return closed;
    }
    const mid = (bid + ask) / 2;
    this.setQuote(event.ts, bookQuote(book, mid, this.depthBand), mid);
    return closed;
  }

  private pushTicker(ticker: TickerEvent): number {
    const closed = this.advanceTo(ticker.ts);
    if (!(ticker.bid > 0 && ticker.ask > ticker.bid)) {
      this.setQuote(ticker.ts, undefined);
      return closed;
    }
    const mid = (ticker.bid + ticker.ask) / 2;
    this.setQuote(ticker.ts, tickerQuote(ticker, mid), mid);
    return closed;
  }

  /** A new quote from `ts` on; the previous one is integrated into the forming bar up to `ts`. */
  private setQuote(ts: number, quote: Quote | undefined, mid?: number): void {
    if (!this.candlesSeen) {
      // Book data alone still moves time and, until a trade is seen, the price (the mid).
      const bar = mid !== undefined || this.forming ? this.ensureForming(ts, mid ?? this.lastPrice) : undefined;
      if (bar && mid !== undefined && !this.tradesSeen) {
        priceBar(bar, mid);
        this.lastPrice = mid;
      }
      if (bar) this.accumulateQuote(bar, bar.openTime, ts, bar.endTime);
    } else {
      this.accumulateQuote(this.pendingQuote, Math.max(this.quoteSince, this.lastEnd), ts);
    }
    this.quote = quote;
    this.quoteSince = ts;
  }

  /** Adds the current quote over `[max(quoteSince, start), min(until, end))` to `into`. */
  private accumulateQuote(into: QuoteIntegral, start: number, until: number, end = Number.POSITIVE_INFINITY): void {
    const from = Math.max(this.quoteSince, start);
    const to = Math.min(until, end);
    if (!this.quote || to <= from) return;
    into.quoteTimeMs += to - from;
    into.spreadIntegral += this.quote.spreadBps * (to - from);
    into.depthIntegral += this.quote.depthQuote * (to - from);
  }

  /** Quote time and integrals of a candle bar `[openTime, endTime)`: what accumulated since the last candle plus the rest. */
  private integrateQuote(openTime: number, endTime: number): QuoteIntegral {
    const pending = this.pendingQuote;
    this.accumulateQuote(pending, openTime, endTime);
    const result = { ...pending };
    pending.quoteTimeMs = 0;
    pending.spreadIntegral = 0;
    pending.depthIntegral = 0;
    this.quoteSince = Math.max(this.quoteSince, endTime);
    return result;
  }

  private ensureForming(ts: number, price: number): FormingBar {
    if (this.forming) return this.forming;
    const open = Math.floor(ts / this.barMs) * this.barMs;
    const start = Number.isNaN(this.lastPrice) ? price : this.lastPrice;
    this.forming = this.emptyBar(Math.max(open, this.lastEnd === Number.NEGATIVE_INFINITY ? open : this.lastEnd), start);
    return this.forming;
  }

  private emptyBar(openTime: number, price = this.lastPrice): FormingBar {
    const known = this.tradesSeen ? 0 : Number.NaN;
    return {
      openTime,
      endTime: openTime + this.barMs,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: known,
      quoteVolume: known,
      trades: known,
      takerBuyVolume: known,
      quoteTimeMs: 0,
      spreadIntegral: 0,
      depthIntegral: 0,
    };
  }

  private resetFormingVolume(): void {
    const bar = this.forming!;
    bar.volume = 0;
    bar.quoteVolume = 0;
    bar.trades = 0;
    bar.takerBuyVolume = 0;
  }

  private closeForming(): void {
    const bar = this.forming!;
    this.accumulateQuote(bar, bar.openTime, bar.endTime, bar.endTime);
    this.quoteSince = Math.max(this.quoteSince, bar.endTime);
    this.forming = undefined;
    if (Number.isNaN(bar.close)) {
      // Nothing priced yet (a book without both sides): time passes, no bar.
      this.lastEnd = bar.endTime;
      return;
    }
    const previous = Number.isNaN(this.lastClose) ? bar.open : this.lastClose;
    this.addBar({
      openTime: bar.openTime,
      endTime: bar.endTime,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      logReturn: Math.log(bar.close / previous),
      absChange: Math.abs(bar.close - previous),
      volume: bar.volume,
      quoteVolume: bar.quoteVolume,
      trades: bar.trades,
      takerBuyVolume: bar.takerBuyVolume,
      quoteTimeMs: bar.quoteTimeMs,
      spreadIntegral: bar.spreadIntegral,
      depthIntegral: bar.depthIntegral,
    });
  }

  private addBar(bar: Bar): void {
    this.bars.push(bar);
    this.include(bar, 1);
    while (this.highs.length > 0 && this.highs.back()!.high <= bar.high) this.highs.pop();
    this.highs.push(bar);
    while (this.lows.length > 0 && this.lows.back()!.low >= bar.low) this.lows.pop();
    this.lows.push(bar);
    this.lastClose = bar.close;
    this.lastEnd = bar.endTime;
    this.baseline.add({ ...bar, durationMs: bar.endTime - bar.openTime });
    const horizon = bar.endTime - this.windowMs;
    while (this.bars.length > 1 && this.bars.front()!.openTime < horizon) {
      const evicted = this.bars.shift()!;
      this.include(evicted, -1);
      if (this.highs.front() === evicted) this.highs.shift();
      if (this.lows.front() === evicted) this.lows.shift();
      this.evictedSinceRecompute++;
    }
    // Running sums lose precision as bars come and go: rebuild them once per window turnover.
    if (this.evictedSinceRecompute >= Math.max(64, this.bars.length)) this.recomputeSums();
    else if (this.movingBars === 0) {
      this.sumReturn = 0;
      this.sumSquares = 0;
      this.sumAbsChange = 0;
    }
  }

  private include(bar: Bar, sign: 1 | -1): void {
    const duration = bar.endTime - bar.openTime;
    this.sumReturn += sign * bar.logReturn;
    this.sumSquares += sign * bar.logReturn * bar.logReturn;
    this.sumAbsChange += sign * bar.absChange;
    if (bar.logReturn !== 0) this.movingBars += sign;
    if (!Number.isNaN(bar.volume)) {
      this.volume += sign * bar.volume;
      this.volumeMs += sign * duration;
      this.volumeBars += sign;
      if (bar.volume === 0) this.zeroBars += sign;
    }
    if (!Number.isNaN(bar.quoteVolume)) {
      this.quoteVolume += sign * bar.quoteVolume;
      this.quoteVolumeMs += sign * duration;
    }
    if (!Number.isNaN(bar.trades)) {
      this.trades += sign * bar.trades;
      this.tradesMs += sign * duration;
    }
    if (!Number.isNaN(bar.takerBuyVolume) && !Number.isNaN(bar.volume)) {
      this.takerBuy += sign * bar.takerBuyVolume;
      this.takerBase += sign * bar.volume;
    }
    this.quoteTimeMs += sign * bar.quoteTimeMs;
    this.spreadIntegral += sign * bar.spreadIntegral;
    this.depthIntegral += sign * bar.depthIntegral;
  }

  private recomputeSums(): void {
    this.sumReturn = 0;
    this.sumSquares = 0;
    this.sumAbsChange = 0;
    this.movingBars = 0;
    this.volume = 0;
    this.volumeMs = 0;
    this.volumeBars = 0;
    this.zeroBars = 0;
    this.quoteVolume = 0;
    this.quoteVolumeMs = 0;
    this.trades = 0;
    this.tradesMs = 0;
    this.takerBuy = 0;
    this.takerBase = 0;
    this.quoteTimeMs = 0;
    this.spreadIntegral = 0;
    this.depthIntegral = 0;
    for (let index = 0; index < this.bars.length; index++) this.include(this.bars.at(index)!, 1);
    this.evictedSinceRecompute = 0;
  }
}
