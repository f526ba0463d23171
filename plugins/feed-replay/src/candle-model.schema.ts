import { z } from 'zod';

/** Tick and lot step of one market, used to round the synthetic book of a candle replay. */
export const CandleMarketSchema = z
  .object({
    /** Smallest price increment: book prices and trade prices are multiples of it. */
    tickSize: z.number().finite().positive().describe('Smallest price increment: book prices and trade prices are multiples of it.'),
    /** Smallest quantity increment: book level sizes are multiples of it. */
    stepSize: z.number().finite().positive().describe('Smallest quantity increment: book level sizes are multiples of it.'),
  })
  .strict();
/** Tick and lot step of one market. */
export type CandleMarket = z.infer<typeof CandleMarketSchema>;

/** Order in which a bar's extremes are visited (see `CandleModelSchema.path`). */
export const CandlePathSchema = z.enum(['by-direction', 'low-first', 'high-first']);
/** Order in which a bar's extremes are visited. */
export type CandlePath = z.infer<typeof CandlePathSchema>;

/**
 * How a candle replay turns each OHLCV bar into book and trade events (the fill model
 * documented in the package README, "Candle data and its fill model"). Strict: unknown
 * keys are errors; every key has a default.
 */
export const CandleModelSchema = z
  .object({
    /** Full synthetic spread in basis points of the path price (1 bp is about a liquid BTC/USDT spot book; at least one tick). */
    spreadBps: z.number().finite().nonnegative().max(1000).default(1).describe('Full synthetic spread in basis points of the path price (1 bp is about a liquid BTC/USDT spot book; at least one tick).'),
    /** Price levels on each side of the synthetic book (the best one included). */
    levels: z.number().int().min(1).max(200).default(20).describe('Price levels on each side of the synthetic book (the best one included).'),
    /** Distance between the deeper levels in basis points of the bar's open (rounded to whole ticks, at least one). */
    levelSpacingBps: z.number().finite().positive().max(1000).default(1).describe('Distance between the deeper levels in basis points of the bar\'s open (rounded to whole ticks, at least one).'),
    /** Size of each level as a share of the bar's base volume (rounded down to the step, at least one step). */
    levelDepthShare: z.number().finite().positive().max(1).default(0.01).describe('Size of each level as a share of the bar\'s base volume (rounded down to the step, at least one step).'),
    /** Synthetic trades a bar's volume is split into, along its path (at least 4: open, both extremes, close). */
    tradesPerBar: z.number().int().min(4).max(1000).default(12).describe('Synthetic trades a bar\'s volume is split into, along its path (at least 4: open, both extremes, close).'),
    /**
     * The intra-bar path: `by-direction` (open → low → high → close when close ≥ open,
     * else open → high → low → close: the standard conservative OHLC path), or always
     * `low-first` or `high-first`.
     */
    path: CandlePathSchema.default('by-direction').describe('The intra-bar path: `by-direction` (open → low → high → close when close ≥ open, else open → high → low → close: the standard conservative OHLC path), or always `low-first` or `high-first`.'),
    /** Also emit each bar as a `candle` event at its close time (the market-state monitor reads real OHLCV from it). */
    emitCandles: z.boolean().default(true).describe('Also emit each bar as a `candle` event at its close time (the market-state monitor reads real OHLCV from it).'),
    /**
     * Tick and step per unified symbol. BTC/USDT and ETH/USDT default to the paper
     * venue's default markets; other symbols get their tick from the data's price
     * precision and a step of 1e-8 (give them here to match your venue's markets).
     */
    markets: z.record(z.string().min(1), CandleMarketSchema).default(() => ({})).describe('Tick and step per unified symbol. BTC/USDT and ETH/USDT default to the paper venue\'s default markets; other symbols get their tick from the data\'s price precision and a step of 1e-8 (give them here to match your venue\'s markets).'),
  })
  .strict();
/** The parsed candle fill model. */
export type CandleModel = z.infer<typeof CandleModelSchema>;
/** The candle fill model as a user writes it. */
export type CandleModelInput = z.input<typeof CandleModelSchema>;

/** Tick and step of the markets the paper venue knows by default (Binance's filters). */
export const DEFAULT_CANDLE_MARKETS: Readonly<Record<string, CandleMarket>> = Object.freeze({
  'BTC/USDT': Object.freeze({ tickSize: 0.01, stepSize: 0.00001 }),
  'ETH/USDT': Object.freeze({ tickSize: 0.01, stepSize: 0.001 }),
});
