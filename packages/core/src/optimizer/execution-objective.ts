import type { ExecutionQualityRecord } from '../quality/execution-quality.schema.js';

/** Cost charged for the unfilled share of an order (opportunity cost), bps per 100 % unfilled. */
export const UNFILLED_PENALTY_BPS = 25;
/** Shortfalls beyond ±this many bps are clipped, so one wild execution cannot dominate a state. */
export const SHORTFALL_CLIP_BPS = 200;

/**
 * The optimizer's objective for one recorded execution: its expected cost in bps of
 * the arrival price, lower is better —
 * `clip(implementationShortfallBps, ±200) + feeBps + 25 × (1 − fillRate)`.
 * The shortfall is the cost on the filled part (0 when nothing filled), fees are what the
 * venue charged, and the unfilled share is charged as an opportunity cost.
 */
export function executionObjectiveBps(record: Pick<ExecutionQualityRecord, 'implementationShortfallBps' | 'feeBps' | 'fillRate'>): number {
  const shortfall = record.implementationShortfallBps ?? 0;
  const clipped = Math.max(-SHORTFALL_CLIP_BPS, Math.min(SHORTFALL_CLIP_BPS, Number.isFinite(shortfall) ? shortfall : 0));
  const fees = record.feeBps !== null && Number.isFinite(record.feeBps) ? record.feeBps : 0;
  return clipped + fees + UNFILLED_PENALTY_BPS * (1 - record.fillRate);
}

/** The objective in words, as explanations state it. */
export const EXECUTION_OBJECTIVE_TEXT =
  `expected cost in bps of arrival (lower is better) = clip(implementation shortfall, ±${SHORTFALL_CLIP_BPS}) + fees + ${UNFILLED_PENALTY_BPS} × (1 − fill rate); ` +
  'per state the recorded mean is shrunk towards the documented prior with weight n / (n + σ²/τ²), τ = 5 bps (prior), σ² the recorded variance blended with 10² (2 pseudo-samples)';
