import type { BookSnapshotEvent, MarketEvent, MarketInfo, TradeEvent } from '@tranche/core';

/** Options of `syntheticMarket`. */
export interface SyntheticMarketOptions {
  symbol?: string;
  /** First event time, epoch ms. */
  startMs?: number;
  /** Length of the generated session. */
  durationMs?: number;
  /** Mid price at the start. */
  midPrice?: number;
  /** Milliseconds between generated trades. */
  tradeEveryMs?: number;
  /** Deterministic seed of the price path. */
  seed?: number;
}

/** Market rules used by the synthetic market (BTC/USDT-like). */
export function syntheticMarketInfo(symbol = 'BTC/USDT'): MarketInfo {
  const [base = 'BTC', quote = 'USDT'] = symbol.split('/');
  return { symbol, base, quote, tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5, makerFeeBps: 10, takerFeeBps: 10 };
}

/**
 * A deterministic, plausible market: a 20-level book around a random-walk mid, book
 * deltas after every trade, trades alternating in side with a drift, for contract tests
 * of strategies and venues that must not depend on bundled files.
 */
export function syntheticMarket(options: SyntheticMarketOptions = {}): { snapshot: BookSnapshotEvent; events: MarketEvent[] } {
  const symbol = options.symbol ?? 'BTC/USDT';
  const startMs = options.startMs ?? 1_723_161_600_000;
  const durationMs = options.durationMs ?? 10 * 60_000;
  const tradeEveryMs = options.tradeEveryMs ?? 250;
  let mid = options.midPrice ?? 60_000;
  let seed = options.seed ?? 42;
  const random = (): number => {
    seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
    return seed / 2 ** 32;
  };
  const round = (value: number): number => Math.round(value * 100) / 100;
  const levels = (center: number): { bids: [number, number][]; asks: [number, number][] } => {
    const bids: [number, number][] = [];
    const asks: [number, number][] = [];
    for (let index = 0; index < 20; index++) {
      bids.push([round(center - 0.5 - index * 1.5), round(0.2 + random() * 1.5)]);
      asks.push([round(center + 0.5 + index * 1.5), round(0.2 + random() * 1.5)]);
    }
    return { bids, asks };
  };
  const first = levels(mid);
  const snapshot: BookSnapshotEvent = { type: 'book-snapshot', symbol, ts: startMs, sequence: 1, ...first };
  const events: MarketEvent[] = [];
  let sequence = 1;
  let tradeId = 1;
  for (let ts = startMs + tradeEveryMs; ts <= startMs + durationMs; ts += tradeEveryMs) {
    const takerSide = random() < 0.5 ? 'buy' : 'sell';
    const previous = levels(mid);
    mid = round(mid + (random() - 0.5) * 6);
    const price = takerSide === 'buy' ? round(mid + 0.5 + Math.floor(random() * 3) * 1.5) : round(mid - 0.5 - Math.floor(random() * 3) * 1.5);
    const trade: TradeEvent = { type: 'trade', symbol, ts, price, quantity: round(0.01 + random() * 0.8) || 0.01, takerSide, tradeId: String(tradeId++) };
    events.push(trade);
    const next = levels(mid);
    // A delta replacing the old ladder: delete old levels, set new ones.
    const removedBids = previous.bids.filter(([price]) => !next.bids.some(([other]) => other === price)).map(([price]) => [price, 0] as [number, number]);
    const removedAsks = previous.asks.filter(([price]) => !next.asks.some(([other]) => other === price)).map(([price]) => [price, 0] as [number, number]);
    events.push({ type: 'book-delta', symbol, ts, sequence: ++sequence, bids: [...removedBids, ...next.bids], asks: [...removedAsks, ...next.asks] });
  }
  return { snapshot, events };
}
