import { describe, expect, it } from 'vitest';
import { TrancheError, type ExecutionEvent, type MarketEvent } from '@tranche/core';
import { InMemoryVenue, TestBench, expectConsistentReport, strategyContract, syntheticMarket, syntheticMarketInfo } from '@tranche/testkit';
import { scriptedMarketStates, type ScriptedState } from '../test/scripted-market-states.js';
import adaptiveStrategyPlugin from './index.js';

const SCRIPT: ScriptedState[] = [
  { atMs: 0, state: 'ranging' },
  { atMs: 8_000, state: 'volatile' },
  { atMs: 20_000, state: 'trending', features: { logReturn: 0.004 } },
  { atMs: 30_000, state: 'news-spike' },
];

strategyContract('adaptive (no state monitor)', { plugin: adaptiveStrategyPlugin, type: 'adaptive', params: { durationMs: 40_000, slices: 4 } });
strategyContract('adaptive (scripted states: ranging, volatile, trending, news-spike)', {
  plugin: adaptiveStrategyPlugin,
  plugins: [scriptedMarketStates(SCRIPT)],
  type: 'adaptive',
  params: { durationMs: 40_000, slices: 8, randomization: 0.5, seed: 11 },
});
strategyContract('adaptive (illiquid then normal, high urgency, limit price, participation cap)', {
  plugin: adaptiveStrategyPlugin,
  plugins: [scriptedMarketStates([{ atMs: 0, state: 'illiquid' }, { atMs: 15_000, state: 'normal' }])],
  type: 'adaptive',
  params: { durationMs: 45_000, urgency: 'high', maxParticipation: 0.3 },
  price: (side, mid) => (side === 'buy' ? mid + 3 : mid - 3),
});

type Market = { snapshot: MarketEvent & { type: 'book-snapshot' }; events: MarketEvent[] };
const order = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ symbol: 'BTC/USDT', side: 'buy', type: 'adaptive', quantity: 1, params, ...extra });

async function execute(request: unknown, options: { states?: ScriptedState[]; market?: Market; cancelAfterMs?: number } = {}) {
  const market = options.market ?? syntheticMarket({ seed: 3 });
  const plugins = [adaptiveStrategyPlugin, ...(options.states ? [scriptedMarketStates(options.states)] : [])];
  const bench = await TestBench.create({ plugins, market, markets: [syntheticMarketInfo()] });
  const report = await bench.execute(request, options.cancelAfterMs === undefined ? {} : { cancelAfterMs: options.cancelAfterMs });
  const venue = bench.venue as InMemoryVenue;
  const openOrders = await venue.openOrders();
  await bench.close();
  return { report, bench, venue, openOrders, start: market.snapshot.ts };
}

type NoteEvent = Extract<ExecutionEvent, { type: 'note' }>;
const notes = (bench: TestBench): NoteEvent[] => bench.events.filter((event): event is NoteEvent => event.type === 'note');
const decisions = (bench: TestBench) => notes(bench).filter((note) => /^Adaptive (starts|switches|keeps)/.test(note.message));
const intents = (bench: TestBench) => bench.events.filter((event): event is Extract<ExecutionEvent, { type: 'child-order-intent' }> => event.type === 'child-order-intent');

describe('AdaptiveStrategy params', () => {
  it('requires a window, rejects unknown tactics and names the field', async () => {
    const bench = await TestBench.create({ plugins: [adaptiveStrategyPlugin] });
    const error = (await bench.manager.executeOrder(order({})).catch((caught: unknown) => caught)) as TrancheError;
    expect(error).toBeInstanceOf(TrancheError);
    expect(error.message).toMatch(/params\.durationMs is required/);
    await expect(bench.manager.executeOrder(order({ durationMs: 60_000, tactics: { volatile: 'hide' } }))).rejects.toThrow(/params\.tactics\.volatile/);
    await expect(bench.manager.executeOrder(order({ durationMs: 60_000, catchUpTactic: 'pause' }))).rejects.toThrow(/params\.catchUpTactic/);
    await expect(bench.manager.executeOrder(order({ durationMs: 60_000 }, { quantity: 0.000001 }))).rejects.toThrow(/quantity must be at least/);
    expect((bench.venue as InMemoryVenue).received).toHaveLength(0);
    await bench.close();
  });
});

