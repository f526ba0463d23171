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
    enabled: z.boolean().default(true).describe('Master switch: `false` lets every order through (the kill switch still applies).'),
    /** Largest notional (quantity × price, or × the reference price for a market order) of one child order. */
    maxOrderNotional: Positive.optional().describe('Largest notional (quantity × price, or × the reference price for a market order) of one child order.'),
    /**
     * Largest notional of one parent order, checked when `executeOrder` is called (the
     * parent is refused before anything is sent) and again for each child order.
     */
    maxParentNotional: Positive.optional().describe('Largest notional of one parent order, checked when `executeOrder` is called (the parent is refused before anything is sent) and again for each child order.'),
    /**
     * Largest absolute position per base asset (`{ "BTC": 5 }`), counting the fills of this
     * process plus its working child orders on the order's side. Starting balances are not counted.
     */
    maxPosition: z.record(z.string().min(1), Positive).default({}).describe('Largest absolute position per base asset (`{ "BTC": 5 }`), counting the fills of this process plus its working child orders on the order\'s side. Starting balances are not counted.'),
    /**
     * Fat-finger guard: a limit order priced further than this many basis points from the
     * reference price (book mid, else last trade) is refused.
     */
    priceBandBps: Positive.optional().describe('Fat-finger guard: a limit order priced further than this many basis points from the reference price (book mid, else last trade) is refused.'),
    /** Most child orders let through in any sliding second of the engine's clock. */
    maxOrdersPerSecond: z.number().int().positive().optional().describe('Most child orders let through in any sliding second of the engine\'s clock.'),
    /** Symbols that may not trade at all. */
    disabledSymbols: z.array(SymbolName).default([]).describe('Symbols that may not trade at all.'),
    /** When set, the only symbols that may trade. */
    enabledSymbols: z.array(SymbolName).optional().describe('When set, the only symbols that may trade.'),
  })
  .strict();
/** The parsed `risk-limits` config section. */
export type RiskLimitsConfig = z.infer<typeof RiskLimitsConfigSchema>;
/** The `risk-limits` config section as a user writes it. */
export type RiskLimitsConfigInput = z.input<typeof RiskLimitsConfigSchema>;
/** Token under which the parsed `risk-limits` config section is bound. */
export const RiskLimitsConfig = Symbol.for('tranche.risk-limits.config');
