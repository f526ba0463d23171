import type { L2Book } from '../book/l2-book.js';
import type { TickerEvent } from '../model/market.schema.js';

/** Most book levels per side summed for the near-touch depth. */
const MAX_DEPTH_LEVELS = 100;

/** One closed bar of the window. */
export interface Bar {
  openTime: number;
  endTime: number;
  high: number;
  low: number;
  close: number;
  logReturn: number;
  absChange: number;
  /** `NaN` when unknown (book-only data, candles without the field). */
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyVolume: number;
  quoteTimeMs: number;
  spreadIntegral: number;
  depthIntegral: number;
}

/** The bar being built from trades and book events. */
export interface FormingBar {
  openTime: number;
  endTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyVolume: number;
  quoteTimeMs: number;
  spreadIntegral: number;
  depthIntegral: number;
}

/** Time with a known quote and the time integrals of spread and depth. */
export interface QuoteIntegral {
  quoteTimeMs: number;
  spreadIntegral: number;
  depthIntegral: number;
}

/** Spread and near-touch depth at one moment. */
export interface Quote {
  spreadBps: number;
  depthQuote: number;
}

/**
 * Spread (bps of the mid) and near-touch depth of a book: the quote notional within
 * `depthBand` (a fraction of the mid) of the mid, averaged over both sides; the best
 * level always counts.
 */
export function bookQuote(book: L2Book, mid: number, depthBand: number): Quote {
  const bid = book.bestBid();
  const ask = book.bestAsk();
  return { spreadBps: ((ask - bid) / mid) * 10_000, depthQuote: (sideDepth(book, 'bids', mid, depthBand) + sideDepth(book, 'asks', mid, depthBand)) / 2 };
}

/** Spread and top-of-book depth of a ticker (the best levels' quote notional, averaged). */
export function tickerQuote(ticker: TickerEvent, mid: number): Quote {
  return {
    spreadBps: ((ticker.ask - ticker.bid) / mid) * 10_000,
    depthQuote: (ticker.bid * ticker.bidQuantity + ticker.ask * ticker.askQuantity) / 2,
  };
}

function sideDepth(book: L2Book, side: 'bids' | 'asks', mid: number, depthBand: number): number {
  return book.notionalNear(side, mid, depthBand * mid, MAX_DEPTH_LEVELS);
}

/** Moves a forming bar to `price`; a bar not priced yet (a book without both sides so far) opens at it. */
export function priceBar(bar: FormingBar, price: number): void {
  if (Number.isNaN(bar.close)) {
    bar.open = price;
    bar.high = price;
    bar.low = price;
  }
  bar.high = Math.max(bar.high, price);
  bar.low = Math.min(bar.low, price);
  bar.close = price;
}