describe('AdaptiveStrategy without a state monitor', () => {
  it('runs the normal tactic throughout and says so', async () => {
    const { report, bench } = await execute(order({ durationMs: 120_000 }));
    expectConsistentReport(report, 1);
    expect(report.status).toBe('filled');
    const [first, ...others] = decisions(bench);
    expect(first!.message).toMatch(/^Adaptive starts with twap: no market state received \(ctx\.state\$ has not emitted: no state monitor is installed/);
    expect(others).toHaveLength(0);
    expect(notes(bench).at(-1)!.message).toMatch(/^Adaptive summary: 0 tactic switches; time by tactic: twap 100%; no market state was received \(no state monitor installed\?\): the normal tactic ran throughout/);
    const reasons = intents(bench).map((intent) => noteFor(bench, intent.order.clientOrderId));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).toMatch(/: Adaptive (\(twap\)|end time)/);
  });

  it('runs the tactic mapped to normal (vwap), following the session volume', async () => {
    const { report, bench } = await execute(order({ durationMs: 120_000, tactics: { normal: 'vwap' } }));
    expect(report.status).toBe('filled');
    expect(decisions(bench)[0]!.message).toMatch(/^Adaptive starts with vwap: .*VWAP: the rest of the order following the volume the market trades/);
  });
});

