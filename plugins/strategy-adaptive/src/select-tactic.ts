import { formatAlgoNumber } from '@tranche/core';
import { DEFERRING_TACTICS, type AdaptiveParams, type AdaptiveTacticName } from './adaptive-params.schema.js';
import { adaptiveTacticMap } from './adaptive-tactics.js';

/** Direction of a trending market relative to the order: `against` when it moves the price away (up for a buy). */
export type TrendDirection = 'against' | 'with';

/** What the adaptive strategy knows when it chooses a tactic. */
export interface TacticSituation {
  /** The last market state from `ctx.state$`; `undefined` when none was received. */
  readonly state: string | undefined;
  /** Direction of the move when the state is `trending` (`undefined` when unknown). */
  readonly trend?: TrendDirection | undefined;
  /** How far the execution is behind its schedule, as a share of the order (negative: ahead). */
  readonly lagShare: number;
  /** Lag share above which it catches up: `catchUpLagShare`, at least 1.5 average slices. */
  readonly catchUpThresholdShare: number;
  /** True while catching up (it stops once the lag is under half the threshold). */
  readonly catchingUp: boolean;
  /** Share of the window still to come (0 at the end). */
  readonly timeLeftShare: number;
  /** Deferral budget left, in ms of schedule. */
  readonly deferralLeftMs: number;
  /** True when a pause already lasted `maxPauseMs` in the current state. */
  readonly pauseSpent: boolean;
}

/** The chosen tactic and why. */
export interface TacticChoice {
  readonly tactic: AdaptiveTacticName;
  /** The entry of the tactic map that applied (`normal`, `trending-against`, `news-spike`…). */
  readonly key: string;
  /** What the map says for that entry (before catch-up and the pause bounds). */
  readonly mapped: AdaptiveTacticName;
  /** True when the choice is the catch-up tactic. */
  readonly catchingUp: boolean;
  /** The reasons, in order, in words. */
  readonly reasons: readonly string[];
}

const pct = (share: number): string => `${formatAlgoNumber(share * 100, 2)}%`;

/**
 * The adaptive strategy's decision, a pure function: the tactic of the market state (of
 * the `normal` entry when no state is known or the state has no entry of its own, and of
 * `trending-against` / `trending-with` for a trend with a known direction); the catch-up
 * tactic instead when behind schedule by more than the threshold (until under half of it);
 * and no pause or slow-down in the final stretch, once the deferral budget is used, or (for
 * a pause) with high urgency or once a pause in this state lasted `maxPauseMs` — `slow`
 * then, or the `normal` tactic (`twap` if that defers too).
 */
export function selectTactic(
  situation: TacticSituation,
  params: Pick<AdaptiveParams, 'tactics' | 'catchUpTactic' | 'urgency' | 'finalStretchShare' | 'maxDeferralShare'>,
): TacticChoice {
  const map = adaptiveTacticMap(params);
  const reasons: string[] = [];
  let key: string;
  const { state, trend } = situation;
  if (state === undefined) {
    key = 'normal';
    reasons.push(`no market state received (ctx.state$ has not emitted: no state monitor is installed, or it has not classified this market yet): the normal tactic ${map['normal']}`);
  } else if (state === 'trending' && trend !== undefined && map[`trending-${trend}`] !== undefined) {
    key = `trending-${trend}`;
    reasons.push(`market state trending, ${trend} the order: tactics.${key} = ${map[key]}`);
  } else if (map[state] !== undefined) {
    key = state;
    reasons.push(`market state ${state}${state === 'trending' ? ' (direction unknown)' : ''}: tactics.${key} = ${map[key]}`);
  } else {
    key = 'normal';
    reasons.push(`market state ${state} has no tactic of its own: falls back to tactics.normal = ${map['normal']}`);
  }
  const mapped = map[key]!;
  const { lagShare, catchUpThresholdShare } = situation;
  if (lagShare > catchUpThresholdShare || (situation.catchingUp && lagShare > catchUpThresholdShare / 2)) {
    reasons.push(
      situation.catchingUp && lagShare <= catchUpThresholdShare
        ? `still ${pct(lagShare)} of the order behind schedule (catching up until under ${pct(catchUpThresholdShare / 2)}): ${params.catchUpTactic}`
        : `${pct(lagShare)} of the order behind schedule, more than the catch-up threshold ${pct(catchUpThresholdShare)}: ${params.catchUpTactic}`,
    );
    return { tactic: params.catchUpTactic, key, mapped, catchingUp: true, reasons };
  }
  if (situation.catchingUp) reasons.push(`caught up (${lagShare > 0 ? `${pct(lagShare)} behind` : `${pct(-lagShare)} ahead of`} schedule)`);
  let tactic = mapped;
  if (DEFERRING_TACTICS.has(tactic)) {
    const fallback: AdaptiveTacticName = DEFERRING_TACTICS.has(map['normal']!) ? 'twap' : map['normal']!;
    if (situation.timeLeftShare <= params.finalStretchShare) {
      reasons.push(`in the final ${pct(params.finalStretchShare)} of the window nothing slows down: ${fallback} instead of ${tactic}`);
      tactic = fallback;
    } else if (situation.deferralLeftMs <= 0) {
      reasons.push(`the deferral budget (${pct(params.maxDeferralShare)} of the window) is used up: ${fallback} instead of ${tactic}`);
      tactic = fallback;
    } else if (tactic === 'pause' && params.urgency === 'high') {
      reasons.push('a high-urgency order never pauses: slow instead');
      tactic = 'slow';
    } else if (tactic === 'pause' && situation.pauseSpent) {
      reasons.push('the longest pause (maxPauseMs) in this state is over: slow instead');
      tactic = 'slow';
    }
  }
  return { tactic, key, mapped, catchingUp: false, reasons };
}
