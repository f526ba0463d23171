import { decimalsOf, floorToIncrement, type BookLevel, type CandleEvent, type MarketEvent, type OrderSide } from '@tranche/core';
import type { CandleMarket, CandleModel } from './candle-model.schema.js';
import { candleVertices, pathPrices } from './candle-path.js';

/**
 * Turns the OHLCV bars of one symbol into the book and trade events the paper venue
 * matches against (the fill model of the README, "Candle data and its fill model").
 *
 * For each bar, at `tradesPerBar` points along its path (open, the extremes in the
 * path's order, close; spread evenly over the bar's time span, the open at its open
 * time, the close 1 ms before its end):
 * 1. the book, centred on the point's price with `spreadBps` (rounded outward to the
 *    tick), `levels` levels a side `levelSpacingBps` apart, each holding
 *    `levelDepthShare` of the *previous* bar's volume (the bar's own volume is not known
 *    at its open; the first bar of a replay uses its own), a snapshot at the open, deltas
 *    after it, so what a taker consumed stays consumed until the book moves;
 * 2. a trade at the point's price carrying an equal share of the bar's volume (none
 *    when the volume is 0), taken by a buyer when the price moved up to it, by a seller
 *    when it moved down (unchanged: the previous trade's side);
 * and at the bar's close time the bar itself as a `candle` event (`emitCandles`).
 *
 * A bar's events depend only on that bar and the bars before it, never on later ones.
 * Keep one instance per replay pass: it carries the book and the last price from bar to bar.
 */
export class CandleFillModel {
  private readonly tick: number;
  private readonly step: number;
  /** `10 ** decimals of the tick` and the tick in those units: prices are `ticks * tickUnits / scale`, exact and clean. */
  private readonly scale: number;
  private readonly tickUnits: number;
  private sequence = 0;
  private lastPrice = Number.NaN;
  private lastSide: OrderSide = 'buy';
  private previousVolume = Number.NaN;
  private bids: number[] = [];
  private asks: number[] = [];

  constructor(
    /** Unified symbol of the bars. */
    readonly symbol: string,
    private readonly model: CandleModel,
    market: CandleMarket,
  ) {
    this.tick = market.tickSize;
    this.step = market.stepSize;
    this.scale = 10 ** Math.min(decimalsOf(market.tickSize), 15);
    this.tickUnits = Math.round(market.tickSize * this.scale);
  }

  /** How many events a bar of `volume` yields (books, trades and the candle). */
  eventsPerBar(volume: number): number {
    const points = this.model.tradesPerBar;
    return points + (volume > 0 ? points : 0) + (this.model.emitCandles ? 1 : 0);
  }

  /** The events of the next bar, in time order (bars must come in time order). */
  barEvents(bar: CandleEvent): MarketEvent[] {
    const { tradesPerBar: points, spreadBps, levelDepthShare, levelSpacingBps } = this.model;
    const low = Math.min(bar.low, bar.open, bar.close);
    const high = Math.max(bar.high, bar.open, bar.close);
    const prices = pathPrices(candleVertices(bar, this.model.path), points).map((price) => Math.min(high, Math.max(low, this.toPrice(Math.round(price / this.tick)))));
    const depthVolume = Number.isNaN(this.previousVolume) ? bar.volume : this.previousVolume;
    this.previousVolume = bar.volume;
    const levelQuantity = Math.max(this.step, floorToIncrement(depthVolume * levelDepthShare, this.step));
    const spacingTicks = Math.max(1, Math.round((bar.open * levelSpacingBps) / 10_000 / this.tick));
    const tradeQuantity = bar.volume / points;
    const lastOffset = Math.max(0, bar.intervalMs - 1);
    const events: MarketEvent[] = [];
    let traded = 0;
    for (let point = 0; point < points; point++) {
      const price = prices[point]!;
      const ts = bar.openTime + Math.floor((point * lastOffset) / (points - 1));
      events.push(this.bookEvent(ts, price, (price * spreadBps) / 20_000, spacingTicks, levelQuantity, point === 0));
      if (bar.volume > 0) {
        const quantity = point === points - 1 ? bar.volume - traded : tradeQuantity;
        traded += tradeQuantity;
        const side: OrderSide = price > this.lastPrice ? 'buy' : price < this.lastPrice ? 'sell' : this.lastSide;
        this.lastSide = side;
        events.push({ type: 'trade', symbol: this.symbol, ts, price, quantity, takerSide: side, tradeId: `${bar.openTime}-${point}` });
      }
      this.lastPrice = price;
    }
    if (this.model.emitCandles) events.push({ ...bar, symbol: this.symbol });
    return events;
  }

  /** The book centred on `price`: a snapshot, or a delta from the book before. */
  private bookEvent(ts: number, price: number, halfSpread: number, spacingTicks: number, quantity: number, snapshot: boolean): MarketEvent {
    const bestBid = Math.floor((price - halfSpread) / this.tick + 1e-9);
    const bestAsk = Math.max(bestBid + 1, Math.ceil((price + halfSpread) / this.tick - 1e-9));
    const bids = [bestBid];
    const asks = [bestAsk];
    // Deeper levels sit on a grid of `spacingTicks`, so they stay put while the best prices move.
    let bid = Math.floor((bestBid - 1) / spacingTicks) * spacingTicks;
    let ask = (Math.floor(bestAsk / spacingTicks) + 1) * spacingTicks;
    for (let level = 1; level < this.model.levels; level++) {
      if (bid > 0) bids.push(bid);
      asks.push(ask);
      bid -= spacingTicks;
      ask += spacingTicks;
    }
    const sequence = ++this.sequence;
    const toPrice = (ticks: number): number => this.toPrice(ticks);
    let event: MarketEvent;
    if (snapshot) {
      const level = (ticks: number): BookLevel => [toPrice(ticks), quantity];
      event = { type: 'book-snapshot', symbol: this.symbol, ts, sequence, bids: bids.map(level), asks: asks.map(level) };
    } else {
      event = { type: 'book-delta', symbol: this.symbol, ts, sequence, bids: diff(this.bids, bids, quantity, toPrice), asks: diff(this.asks, asks, quantity, toPrice) };
    }
    this.bids = bids;
    this.asks = asks;
    return event;
  }

  /** A whole number of ticks as a price, without float noise (the same number `roundToIncrement` gives). */
  private toPrice(ticks: number): number {
    return (ticks * this.tickUnits) / this.scale;
  }
}

/** Levels to remove (quantity 0) and to add, going from `before` to `after` (tick prices); unchanged levels are left out. */
function diff(before: readonly number[], after: readonly number[], quantity: number, toPrice: (ticks: number) => number): BookLevel[] {
  const levels: BookLevel[] = [];
  for (const ticks of before) if (!after.includes(ticks)) levels.push([toPrice(ticks), 0]);
  for (const ticks of after) if (!before.includes(ticks)) levels.push([toPrice(ticks), quantity]);
  return levels;
}
