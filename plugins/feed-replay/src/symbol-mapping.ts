import { TrancheError } from '@tranche/core';

/**
 * Quote currencies recognised at the end of an exchange symbol, longest first so that
 * `BNBFDUSD` is BNB/FDUSD and not BNBFD/USD.
 */
export const KNOWN_QUOTES: readonly string[] = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'USDP',
  'DAI',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'JPY',
  'AUD',
  'BTC',
  'ETH',
  'BNB',
  'USD',
];

/**
 * Turns an exchange symbol into the unified `BASE/QUOTE` form (`BTCUSDT` → `BTC/USDT`,
 * `btcusdt` too; `BTCUSD_PERP` → `BTC/USD`). A symbol already in unified form is
 * returned as is. Throws a validation error when no known quote ends the symbol.
 */
export function toUnifiedSymbol(exchangeSymbol: string): string {
  const upper = exchangeSymbol.trim().toUpperCase();
  if (/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/.test(upper)) return upper;
  const bare = upper.replace(/_PERP$/, '');
  for (const quote of KNOWN_QUOTES) {
    if (bare.length > quote.length && bare.endsWith(quote)) {
      const base = bare.slice(0, -quote.length);
      if (/^[A-Z0-9]{1,20}$/.test(base)) return `${base}/${quote}`;
    }
  }
  throw new TrancheError('validation', `cannot tell the quote currency of symbol "${exchangeSymbol}" (known quotes: ${KNOWN_QUOTES.join(', ')})`, {
    field: 'symbol',
    retryable: false,
  });
}
