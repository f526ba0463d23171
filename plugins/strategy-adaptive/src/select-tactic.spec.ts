import { describe, expect, it } from 'vitest';
import { AdaptiveParamsSchema, type AdaptiveParams } from './adaptive-params.schema.js';
import { adaptiveTacticMap, resolveAdaptiveTactic } from './adaptive-tactics.js';
import { selectTactic, type TacticSituation } from './select-tactic.js';

const params = (input: Record<string, unknown> = {}): AdaptiveParams => AdaptiveParamsSchema.parse({ durationMs: 600_000, ...input });
const calm: TacticSituation = {
  state: 'normal',
  lagShare: 0,
  catchUpThresholdShare: 0.1,
  catchingUp: false,
  timeLeftShare: 0.8,
  deferralLeftMs: 100_000,
  pauseSpent: false,
};
const choose = (situation: Partial<TacticSituation>, input: Record<string, unknown> = {}) => selectTactic({ ...calm, ...situation }, params(input));

describe('selectTactic: the tactic of the market state', () => {
  it('maps the five seed states to their default tactics', () => {
    expect(choose({ state: 'normal' }).tactic).toBe('twap');
    expect(choose({ state: 'ranging' }).tactic).toBe('passive');
    expect(choose({ state: 'volatile' }).tactic).toBe('pause');
    expect(choose({ state: 'illiquid' }).tactic).toBe('slow');
    expect(choose({ state: 'trending' }).tactic).toBe('twap');
  });

  it('refines trending by its direction relative to the order', () => {
    expect(choose({ state: 'trending', trend: 'against' })).toMatchObject({ tactic: 'aggressive', key: 'trending-against' });
    expect(choose({ state: 'trending', trend: 'with' })).toMatchObject({ tactic: 'passive', key: 'trending-with' });
    const unknown = choose({ state: 'trending' });
    expect(unknown).toMatchObject({ tactic: 'twap', key: 'trending' });
    expect(unknown.reasons[0]).toMatch(/direction unknown/);
    // Without a directional entry, the plain trending entry applies.
    expect(choose({ state: 'trending', trend: 'against' }, { tactics: { 'trending-against': 'vwap' } }).tactic).toBe('vwap');
  });

  it('runs the normal tactic without any state, and says why', () => {
    const choice = choose({ state: undefined });
    expect(choice).toMatchObject({ tactic: 'twap', key: 'normal' });
    expect(choice.reasons[0]).toMatch(/no market state received .*no state monitor is installed/);
    expect(choose({ state: undefined }, { tactics: { normal: 'vwap' } }).tactic).toBe('vwap');
  });

  it('falls back to the normal tactic for a user-added state without an entry, and takes its entry when given', () => {
    const fallback = choose({ state: 'news-spike' });
    expect(fallback).toMatchObject({ tactic: 'twap', key: 'normal' });
    expect(fallback.reasons[0]).toBe('market state news-spike has no tactic of its own: falls back to tactics.normal = twap');
    expect(choose({ state: 'news-spike' }, { tactics: { 'news-spike': 'pause' } })).toMatchObject({ tactic: 'pause', key: 'news-spike' });
  });

  it('user entries override the defaults and keep the others', () => {
    const map = adaptiveTacticMap(params({ tactics: { ranging: 'twap', illiquid: 'pause' } }));
    expect(map).toMatchObject({ normal: 'twap', ranging: 'twap', illiquid: 'pause', volatile: 'pause', 'trending-against': 'aggressive' });
  });
});

describe('selectTactic: schedule drift', () => {
  it('catches up when behind by more than the threshold, until under half of it', () => {
    const behind = choose({ state: 'ranging', lagShare: 0.12 });
    expect(behind).toMatchObject({ tactic: 'aggressive', catchingUp: true, mapped: 'passive' });
    expect(behind.reasons[1]).toBe('12% of the order behind schedule, more than the catch-up threshold 10%: aggressive');
    expect(choose({ state: 'ranging', lagShare: 0.06, catchingUp: true })).toMatchObject({ tactic: 'aggressive', catchingUp: true });
    const caughtUp = choose({ state: 'ranging', lagShare: 0.04, catchingUp: true });
    expect(caughtUp).toMatchObject({ tactic: 'passive', catchingUp: false });
    expect(caughtUp.reasons[1]).toMatch(/caught up/);
    expect(choose({ state: 'ranging', lagShare: 0.06 }).tactic).toBe('passive');
    expect(choose({ lagShare: 0.5 }, { catchUpTactic: 'twap' }).tactic).toBe('twap');
  });

  it('catching up wins over a pause', () => {
    expect(choose({ state: 'volatile', lagShare: 0.2 }).tactic).toBe('aggressive');
  });

  it('being ahead of schedule changes nothing', () => {
    expect(choose({ state: 'normal', lagShare: -0.3 }).tactic).toBe('twap');
  });
});