describe('AdaptiveStrategy switching with state$', () => {
  const script: ScriptedState[] = [
    { atMs: 0, state: 'ranging', confidence: 0.7 },
    { atMs: 60_000, state: 'trending', features: { logReturn: 0.003 } },
    { atMs: 120_000, state: 'volatile' },
    { atMs: 200_000, state: 'normal' },
  ];

  it('starts from the current state’s tactic and switches as the state changes, explaining each switch', async () => {
    const { report, bench, start, openOrders } = await execute(order({ durationMs: 300_000, slices: 10 }), { states: script });
    expectConsistentReport(report, 1);
    expect(report.status).toBe('filled');
    expect(openOrders).toHaveLength(0);
    const steps = decisions(bench).map((note) => ({ at: note.ts - start, tactic: note.data!['tactic'], message: note.message }));
    expect(steps.map((step) => [step.at, step.tactic])).toEqual([
      [0, 'passive'],
      [60_000, 'aggressive'],
      [120_000, 'pause'],
      [150_000, 'slow'],
      [200_000, 'twap'],
    ]);
    expect(steps[0]!.message).toMatch(/^Adaptive starts with passive \(ranging, confidence 0\.7, classified at 00:00:00\.000 UTC\): market state ranging: tactics\.ranging = passive\. passive: rest at the touch/);
    expect(steps[1]!.message).toMatch(/^Adaptive switches passive → aggressive \(trending, .*\): market state trending, against the order: tactics\.trending-against = aggressive\. aggressive: 1\.5× the on-time pace, marketable children .*; schedule [\d.]+ by now, filled [\d.]+: /);
    expect(steps[2]!.message).toMatch(/^Adaptive switches aggressive → pause \(volatile, .*\): market state volatile: tactics\.volatile = pause\. pause: nothing new is sent and resting children are cancelled/);
    expect(steps[3]!.message).toMatch(/^Adaptive switches pause → slow .*the longest pause \(maxPauseMs\) in this state is over: slow instead/);
    expect(steps[4]!.message).toMatch(/^Adaptive switches slow → twap \(normal, .*\): market state normal: tactics\.normal = twap/);

    // Child orders carry their tactic; aggressive ones take liquidity, none is sent during the pause.
    const children = intents(bench).map((intent) => ({ at: intent.ts - start, order: intent.order, reason: noteFor(bench, intent.order.clientOrderId) }));
    const during = (from: number, to: number) => children.filter((child) => child.at >= from && child.at < to);
    expect(during(0, 60_000).every((child) => child.order.timeInForce === 'GTC' && /Adaptive \(passive\)/.test(child.reason))).toBe(true);
    expect(during(60_000, 120_000).some((child) => child.order.timeInForce === 'IOC' && /Adaptive \(aggressive\)/.test(child.reason))).toBe(true);
    expect(during(120_000, 150_000)).toHaveLength(0);
    const summary = notes(bench).at(-1)!;
    expect(summary.message).toMatch(/^Adaptive summary: 4 tactic switches \(00:01:00\.000 passive → aggressive, 00:02:00\.000 aggressive → pause, 00:02:30\.000 pause → slow, 00:03:20\.000 slow → twap\)/);
    expect(summary.message).toMatch(/market states seen: ranging, trending, volatile, normal/);
  });

  it('notes a state update that keeps the tactic', async () => {
    const { bench } = await execute(order({ durationMs: 120_000, tactics: { ranging: 'twap' } }), { states: [{ atMs: 0, state: 'normal' }, { atMs: 30_000, state: 'ranging' }] });
    const kept = decisions(bench).find((note) => /^Adaptive keeps/.test(note.message))!;
    expect(kept.message).toMatch(/^Adaptive keeps twap \(ranging, .*\): market state ranging: tactics\.ranging = twap\. TWAP: .*; schedule [\d.]+ by now, filled [\d.]+/);
  });

  it('trending with the order is worked passively; the direction comes from the state’s features, else the mid', async () => {
    const down = await execute(order({ durationMs: 120_000 }), { states: [{ atMs: 0, state: 'trending', features: { logReturn: -0.002 } }] });
    expect(decisions(down.bench)[0]!.message).toMatch(/trending, with the order: tactics\.trending-with = passive/);
    const sell = await execute(order({ durationMs: 120_000 }, { side: 'sell' }), { states: [{ atMs: 0, state: 'trending', features: { returnPct: -0.2 } }] });
    expect(decisions(sell.bench)[0]!.message).toMatch(/trending, against the order: tactics\.trending-against = aggressive/);
    // No features: the mid against the arrival price (unknown at the start, so the plain trending entry).
    const unknown = await execute(order({ durationMs: 120_000 }), { states: [{ atMs: 0, state: 'trending' }] });
    expect(decisions(unknown.bench)[0]!.message).toMatch(/market state trending \(direction unknown\): tactics\.trending = twap/);
  });

  it('falls back to the normal tactic for a user-added state, and follows a tactics entry for it', async () => {
    const states = [{ atMs: 0, state: 'normal' }, { atMs: 40_000, state: 'news-spike' }, { atMs: 70_000, state: 'normal' }];
    const fallback = await execute(order({ durationMs: 180_000 }), { states });
    const kept = decisions(fallback.bench).find((note) => note.data!['state'] === 'news-spike')!;
    expect(kept.message).toMatch(/^Adaptive keeps twap \(news-spike, .*\): market state news-spike has no tactic of its own: falls back to tactics\.normal = twap/);
    const mapped = await execute(order({ durationMs: 180_000, tactics: { 'news-spike': 'pause' } }), { states });
    const steps = decisions(mapped.bench).map((note) => [note.ts - mapped.start, note.data!['tactic']]);
    // The longest pause is a tenth of the window (18 s): then slow, until the state changes.
    expect(steps).toEqual([
      [0, 'twap'],
      [40_000, 'pause'],
      [58_000, 'slow'],
      [70_000, 'twap'],
    ]);
    expect(intents(mapped.bench).filter((intent) => intent.ts - mapped.start >= 40_000 && intent.ts - mapped.start < 58_000)).toHaveLength(0);
    expect(mapped.report.status).toBe('filled');
  });
});

