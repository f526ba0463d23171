import { z } from 'zod';

const Positive = z.number().finite().positive();
const SymbolName = z.string().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/, { error: 'must look like BASE/QUOTE (e.g. BTC/USDT)' });

/**
 * The `risk-limits` config section. Strict: unknown keys are errors. Every limit is
 * off unless configured, so installing the plugin changes nothing until a limit is set.
 * Notionals are in the quote currency of the order's symbol.
 */
export const RiskLimitsConfigSchema = z
  .object({
    /** Master switch: `false` lets every order through (the kill switch still applies). */
    enabled: z.boolean().default(true),
    /** Largest notional (quantity × price, or × the reference price for a market order) of one child order. */
    maxOrderNotional: Positive.optional(),
    /**
     * Largest notional of one parent order, checked when `executeOrder` is called (the
     * parent is refused before anything is sent) and again for each child order.
     */
    maxParentNotional: Positive.optional(),
    /**
     * Largest absolute position per base asset (`{ "BTC": 5 }`), counting the fills of this
     * process plus its working child orders on the order's side. Starting balances are not counted.
     */
    maxPosition: z.record(z.string().min(1), Positive).default({}),
    /**
     * Fat-finger guard: a limit order priced further than this many basis points from the
     * reference price (book mid, else last trade) is refused.
     */
    priceBandBps: Positive.optional(),
    /** Most child orders let through in any sliding second of the engine's clock. */
    maxOrdersPerSecond: z.number().int().positive().optional(),
    /** Symbols that may not trade at all. */
    disabledSymbols: z.array(SymbolName).default([]),
    /** When set, the only symbols that may trade. */
    enabledSymbols: z.array(SymbolName).optional(),
  })
  .strict();
/** The parsed `risk-limits` config section. */
export type RiskLimitsConfig = z.infer<typeof RiskLimitsConfigSchema>;
/** The `risk-limits` config section as a user writes it. */
export type RiskLimitsConfigInput = z.input<typeof RiskLimitsConfigSchema>;
/** Token under which the parsed `risk-limits` config section is bound. */
export const RiskLimitsConfig = Symbol.for('tranche.risk-limits.config');
