import { z } from 'zod';
import { MarketInfoSchema } from '@tranche/core';
import { DEFAULT_PAPER_MARKETS } from './default-markets.js';

/** Starting balances when the config gives none: generous, so only real mistakes are refused. */
export const DEFAULT_PAPER_BALANCES: Readonly<Record<string, number>> = Object.freeze({
  USDT: 10_000_000,
  BTC: 1_000,
  ETH: 10_000,
});

/** The `venue-paper` config section. Strict: unknown keys are errors; every key has a default. */
export const PaperVenueConfigSchema = z
  .object({
    /** Milliseconds between a request (order or cancel) and its arrival at the matching engine. */
    latencyMs: z.number().finite().nonnegative().default(20).describe('Milliseconds between a request (order or cancel) and its arrival at the matching engine.'),
    /** Markets the venue trades (default: BTC/USDT spot and the ETH/USDT perpetual, Binance's rules). */
    markets: z
      .array(MarketInfoSchema)
      .min(1)
      .refine((markets) => new Set(markets.map((market) => market.symbol)).size === markets.length, {
        error: 'must not list a symbol twice',
      })
      .default(() => DEFAULT_PAPER_MARKETS.map((market) => ({ ...market })))
      .describe('Markets the venue trades (default: BTC/USDT spot and the ETH/USDT perpetual, Binance\'s rules).'),
    /** Starting balances, asset → amount (assets not listed start at 0). */
    balances: z
      .record(z.string().regex(/^[A-Z0-9]{1,20}$/, { error: 'must be an upper-case asset code such as USDT' }), z.number().finite().nonnegative())
      .default(() => ({ ...DEFAULT_PAPER_BALANCES }))
      .describe('Starting balances, asset → amount (assets not listed start at 0).'),
    /** Fee overrides in basis points for every market (unset: each market's own fees). */
    fees: z
      .object({
        /** Maker fee in bps (negative for a rebate). */
        makerBps: z.number().finite().optional().describe('Maker fee in bps (negative for a rebate).'),
        /** Taker fee in bps. */
        takerBps: z.number().finite().optional().describe('Taker fee in bps.'),
      })
      .strict()
      .prefault({})
      .describe('Fee overrides in basis points for every market (unset: each market\'s own fees).'),
    /**
     * How cancellations at a resting order's price level move it in the queue:
     * `conservative` assumes every cancellation was behind it (it only advances when
     * trades consume the queue or the level shrinks below its position); `pro-rata`
     * assumes cancellations are spread evenly over the level.
     */
    queueModel: z.enum(['conservative', 'pro-rata']).default('conservative').describe('How cancellations at a resting order\'s price level move it in the queue: `conservative` assumes every cancellation was behind it (it only advances when trades consume the queue or the level shrinks below its position); `pro-rata` assumes cancellations are spread evenly over the level.'),
  })
  .strict();
/** The parsed `venue-paper` config section. */
export type PaperVenueConfig = z.infer<typeof PaperVenueConfigSchema>;
/** The `venue-paper` config section as a user writes it. */
export type PaperVenueConfigInput = z.input<typeof PaperVenueConfigSchema>;
/** Token under which the parsed `venue-paper` config section is bound. */
export const PaperVenueConfig = Symbol.for('tranche.venue-paper.config');
