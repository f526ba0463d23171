import { URGENCY_LAG_SLICES, formatAlgoNumber, type ChildOrderStyle, type Urgency } from '@tranche/core';
import { DEFAULT_ADAPTIVE_TACTICS, type AdaptiveParams, type AdaptiveTacticName } from './adaptive-params.schema.js';

/** What a tactic is, concretely, for one order: the settings it gives core's scheduled driver. */
export interface AdaptiveTactic {
  readonly name: AdaptiveTacticName;
  /** Schedule shape: TWAP's straight line, or the volume the session trades (VWAP's `session` curve). */
  readonly shape: 'linear' | 'volume';
  /** Speed relative to the pace that finishes on time (1), from the moment the tactic starts. */
  readonly pace: number;
  readonly childOrderStyle: ChildOrderStyle;
  readonly urgency: Urgency;
  /** True for `pause`: nothing new is sent and resting children are cancelled. */
  readonly paused: boolean;
  /** Share of the elapsed time the tactic defers (1 for `pause`, `1 − slowPace` for `slow`, 0 otherwise). */
  readonly deferralRate: number;
  /** What it does, for notes. */
  readonly description: string;
}

const LOWER_URGENCY: Readonly<Record<Urgency, Urgency>> = { high: 'medium', medium: 'low', low: 'low' };

/** The state → tactic map of an order: `DEFAULT_ADAPTIVE_TACTICS` overridden and extended by `params.tactics`. */
export function adaptiveTacticMap(params: Pick<AdaptiveParams, 'tactics'>): Readonly<Record<string, AdaptiveTacticName>> {
  return { ...DEFAULT_ADAPTIVE_TACTICS, ...params.tactics };
}

/**
 * The settings of a tactic for an order's params. As the catch-up tactic (`catchUp`), a
 * tactic keeps the on-time pace: it takes the lag now rather than running ahead.
 */
export function resolveAdaptiveTactic(
  name: AdaptiveTacticName,
  params: Pick<AdaptiveParams, 'childOrderStyle' | 'urgency' | 'slowPace' | 'aggressivePace'>,
  options: { readonly catchUp?: boolean } = {},
): AdaptiveTactic {
  const lag = (urgency: Urgency): string => `${formatAlgoNumber(URGENCY_LAG_SLICES[urgency])} average slice${URGENCY_LAG_SLICES[urgency] === 1 ? '' : 's'}`;
  switch (name) {
    case 'twap':
      return {
        name,
        shape: 'linear',
        pace: 1,
        childOrderStyle: params.childOrderStyle,
        urgency: params.urgency,
        paused: false,
        deferralRate: 0,
        description: `TWAP: the rest of the order evenly over the rest of the window, ${params.childOrderStyle} children, crossing when more than ${lag(params.urgency)} behind (${params.urgency} urgency)`,
      };
    case 'vwap':
      return {
        name,
        shape: 'volume',
        pace: 1,
        childOrderStyle: params.childOrderStyle,
        urgency: params.urgency,
        paused: false,
        deferralRate: 0,
        description: `VWAP: the rest of the order following the volume the market trades in the session (half even, half volume), ${params.childOrderStyle} children, ${params.urgency} urgency`,
      };
    case 'passive': {
      const urgency = LOWER_URGENCY[params.urgency];
      return {
        name,
        shape: 'linear',
        pace: 1,
        childOrderStyle: 'passive',
        urgency,
        paused: false,
        deferralRate: 0,
        description: `passive: rest at the touch on the even schedule, crossing only when more than ${lag(urgency)} behind (${urgency} urgency)`,
      };
    }
    case 'aggressive': {
      const childOrderStyle: ChildOrderStyle = params.childOrderStyle === 'market' ? 'market' : 'marketable';
      if (options.catchUp) {
        return {
          name,
          shape: 'linear',
          pace: 1,
          childOrderStyle,
          urgency: 'high',
          paused: false,
          deferralRate: 0,
          description: `aggressive, catching up: ${childOrderStyle} children take what is behind schedule now, within the limit price (high urgency), then the on-time pace`,
        };
      }
      return {
        name,
        shape: 'linear',
        pace: params.aggressivePace,
        childOrderStyle,
        urgency: 'high',
        paused: false,
        deferralRate: 0,
        description: `aggressive: ${formatAlgoNumber(params.aggressivePace, 3)}× the on-time pace, ${childOrderStyle} children taking liquidity within the limit price (high urgency)`,
      };
    }
    case 'slow':
      return {
        name,
        shape: 'linear',
        pace: params.slowPace,
        childOrderStyle: 'passive',
        urgency: 'low',
        paused: false,
        deferralRate: 1 - params.slowPace,
        description: `slow: ${formatAlgoNumber(params.slowPace, 3)}× the on-time pace, resting at the touch (low urgency); what it defers is spread over the rest of the window when it ends`,
      };
    case 'pause':
      return {
        name,
        shape: 'linear',
        pace: 0,
        childOrderStyle: 'passive',
        urgency: 'low',
        paused: true,
        deferralRate: 1,
        description: 'pause: nothing new is sent and resting children are cancelled; the paused part is spread over the rest of the window when it ends',
      };
  }
}
