/** The NATS URL every cluster command uses unless `--nats` says otherwise. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** A symbol as one subject token: `BTC/USDT` → `BTC-USDT` (`.`, `*`, `>` and spaces are not allowed in a token). */
export function symbolToken(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** Subject of one execution's events: `exec.events.<executionId>`. */
export function executionEventsSubject(executionId: string): string {
  return `exec.events.${executionId}`;
}

/** Subject of a venue's market data for one symbol: `md.<venue>.<symbol>.<kind>`. */
export function marketDataSubject(venue: string, symbol: string, kind: MarketDataKind): string {
  return `md.${symbolToken(venue)}.${symbolToken(symbol)}.${kind}`;
}

/** Subject of a symbol's market state: `state.<symbol>`. */
export function marketStateSubject(symbol: string): string {
  return `state.${symbolToken(symbol)}`;
}

/** The last token of a market-data subject: book snapshots and deltas, trades, tickers, candles. */
export type MarketDataKind = 'book' | 'trades' | 'ticker' | 'candles';
