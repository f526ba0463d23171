import type { OrderSide, OrderSizeBucket } from '@tranche/core';

/** Mean and 90th percentile of one figure over a group of runs (`null` when no run had a value). */
export interface BacktestStat {
  /** Runs that had a value. */
  count: number;
  mean: number | null;
  p90: number | null;
}

/** One row of the backtest table: the runs of one strategy in one market state and size bucket. */
export interface BacktestRow {
  /** The strategy asked for (`auto` rows group the runs where the optimizer chose). */
  strategy: string;
  /** Market state at the start of the runs (`unknown` when none was known yet). */
  marketState: string;
  sizeBucket: OrderSizeBucket;
  /** Runs in the group. */
  count: number;
  /** Runs that filled completely. */
  filledCount: number;
  /** Implementation shortfall against the arrival mid, bps (positive = worse). */
  implementationShortfallBps: BacktestStat;
  /** Average price against the market VWAP over the run, bps (positive = worse). */
  vwapSlippageBps: BacktestStat;
  /** Filled over requested, 0..1. */
  fillRate: BacktestStat;
  /** Total cost (fees + spread + impact), bps. */
  totalCostBps: BacktestStat;
}

/** One fill of a run, for the charts. */
export interface BacktestFill {
  ts: number;
  price: number;
  quantity: number;
  /** True when the fill provided liquidity. */
  maker: boolean;
}

/** One child order of a run: the strategy's decision (when, what, at what price) and its outcome. */
export interface BacktestChildOrder {
  clientOrderId: string;
  /** When the strategy decided it, epoch ms. */
  createdAt: number;
  type: 'market' | 'limit';
  price: number | null;
  quantity: number;
  filledQuantity: number;
  status: string;
}

/** One point of a run's schedule against its fills. */
export interface BacktestSchedulePoint {
  ts: number;
  scheduledQuantity: number;
  filledQuantity: number;
}

/** One parent order of the grid and what became of it. */
export interface BacktestRun {
  /** Execution id (unique in the backtest). */
  id: string;
  /** The data set it ran on (optional for hand-made results). */
  dataset?: string;
  symbol: string;
  side: OrderSide;
  /** The strategy asked for (`auto` included). */
  requestedStrategy: string;
  /** The strategy that ran (what `auto` chose). */
  strategy: string;
  /** Requested quantity, base units. */
  quantity: number;
  /** The grid's size: share of the market volume expected over the run (from the volume before its start). */
  shareOfVolume: number;
  startTs: number;
  endTs: number;
  durationMs: number;
  marketState: string;
  sizeBucket: OrderSizeBucket;
  status: string;
  filledQuantity: number;
  averagePrice: number | null;
  arrivalPrice: number | null;
  implementationShortfallBps: number | null;
  vwapSlippageBps: number | null;
  fillRate: number;
  totalCostBps: number | null;
  feeBps: number | null;
  participationRate: number | null;
  childOrders: number;
  /** The child orders, in the order they were decided (optional for hand-made results). */
  children?: BacktestChildOrder[];
  fills: BacktestFill[];
  schedule: BacktestSchedulePoint[];
}

/** A price series of one symbol, downsampled for charts (last trade price per bucket). */
export interface BacktestPriceSeries {
  symbol: string;
  /** The data set it comes from (optional for hand-made results). */
  dataset?: string;
  /** Bucket length, ms. */
  stepMs: number;
  ts: number[];
  price: number[];
}

/** What a backtest ran and found: the input of the table, the JSON output and the HTML report. */
export interface BacktestResult {
  /** The data replayed. */
  data: {
    kind: 'ticks' | 'candles';
    /** Directory or files, as given. */
    source: string;
    symbols: string[];
    startTs: number;
    endTs: number;
    /** The recordings, each replayed on its own (a tick capture or a candle file), with their spans (optional for hand-made results). */
    datasets?: Array<{ name: string; symbol: string; startTs: number; endTs: number }>;
  };
  /** The resolved grid (after defaults). */
  grid: {
    symbols: string[];
    sides: OrderSide[];
    sizes: number[];
    durationsMs: number[];
    strategies: string[];
    startsTs: number[];
    seed: number;
  };
  runs: BacktestRun[];
  /** Runs of the grid that did not take place (optional for hand-made results). */
  skipped?: BacktestSkippedRun[];
  /** Per strategy × market state × size bucket. */
  table: BacktestRow[];
  prices: BacktestPriceSeries[];
  /** Wall time and volume of the work (not part of the results: they vary by machine). */
  timing: { wallMs: number; sessions: number; replayedEvents: number };
}

/** A run of the grid that did not take place, and why (too small for the market's minimums, or refused). */
export interface BacktestSkippedRun {
  symbol: string;
  side: OrderSide;
  strategy: string;
  share: number;
  startTs: number;
  reason: string;
}
