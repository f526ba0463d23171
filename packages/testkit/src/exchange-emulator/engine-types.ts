import type { EmulatorFill, EmulatorLevel, EmulatorOrder, EmulatorPublicTrade } from './emulator-types.js';

/** Something that happened on the emulated exchange, for the websocket streams. */
export type EngineEvent =
  | { kind: 'execution'; execType: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED'; order: EmulatorOrder; fill?: EmulatorFill; time: number }
  | { kind: 'depth'; symbol: string; firstUpdateId: number; lastUpdateId: number; bids: EmulatorLevel[]; asks: EmulatorLevel[]; time: number }
  | { kind: 'trade'; trade: EmulatorPublicTrade }
  | { kind: 'balance'; balances: BalanceRow[]; time: number };

/** One asset of the account. */
export interface BalanceRow {
  asset: string;
  free: number;
  locked: number;
}

/** A new order, already parsed from the request. */
export interface NewOrderRequest {
  symbol: string;
  side: 'BUY' | 'SELL';
  type: 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
  timeInForce?: 'GTC' | 'IOC' | 'FOK';
  quantity?: number;
  quoteOrderQty?: number;
  price?: number;
  clientOrderId: string;
}

/** How an order is looked up: by exchange id or by client id. */
export interface OrderLookup {
  orderId?: number;
  origClientOrderId?: string;
}

/** 24-hour statistics of a symbol (since the emulator started). */
export interface SymbolStats {
  openPrice: number;
  highPrice: number;
  lowPrice: number;
  lastPrice: number;
  lastQty: number;
  volume: number;
  quoteVolume: number;
  count: number;
  firstId: number;
  lastId: number;
  openTime: number;
}