describe('selectTactic: pause and slow-down bounds', () => {
  it('never pauses or slows down in the final stretch', () => {
    const late = choose({ state: 'volatile', timeLeftShare: 0.2 });
    expect(late.tactic).toBe('twap');
    expect(late.reasons.at(-1)).toMatch(/in the final 20% of the window nothing slows down: twap instead of pause/);
    expect(choose({ state: 'illiquid', timeLeftShare: 0.1 }).tactic).toBe('twap');
    expect(choose({ state: 'volatile', timeLeftShare: 0.25 }).tactic).toBe('pause');
  });

  it('stops deferring once the budget is used', () => {
    const spent = choose({ state: 'illiquid', deferralLeftMs: 0 });
    expect(spent.tactic).toBe('twap');
    expect(spent.reasons.at(-1)).toMatch(/deferral budget \(25% of the window\) is used up/);
  });

  it('slows down instead of pausing after the longest pause, and with high urgency', () => {
    expect(choose({ state: 'volatile', pauseSpent: true }).tactic).toBe('slow');
    expect(choose({ state: 'volatile' }, { urgency: 'high' }).tactic).toBe('slow');
  });

  it('falls back to twap when the normal tactic itself defers', () => {
    expect(choose({ state: 'volatile', deferralLeftMs: 0 }, { tactics: { normal: 'slow' } }).tactic).toBe('twap');
    expect(choose({ state: 'volatile', deferralLeftMs: 0 }, { tactics: { normal: 'vwap' } }).tactic).toBe('vwap');
  });
});

describe('resolveAdaptiveTactic', () => {
  it('gives each tactic its curve shape, pace, style and urgency', () => {
    const order = params({ urgency: 'medium', childOrderStyle: 'passive', slowPace: 0.4, aggressivePace: 2 });
    expect(resolveAdaptiveTactic('twap', order)).toMatchObject({ shape: 'linear', pace: 1, childOrderStyle: 'passive', urgency: 'medium', paused: false, deferralRate: 0 });
    expect(resolveAdaptiveTactic('vwap', order)).toMatchObject({ shape: 'volume', pace: 1 });
    expect(resolveAdaptiveTactic('passive', order)).toMatchObject({ childOrderStyle: 'passive', urgency: 'low' });
    expect(resolveAdaptiveTactic('passive', params({ urgency: 'high' })).urgency).toBe('medium');
    expect(resolveAdaptiveTactic('aggressive', order)).toMatchObject({ pace: 2, childOrderStyle: 'marketable', urgency: 'high' });
    expect(resolveAdaptiveTactic('aggressive', params({ childOrderStyle: 'market' })).childOrderStyle).toBe('market');
    // Catching up takes the lag at once, then keeps the on-time pace.
    expect(resolveAdaptiveTactic('aggressive', order, { catchUp: true })).toMatchObject({ pace: 1, childOrderStyle: 'marketable', urgency: 'high' });
    expect(resolveAdaptiveTactic('slow', order)).toMatchObject({ pace: 0.4, deferralRate: 0.6, childOrderStyle: 'passive', urgency: 'low' });
    expect(resolveAdaptiveTactic('pause', order)).toMatchObject({ pace: 0, paused: true, deferralRate: 1 });
  });
});

describe('AdaptiveParamsSchema', () => {
  it('has documented defaults and rejects unknown keys, tactics and bad bounds', () => {
    expect(params()).toMatchObject({
      tactics: {},
      catchUpTactic: 'aggressive',
      catchUpLagShare: 0.1,
      maxDeferralShare: 0.25,
      finalStretchShare: 0.2,
      slowPace: 0.5,
      aggressivePace: 1.5,
      urgency: 'medium',
      childOrderStyle: 'passive',
      completion: 'sweep',
    });
    expect(() => params({ tactics: { volatile: 'hide' } })).toThrow();
    expect(() => params({ tactics: { 'News Spike': 'pause' } })).toThrow(/kebab-case/);
    expect(() => params({ catchUpTactic: 'pause' })).toThrow();
    expect(() => params({ maxDeferralShare: 0.9 })).toThrow();
    expect(() => params({ slowPace: 1 })).toThrow();
    expect(() => params({ slices: 4, intervalMs: 1_000 })).toThrow(/give slices or intervalMs/);
    expect(() => AdaptiveParamsSchema.parse({})).toThrow(/is required/);
  });
});
