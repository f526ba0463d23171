import { L2Book, type MarketEvent } from '@tranche/core';
import { dashboardMarket, type DashboardMarket, type DashboardMarketDetail, type DashboardMarketUpdate, type DashboardPricePoint } from './dashboard-feed.js';
import type { BusMarketState } from './bus-feed.schema.js';

/** Exchange-time spacing of the points of a symbol's price series. */
const PRICE_POINT_SPACING_MS = 1_000;
/** Most points kept per symbol's price series. */
const MAX_PRICE_POINTS = 1_800;
/** Most symbols followed (market data of further symbols is ignored: a dashboard has room for a few). */
export const MAX_BUS_MARKETS = 64;

interface MarketEntry {
  readonly book: L2Book;
  market: DashboardMarket;
  readonly prices: DashboardPricePoint[];
  /** True once a book snapshot was applied (deltas before it would build a wrong book). */
  booked: boolean;
}

/**
 * The dashboard's view of the markets on the bus: per symbol, the L2 book from
 * `md.<venue>.<symbol>.book` snapshots and deltas (or the best bid and ask of the
 * tickers when no book is published), the last trade, the market state from
 * `state.<symbol>`, and a bounded mid-price series (one point per exchange second, at most
 * `MAX_PRICE_POINTS`). Pure bookkeeping: the feed subscribes and passes messages in.
 */
export class BusMarkets {
  private readonly entries = new Map<string, MarketEntry>();
  private readonly states = new Map<string, BusMarketState>();
  /** Market-data messages applied. */
  applied = 0;

  /** Applies one market-data message; returns the update to send (undefined when ignored). */
  applyMarketEvent(event: MarketEvent): DashboardMarketUpdate | undefined {
    const entry = this.entry(event.symbol);
    if (!entry) return undefined;
    this.applied++;
    let lastPrice = entry.market.lastPrice;
    let bid = entry.market.bid;
    let ask = entry.market.ask;
    switch (event.type) {
      case 'book-snapshot':
        entry.book.applySnapshot(event);
        entry.booked = true;
        ({ bid, ask } = bestOf(entry.book));
        break;
      case 'book-delta':
        if (!entry.booked) return undefined;
        entry.book.applyDelta(event);
        ({ bid, ask } = bestOf(entry.book));
        break;
      case 'ticker':
        // The book, when published, is the finer source; a ticker fills in without one.
        if (!entry.booked) {
          bid = finite(event.bid);
          ask = finite(event.ask);
        }
        if (event.last !== undefined) lastPrice = finite(event.last);
        break;
      case 'trade':
        lastPrice = event.price;
        break;
      default:
        return undefined;
    }
    const market = this.marketOf(event.symbol, Math.max(entry.market.ts, event.ts), bid, ask, lastPrice);
    entry.market = market;
    const last = entry.prices.at(-1);
    if (market.mid !== null && (last === undefined || market.ts - last.ts >= PRICE_POINT_SPACING_MS)) {
      const point = { ts: market.ts, mid: market.mid };
      entry.prices.push(point);
      if (entry.prices.length > MAX_PRICE_POINTS) entry.prices.shift();
      return { market, point };
    }
    return { market };
  }

  /** Applies a market state; returns the symbol's market after it (undefined when the symbol is not followed and no room is left). */
  applyState(update: BusMarketState): DashboardMarketUpdate | undefined {
    const entry = this.entry(update.symbol);
    if (!entry) return undefined;
    this.states.set(update.symbol, update);
    const { market } = entry;
    entry.market = this.marketOf(update.symbol, market.ts, market.bid, market.ask, market.lastPrice);
    return { market: entry.market };
  }

  /** Every followed symbol with its price series. */
  snapshot(): DashboardMarketDetail[] {
    return [...this.entries.entries()].map(([, entry]) => ({ ...entry.market, prices: [...entry.prices] }));
  }

  private entry(symbol: string): MarketEntry | undefined {
    let entry = this.entries.get(symbol);
    if (!entry) {
      if (this.entries.size >= MAX_BUS_MARKETS) return undefined;
      entry = { book: new L2Book(symbol), market: this.marketOf(symbol, 0, null, null, null), prices: [], booked: false };
      this.entries.set(symbol, entry);
    }
    return entry;
  }

  private marketOf(symbol: string, ts: number, bid: number | null, ask: number | null, lastPrice: number | null): DashboardMarket {
    const mid = bid !== null && ask !== null && ask >= bid ? (bid + ask) / 2 : null;
    return dashboardMarket(symbol, ts, { bid, ask, mid }, lastPrice, this.states.get(symbol));
  }
}

function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function bestOf(book: L2Book): { bid: number | null; ask: number | null } {
  return { bid: finite(book.bestBid()), ask: finite(book.bestAsk()) };
}
