import type { ExecutionEvent, ExecutionReport, TranchePlugin } from '@tranche/core';
import { expectAlgoInvariants } from './algo-invariants.js';
import type { InMemoryVenue } from './in-memory-venue.js';
import { loadRecordedFixture } from './recorded-fixture.js';
import { syntheticMarket, syntheticMarketInfo, type SyntheticMarketOptions } from './synthetic-market.js';
import { TestBench } from './test-bench.js';

/** Longest window run on the recorded minute (it holds about 60 s of data). */
const RECORDED_MAX_DURATION_MS = 55_000;

/** One algorithmic parent order on a market, for `runAlgoScenario`. */
export interface AlgoScenario {
  plugins: readonly TranchePlugin<unknown>[];
  /** The strategy id. */
  type: string;
  side: 'buy' | 'sell';
  quantity: number;
  /** The strategy's params; `durationMs` is required (capped at 55 s on the recorded minute). */
  params: Record<string, unknown> & { durationMs: number; maxParticipation?: number | undefined };
  /** `recorded`: the bundled minute of real Binance BTC/USDT data; otherwise a synthetic market with these options. */
  market: 'recorded' | SyntheticMarketOptions;
  /** A parent limit price this many bps from the starting mid (rounded to cents). */
  limitOffsetBps?: number | undefined;
}

/** What `runAlgoScenario` observed. */
export interface AlgoScenarioResult {
  report: ExecutionReport;
  /** Every execution event of the run. */
  events: readonly ExecutionEvent[];
  /** Orders still open at the venue when the parent ended. */
  openOrdersAtEnd: number;
  limitPrice: number | undefined;
  durationMs: number;
}

/**
 * Runs one algorithmic order in a `TestBench` on the recorded minute or a synthetic
 * market, checks `expectAlgoInvariants` (no overfill, limit price, participation cap,
 * fills reconcile, unique ids) and returns the report and events for further checks.
 */
export async function runAlgoScenario(scenario: AlgoScenario): Promise<AlgoScenarioResult> {
  const fixture = scenario.market === 'recorded' ? loadRecordedFixture() : undefined;
  const market = fixture ?? syntheticMarket(scenario.market as SyntheticMarketOptions);
  const rules = fixture?.market ?? syntheticMarketInfo();
  const durationMs = fixture ? Math.min(scenario.params.durationMs, RECORDED_MAX_DURATION_MS) : scenario.params.durationMs;
  const mid = (market.snapshot.bids[0]![0] + market.snapshot.asks[0]![0]) / 2;
  const limitPrice = scenario.limitOffsetBps === undefined ? undefined : Number((mid * (1 + scenario.limitOffsetBps / 10_000)).toFixed(2));
  const params: Record<string, unknown> = { ...scenario.params, durationMs, ...(limitPrice === undefined ? {} : { limitPrice }) };
  if (params['maxParticipation'] === undefined) delete params['maxParticipation'];
  const bench = await TestBench.create({ markets: [rules], plugins: scenario.plugins, market });
  const report = await bench.execute({ symbol: rules.symbol, side: scenario.side, type: scenario.type, quantity: scenario.quantity, params });
  expectAlgoInvariants({
    report,
    received: (bench.venue as InMemoryVenue).received,
    executionEvents: bench.events,
    events: market.events,
    market: rules,
    limitPrice,
    maxParticipation: scenario.params.maxParticipation,
    endTime: report.startedAt + durationMs,
  });
  const openOrdersAtEnd = (await bench.venue.openOrders()).length;
  await bench.close();
  return { report, events: bench.events, openOrdersAtEnd, limitPrice, durationMs };
}
