import { z } from 'zod';

/** A finite, strictly positive number (quantities, prices). */
export const PositiveNumberSchema = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a number, got ${describeValue(issue.input)}`) })
  .refine((value) => Number.isFinite(value), { error: (issue) => `must be a finite number, got ${describeValue(issue.input)}` })
  .refine((value) => value > 0, { error: (issue) => `must be greater than 0, got ${describeValue(issue.input)}` });

/** A finite number that is zero or more (fees, filled quantities). */
export const NonNegativeNumberSchema = z
  .number()
  .refine((value) => Number.isFinite(value) && value >= 0, {
    error: (issue) => `must be a finite number >= 0, got ${describeValue(issue.input)}`,
  });

/** Epoch milliseconds. */
export const TimestampMsSchema = z.number().int().nonnegative();

/** Unified market symbol, `BASE/QUOTE` as ccxt spells it (e.g. `BTC/USDT`). */
export const SymbolSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a string, got ${describeValue(issue.input)}`) })
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/, {
    error: (issue) => `must look like BASE/QUOTE (e.g. BTC/USDT), got ${describeValue(issue.input)}`,
  });

/** Order side. */
export const OrderSideSchema = z.enum(['buy', 'sell'], {
  error: (issue) => `must be "buy" or "sell", got ${describeValue(issue.input)}`,
});
/** Order side. */
export type OrderSide = z.infer<typeof OrderSideSchema>;

/** Who provided liquidity for a fill. */
export const LiquiditySchema = z.enum(['maker', 'taker']);
/** Who provided liquidity for a fill. */
export type Liquidity = z.infer<typeof LiquiditySchema>;

/**
 * Renders a value for an error message: strings quoted, NaN/Infinity spelled out,
 * long values cut, so every validation error names the offending value readably.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