describe('AdaptiveStrategy pause and slow-down bounds', () => {
  it('a volatile market all along: pause up to maxPauseMs, slow until the deferral budget is used, then twap; the order completes on time', async () => {
    const { report, bench, start } = await execute(order({ durationMs: 300_000, slices: 10 }), { states: [{ atMs: 0, state: 'volatile' }] });
    const steps = decisions(bench).map((note) => [note.ts - start, note.data!['tactic'], note.data!['deferredMs']]);
    // Pause 30 s (a tenth of the window), then slow at half pace: 45 s of budget left = 90 s; 75 s deferred = 25% of the window.
    expect(steps).toEqual([
      [0, 'pause', 0],
      [30_000, 'slow', 30_000],
      [120_000, 'twap', 75_000],
    ]);
    expect(decisions(bench)[2]!.message).toMatch(/the deferral budget \(25% of the window\) is used up: twap instead of pause/);
    expect(report.status).toBe('filled');
    expect(report.endedAt).toBeLessThanOrEqual(start + 300_000);
    expect(intents(bench).filter((intent) => intent.ts - start < 30_000)).toHaveLength(0);
  });

  it('no pause in the final stretch, even for a state that starts there; maxPauseMs and the budget are params', async () => {
    const late = await execute(order({ durationMs: 200_000, slices: 20 }), { states: [{ atMs: 0, state: 'normal' }, { atMs: 170_000, state: 'volatile' }] });
    const last = decisions(late.bench).at(-1)!;
    expect(last.message).toMatch(/^Adaptive keeps twap \(volatile, .*\): .*in the final 20% of the window nothing slows down: twap instead of pause/);
    const custom = await execute(order({ durationMs: 300_000, maxPauseMs: 10_000, maxDeferralShare: 0.1 }), { states: [{ atMs: 0, state: 'volatile' }] });
    expect(decisions(custom.bench).map((note) => [note.ts - custom.start, note.data!['tactic']])).toEqual([
      [0, 'pause'],
      [10_000, 'slow'],
      [50_000, 'twap'],
    ]);
  });

  it('a high-urgency order never pauses', async () => {
    const { bench } = await execute(order({ durationMs: 120_000, urgency: 'high' }), { states: [{ atMs: 0, state: 'volatile' }] });
    expect(decisions(bench)[0]!.message).toMatch(/^Adaptive starts with slow .*a high-urgency order never pauses: slow instead/);
  });
});

describe('AdaptiveStrategy schedule drift', () => {
  it('catches up with the aggressive tactic when the passive one falls behind, then returns to it', async () => {
    // Nobody sells: a resting buy never fills, only crossing children do.
    const base = syntheticMarket({ seed: 4 });
    const market = { snapshot: base.snapshot, events: base.events.filter((event) => event.type !== 'trade' || event.takerSide === 'buy') };
    // The passive tactic (low urgency) tolerates two slices (10%) itself; the adaptive catches up beyond 1.5 slices (7.5%).
    const { report, bench } = await execute(order({ durationMs: 300_000, slices: 20, catchUpLagShare: 0.06 }), { states: [{ atMs: 0, state: 'ranging' }], market });
    const steps = decisions(bench);
    const catchUp = steps.find((note) => note.data!['tactic'] === 'aggressive')!;
    expect(catchUp.message).toMatch(/^Adaptive switches passive → aggressive \(ranging, .*\): market state ranging: tactics\.ranging = passive; [\d.]+% of the order behind schedule, more than the catch-up threshold 7\.5%: aggressive/);
    expect(catchUp.message).toMatch(/\. aggressive, catching up: marketable children take what is behind schedule now/);
    expect(catchUp.data!['catchingUp']).toBe(true);
    const back = steps.find((note) => note.ts > catchUp.ts && note.data!['tactic'] === 'passive')!;
    expect(back.message).toMatch(/caught up/);
    expect(report.status).toBe('filled');
    expect(report.childOrders.some((child) => child.timeInForce === 'IOC' && child.filledQuantity > 0)).toBe(true);
  });
});

