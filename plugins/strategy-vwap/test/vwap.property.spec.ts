import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runAlgoScenario } from '@tranche/testkit';
import vwapStrategyPlugin from '../src/index.js';

const orders = fc.record({
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: fc.double({ min: 0.001, max: 8, noNaN: true }).map((value) => Number(value.toFixed(5))),
  durationMs: fc.integer({ min: 10_000, max: 240_000 }),
  slices: fc.integer({ min: 1, max: 40 }),
  randomization: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.nat(),
  urgency: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  childOrderStyle: fc.constantFrom('passive' as const, 'marketable' as const, 'market' as const),
  completion: fc.constantFrom('sweep' as const, 'best-effort' as const),
  maxParticipation: fc.option(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { nil: undefined }),
  limitOffsetBps: fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
  marketSeed: fc.integer({ min: 1, max: 1_000 }),
  recorded: fc.boolean(),
  profile: fc.constantFrom('intraday' as const, 'day-of-week' as const, 'session' as const),
  volumeTracking: fc.double({ min: 0, max: 1, noNaN: true }),
  startHour: fc.integer({ min: 0, max: 23 }),
});

describe('VWAP properties (random orders, seeds and markets)', () => {
  it('never overfills, never crosses the limit price, stays within the participation cap (± one child), fills reconcile, ids are unique', async () => {
    await fc.assert(
      fc.asyncProperty(orders, async (input) => {
        // A synthetic market, or the recorded minute of real Binance data (with its own rules).
        const { side, quantity, marketSeed: _marketSeed, limitOffsetBps, recorded, startHour: _hour, ...params } = input;
        await runAlgoScenario({
          plugins: [vwapStrategyPlugin],
          type: 'vwap',
          side,
          quantity,
          params,
          market: recorded ? 'recorded' : { seed: input.marketSeed, durationMs: 300_000, startMs: Date.UTC(2024, 7, 8, input.startHour, 7) },
          limitOffsetBps,
        });
      }),
      { numRuns: 80 },
    );
  });
});
