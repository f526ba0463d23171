import { asyncScheduler, interval, type SchedulerLike, type Subscription } from 'rxjs';
import type { EmulatorAutoMarketOptions } from './emulator-types.js';
import type { MatchingEngine } from './matching-engine.js';
import { seededRandom } from './seeded-random.js';
import { floorToStep, round8 } from './symbol-rules.js';

/**
 * Runs the emulator's random-walk market: every `intervalMs` on the scheduler, each symbol's
 * touch moves one `driftBps` step up or down (the levels it moves through are consumed,
 * a new level appears on the other side at the old spread), then a public trade of
 * `tradeQuantity` prints at the new touch on the side that moved. Resting orders the
 * book or the trade reaches fill as makers, so a resting TWAP child eventually fills.
 */
export function startAutoMarket(engine: MatchingEngine, options: EmulatorAutoMarketOptions, scheduler: SchedulerLike = asyncScheduler): Subscription {
  const random = seededRandom(options.seed ?? 1);
  const driftBps = options.driftBps ?? 2;
  const symbols = options.symbols ?? engine.symbolIds();
  return interval(options.intervalMs ?? 200, scheduler).subscribe(() => {
    for (const symbol of symbols) step(engine, symbol, driftBps, options.tradeQuantity, random);
  });
}

function step(
  engine: MatchingEngine,
  symbol: string,
  driftBps: number,
  tradeQuantity: EmulatorAutoMarketOptions['tradeQuantity'],
  random: () => number,
): void {
  const rules = engine.rules(symbol);
  const { bid, ask } = engine.bestBidAsk(symbol);
  if (!rules || !bid || !ask) return;
  const tick = rules.tickSize > 0 ? rules.tickSize : 1e-8;
  const mid = (bid[0] + ask[0]) / 2;
  const move = Math.max(tick, floorToStep((mid * driftBps) / 10_000, tick));
  const spread = Math.max(tick, round8(ask[0] - bid[0]));
  const up = random() < 0.5;
  const book = engine.depth(symbol, Number.MAX_SAFE_INTEGER)!;
  const size = round8((bid[1] + ask[1]) / 2);
  const changes: Array<{ side: 'bid' | 'ask'; price: number; quantity: number }> = [];
  let tradePrice: number;
  if (up) {
    const newAsk = round8(ask[0] + move);
    for (const [price] of book.asks) if (price < newAsk) changes.push({ side: 'ask', price, quantity: 0 });
    if (!book.asks.some(([p]) => p >= newAsk)) changes.push({ side: 'ask', price: newAsk, quantity: size });
    changes.push({ side: 'bid', price: round8(newAsk - spread), quantity: size });
    tradePrice = newAsk;
  } else {
    const newBid = round8(bid[0] - move);
    if (newBid <= 0) return;
    for (const [price] of book.bids) if (price > newBid) changes.push({ side: 'bid', price, quantity: 0 });
    if (!book.bids.some(([p]) => p <= newBid)) changes.push({ side: 'bid', price: newBid, quantity: size });
    changes.push({ side: 'ask', price: round8(newBid + spread), quantity: size });
    tradePrice = newBid;
  }
  engine.updateLevels(symbol, changes);
  const quantity =
    typeof tradeQuantity === 'number'
      ? tradeQuantity
      : (tradeQuantity?.[symbol] ?? Math.max(rules.minQty, floorToStep(500 / mid, rules.stepSize)));
  engine.printTrade(symbol, tradePrice, quantity, up ? 'BUY' : 'SELL');
}