describe('AdaptiveStrategy determinism, timing and cancellation', () => {
  it('gives the same report for the same seed and states, and another schedule for another seed', async () => {
    const run = async (seed: number) => (await execute(order({ durationMs: 120_000, slices: 8, randomization: 1, seed }), { states: SCRIPT })).report;
    const first = await run(1);
    expect(JSON.stringify(await run(1))).toBe(JSON.stringify(first));
    expect((await run(2)).schedule!.map((point) => point.ts)).not.toEqual(first.schedule!.map((point) => point.ts));
  });

  it('runs a one-hour adaptive order with state changes over an hour of data in well under a second', async () => {
    const states: ScriptedState[] = Array.from({ length: 12 }, (_, index) => ({ atMs: index * 300_000, state: ['normal', 'ranging', 'volatile', 'illiquid', 'trending'][index % 5]!, features: { logReturn: 0.001 } }));
    const bench = await TestBench.create({ plugins: [adaptiveStrategyPlugin, scriptedMarketStates(states)], market: syntheticMarket({ seed: 9, durationMs: 3_700_000, tradeEveryMs: 1_000 }) });
    const started = performance.now();
    const report = await bench.execute(order({ durationMs: 3_600_000, randomization: 0.5, seed: 7 }, { quantity: 5 }));
    const wallMs = performance.now() - started;
    await bench.close();
    expect(report.status).toBe('filled');
    expect(report.endedAt - report.startedAt).toBeGreaterThan(3_000_000);
    expect(wallMs).toBeLessThan(1_500);
  });

  it('waits for a future startTime, choosing the first tactic from the state known then', async () => {
    const market = syntheticMarket({ seed: 3 });
    const startTime = market.snapshot.ts + 60_000;
    const { report, bench } = await execute(order({ startTime, durationMs: 120_000 }), { market, states: [{ atMs: 0, state: 'ranging' }, { atMs: 30_000, state: 'illiquid' }] });
    expect(Math.min(...intents(bench).map((intent) => intent.ts))).toBeGreaterThanOrEqual(startTime);
    expect(report.schedule![0]!.ts).toBe(startTime);
    const steps = decisions(bench);
    expect(steps[0]!.message).toMatch(/^Adaptive starts with passive/);
    // The illiquid spell before the start defers nothing.
    expect(steps[1]!.data).toMatchObject({ tactic: 'slow', deferredMs: 0 });
  });

  it('cancels: nothing is left working and the report has exact quantities', async () => {
    const { report, openOrders } = await execute(order({ durationMs: 300_000, slices: 5 }, { quantity: 3 }), { states: SCRIPT, cancelAfterMs: 90_000 });
    expect(report.status).toBe('cancelled');
    expectConsistentReport(report, 3);
    expect(report.filledQuantity).toBeGreaterThan(0);
    expect(report.completion).toMatchObject({ outcome: 'interrupted' });
    expect(openOrders).toHaveLength(0);
  });

  it('cancels during a pause, with nothing working', async () => {
    const { report, openOrders } = await execute(order({ durationMs: 300_000 }), { states: [{ atMs: 0, state: 'normal' }, { atMs: 50_000, state: 'volatile' }], cancelAfterMs: 60_000 });
    expect(report.status).toBe('cancelled');
    expect(openOrders).toHaveLength(0);
  });
});

/** The engine's note for a placed child (it carries the strategy's reason). */
function noteFor(bench: TestBench, clientOrderId: string): string {
  return notes(bench).find((note) => note.message.includes(` as ${clientOrderId}: `))?.message ?? '';
}
