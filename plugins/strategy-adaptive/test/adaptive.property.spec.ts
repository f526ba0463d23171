import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectAlgoInvariants, InMemoryVenue, loadRecordedFixture, syntheticMarket, syntheticMarketInfo, TestBench } from '@tranche/testkit';
import adaptiveStrategyPlugin from '../src/index.js';
import { scriptedMarketStates } from './scripted-market-states.js';

const STATES = ['normal', 'volatile', 'trending', 'illiquid', 'ranging', 'news-spike'] as const;
const TACTICS = ['twap', 'vwap', 'passive', 'aggressive', 'slow', 'pause'] as const;

const stateSequences = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    state: fc.constantFrom(...STATES),
    logReturn: fc.option(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { nil: undefined }),
  }),
  { maxLength: 8 },
);

const orders = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: fc.double({ min: 0.001, max: 6, noNaN: true }).map((value) => Number(value.toFixed(5))),
  durationMs: fc.integer({ min: 10_000, max: 240_000 }),
  slices: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  randomization: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.nat(),
  urgency: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  childOrderStyle: fc.constantFrom('passive' as const, 'marketable' as const, 'market' as const),
  completion: fc.constantFrom('sweep' as const, 'best-effort' as const),
  maxParticipation: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { nil: undefined }),
  limitOffsetBps: fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
  newsSpikeTactic: fc.option(fc.constantFrom(...TACTICS), { nil: undefined }),
  catchUpLagShare: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
  marketSeed: fc.integer({ min: 1, max: 1_000 }),
  recorded: fc.boolean(),
  monitor: fc.boolean(),
  states: stateSequences,
});

describe('adaptive properties (random orders, seeds, markets and market-state sequences)', () => {
  it('never overfills, never crosses the limit price, stays within the participation cap (± one child), fills reconcile, ids are unique, nothing after the end time but the sweep', async () => {
    await fc.assert(
      fc.asyncProperty(orders, async (input) => {
        // A synthetic market, or the recorded minute of real Binance data (with its own rules).
        const fixture = input.recorded ? loadRecordedFixture() : undefined;
        const market = fixture ?? syntheticMarket({ seed: input.marketSeed, durationMs: 300_000 });
        const rules = fixture?.market ?? syntheticMarketInfo();
        const durationMs = fixture ? Math.min(input.durationMs, 55_000) : input.durationMs;
        const mid = (market.snapshot.bids[0]![0] + market.snapshot.asks[0]![0]) / 2;
        const limitPrice = input.limitOffsetBps === undefined ? undefined : Number((mid * (1 + input.limitOffsetBps / 10_000)).toFixed(2));
        const script = input.states.map((step) => ({ atMs: Math.round(step.at * durationMs), state: step.state, ...(step.logReturn === undefined ? {} : { features: { logReturn: step.logReturn } }) }));
        const plugins = [adaptiveStrategyPlugin, ...(input.monitor ? [scriptedMarketStates(script)] : [])];
        const bench = await TestBench.create({ markets: [rules], plugins, market });
        const params = {
          durationMs,
          randomization: input.randomization,
          seed: input.seed,
          urgency: input.urgency,
          childOrderStyle: input.childOrderStyle,
          completion: input.completion,
          catchUpLagShare: input.catchUpLagShare,
          ...(input.slices === undefined ? {} : { slices: input.slices }),
          ...(input.maxParticipation === undefined ? {} : { maxParticipation: input.maxParticipation }),
          ...(limitPrice === undefined ? {} : { limitPrice }),
          ...(input.newsSpikeTactic === undefined ? {} : { tactics: { 'news-spike': input.newsSpikeTactic } }),
        };
        const report = await bench.execute({ symbol: 'BTC/USDT', side: input.side, type: 'adaptive', quantity: input.quantity, params });
        const endTime = report.startedAt + durationMs;
        expectAlgoInvariants({
          report,
          received: (bench.venue as InMemoryVenue).received,
          executionEvents: bench.events,
          events: market.events,
          market: rules,
          limitPrice,
          maxParticipation: input.maxParticipation,
          endTime,
        });
        const late = bench.events.filter((event) => event.type === 'child-order-intent' && event.ts > endTime);
        expect(late).toHaveLength(0);
        expect(await bench.venue.openOrders()).toHaveLength(0);
        await bench.close();
      }),
      { numRuns: 120 },
    );
  });
});
