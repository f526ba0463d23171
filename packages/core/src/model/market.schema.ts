import { z } from 'zod';
import { NonNegativeNumberSchema, OrderSideSchema, PositiveNumberSchema, SymbolSchema, TimestampMsSchema } from './common.schema.js';

/** Trading rules and fees of one market, as a venue states them. */
export const MarketInfoSchema = z
  .object({
    symbol: SymbolSchema,
    base: z.string().min(1),
    quote: z.string().min(1),
    /** Smallest price increment. */
    tickSize: PositiveNumberSchema,
    /** Smallest quantity increment (lot step). */
    stepSize: PositiveNumberSchema,
    /** Smallest accepted order quantity. */
    minQuantity: NonNegativeNumberSchema,
    /** Smallest accepted order value (price × quantity) in the quote currency. */
    minNotional: NonNegativeNumberSchema,
    /** Largest accepted order quantity, if the venue states one. */
    maxQuantity: PositiveNumberSchema.optional(),
    /** Maker fee in basis points (negative for a rebate). */
    makerFeeBps: z.number().finite(),
    /** Taker fee in basis points. */
    takerFeeBps: z.number().finite(),
  })
  .strict();
/** Trading rules and fees of one market. */
export type MarketInfo = z.infer<typeof MarketInfoSchema>;

/** One price level `[price, quantity]`; quantity 0 deletes the level in a delta. */
export const BookLevelSchema = z.tuple([z.number().finite(), z.number().finite().nonnegative()]);
/** One price level `[price, quantity]`. */
export type BookLevel = z.infer<typeof BookLevelSchema>;

/** An executed market trade. */
export const TradeEventSchema = z
  .object({
    type: z.literal('trade'),
    symbol: SymbolSchema,
    ts: TimestampMsSchema,
    price: PositiveNumberSchema,
    quantity: PositiveNumberSchema,
    /** The aggressor's side: `buy` lifted the ask, `sell` hit the bid. */
    takerSide: OrderSideSchema,
    tradeId: z.string(),
  })
  .strict();
/** An executed market trade. */
export type TradeEvent = z.infer<typeof TradeEventSchema>;

/** Fields shared by book snapshots and deltas. */
const bookFields = {
  symbol: SymbolSchema,
  ts: TimestampMsSchema,
  /** Venue sequence number of the last update included. */
  sequence: z.number().int().nonnegative(),
  /** Bids, best (highest) first in a snapshot. */
  bids: z.array(BookLevelSchema),
  /** Asks, best (lowest) first in a snapshot. */
  asks: z.array(BookLevelSchema),
};

/** A full L2 book: replaces whatever the consumer held. */
export const BookSnapshotEventSchema = z.object({ type: z.literal('book-snapshot'), ...bookFields }).strict();
/** A full L2 book snapshot. */
export type BookSnapshotEvent = z.infer<typeof BookSnapshotEventSchema>;

/** Changed L2 levels (absolute quantities; 0 removes the level). */
export const BookDeltaEventSchema = z.object({ type: z.literal('book-delta'), ...bookFields }).strict();
/** Changed L2 levels. */
export type BookDeltaEvent = z.infer<typeof BookDeltaEventSchema>;

/** Best bid and offer. */
export const TickerEventSchema = z
  .object({
    type: z.literal('ticker'),
    symbol: SymbolSchema,
    ts: TimestampMsSchema,
    bid: z.number().finite(),
    bidQuantity: z.number().finite().nonnegative(),
    ask: z.number().finite(),
    askQuantity: z.number().finite().nonnegative(),
    last: z.number().finite().optional(),
  })
  .strict();
/** Best bid and offer. */
export type TickerEvent = z.infer<typeof TickerEventSchema>;

/**
 * One OHLCV bar. `ts` is the bar's close time (when it became known), so a consumer
 * in virtual time never sees a bar before it ended; `openTime` is its start.
 */
export const CandleEventSchema = z
  .object({
    type: z.literal('candle'),
    symbol: SymbolSchema,
    /** Close time of the bar (epoch ms): when the bar is known. */
    ts: TimestampMsSchema,
    /** Open time of the bar (epoch ms). */
    openTime: TimestampMsSchema,
    /** Bar length in milliseconds (60,000 for 1m). */
    intervalMs: z.number().int().positive(),
    open: z.number().finite().positive(),
    high: z.number().finite().positive(),
    low: z.number().finite().positive(),
    close: z.number().finite().positive(),
    /** Base-currency volume. */
    volume: z.number().finite().nonnegative(),
    /** Quote-currency volume, when known. */
    quoteVolume: z.number().finite().nonnegative().optional(),
    /** Number of trades, when known. */
    trades: z.number().int().nonnegative().optional(),
    /** Base volume bought by takers, when known. */
    takerBuyVolume: z.number().finite().nonnegative().optional(),
  })
  .strict();
/** One OHLCV bar. */
export type CandleEvent = z.infer<typeof CandleEventSchema>;

/** Every market-data message a `MarketDataSource` emits. */
export const MarketEventSchema = z.discriminatedUnion('type', [
  TradeEventSchema,
  BookSnapshotEventSchema,
  BookDeltaEventSchema,
  TickerEventSchema,
  CandleEventSchema,
]);
/** Every market-data message a `MarketDataSource` emits. */
export type MarketEvent = z.infer<typeof MarketEventSchema>;
/** Book snapshot or delta. */
export type BookEvent = BookSnapshotEvent | BookDeltaEvent;
