import type { BookView } from '../book/l2-book.js';
import type { OrderSide } from '../model/common.schema.js';
import type { ChildOrderType, TimeInForce } from '../model/order.schema.js';
import { ceilToIncrement, floorToIncrement } from '../util/rounding.js';
import type { ChildOrderStyle } from './algo-params.schema.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/** Levels of the far side walked to price a marketable child. */
const MAX_LEVELS = 50;

/** Input of `priceChildOrder`. */
export interface ChildPricingInput {
  readonly side: OrderSide;
  readonly style: ChildOrderStyle;
  /** Quantity of the child (a marketable child is priced at the level that covers it). */
  readonly quantity: number;
  readonly book: BookView;
  readonly tickSize: number;
  /** The parent's limit price: never buy above / sell below it. */
  readonly limitPrice?: number | undefined;
}

/** How to send a child order, and why. */
export interface ChildPrice {
  readonly type: ChildOrderType;
  /** Absent for a market order. */
  readonly price?: number;
  readonly timeInForce: TimeInForce;
  /** True when the child takes liquidity (crosses the spread). */
  readonly crossesSpread: boolean;
  /** Why this price, in words. */
  readonly explanation: string;
}

/**
 * Prices a child order for a style, never beyond the limit price:
 * - `passive`: a GTC limit at the near touch (best bid for a buy), one tick inside the
 *   spread when it is wider than a tick; at the limit when the touch is beyond it.
 * - `marketable`: a limit IOC at the far-side level where the visible depth covers the
 *   quantity (the deepest visible level if none does), capped at the limit.
 * - `market`: a market IOC, or a limit IOC at the limit price when there is one.
 * When the far touch is beyond the limit, a crossing style cannot trade and the child
 * rests passively at the limit instead. Returns `undefined` when the book is empty.
 */
export function priceChildOrder(input: ChildPricingInput): ChildPrice | undefined {
  const { side, book, tickSize, limitPrice } = input;
  const buy = side === 'buy';
  const near = buy ? book.bestBid() : book.bestAsk();
  const far = buy ? book.bestAsk() : book.bestBid();
  const round = (price: number): number => (buy ? floorToIncrement(price, tickSize) : ceilToIncrement(price, tickSize));
  const beyondLimit = (price: number): boolean => limitPrice !== undefined && (buy ? price > limitPrice : price < limitPrice);
  const nearName = buy ? 'bid' : 'ask';
  const farName = buy ? 'ask' : 'bid';

  const passive = (): ChildPrice | undefined => {
    if (!Number.isFinite(near) && !Number.isFinite(far)) return undefined;
    let price: number;
    let explanation: string;
    if (!Number.isFinite(near)) {
      price = buy ? far - tickSize : far + tickSize;
      explanation = `no ${nearName} in the book: rest one tick off the ${farName} ${far}`;
    } else if (Number.isFinite(far) && Math.abs(far - near) >= 2 * tickSize - tickSize * 1e-6) {
      price = buy ? near + tickSize : near - tickSize;
      explanation = `rest one tick inside the ${toFixedNumber(Math.abs(far - near) / tickSize, 0)}-tick spread, ahead of the best ${nearName} ${near}`;
    } else {
      price = near;
      explanation = `join the best ${nearName} ${near}`;
    }
    price = round(price);
    if (beyondLimit(price)) {
      price = round(limitPrice!);
      explanation = `rest at the limit price ${price} (the best ${nearName} ${near} is beyond it)`;
    }
    return { type: 'limit', price, timeInForce: 'GTC', crossesSpread: false, explanation };
  };

  if (input.style === 'passive') return passive();
  if (!Number.isFinite(far)) {
    const fallback = passive();
    return fallback && { ...fallback, explanation: `no ${farName} to cross: ${fallback.explanation}` };
  }
  if (beyondLimit(far)) {
    const resting = passive();
    return resting && { ...resting, explanation: `cannot cross: the best ${farName} ${far} is beyond the limit price ${limitPrice}; ${resting.explanation}` };
  }
  if (input.style === 'market') {
    if (limitPrice === undefined) return { type: 'market', timeInForce: 'IOC', crossesSpread: true, explanation: `market order against the visible book (best ${farName} ${far})` };
    const price = round(limitPrice);
    return { type: 'limit', price, timeInForce: 'IOC', crossesSpread: true, explanation: `marketable limit IOC at the limit price ${price} (best ${farName} ${far})` };
  }
  // marketable: the far-side level whose cumulative visible depth covers the quantity.
  const farSide = buy ? 'asks' : 'bids';
  let covered = 0;
  let price = far;
  const levels = Math.min(book.depth(farSide), MAX_LEVELS);
  for (let index = 0; index < levels; index++) {
    const levelPrice = book.priceAt(farSide, index);
    if (beyondLimit(levelPrice)) break;
    price = levelPrice;
    covered += book.quantityAt(farSide, index);
    if (covered >= input.quantity) break;
  }
  price = round(price);
  const depthNote = covered >= input.quantity ? `the ${farName} level covering ${input.quantity} in the visible book` : `the deepest visible ${farName} level within reach (${toFixedNumber(covered, 8)} visible)`;
  return {
    type: 'limit',
    price,
    timeInForce: 'IOC',
    crossesSpread: true,
    explanation: `cross the spread up to ${price}, ${depthNote}${limitPrice !== undefined ? `, within the limit price ${limitPrice}` : ''}`,
  };
}
