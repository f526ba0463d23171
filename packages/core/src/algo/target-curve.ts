import type { AlgoWindow } from './algo-window.js';

/**
 * A schedule as a curve: the fraction (0–1, non-decreasing in time) of the parent
 * quantity wanted filled by a time. Curves that learn from the market (observed
 * volume) answer for times from now on with their projection made now.
 */
export interface TargetCurve {
  /** Fraction of the parent quantity wanted filled by `time` (0 before the window, 1 at its end). */
  fractionAt(time: number): number;
  /** One line for notes: what the curve follows. */
  readonly description: string;
}

/** The TWAP curve: a straight line from 0 at the window's start to 1 at its end. */
export function linearTargetCurve(window: AlgoWindow): TargetCurve {
  return {
    description: 'equal quantity per unit of time',
    fractionAt: (time) => clampFraction((time - window.startTime) / window.durationMs),
  };
}

/** Clamps to [0, 1]; NaN becomes 0. */
export function clampFraction(value: number): number {
  return value > 0 ? (value < 1 ? value : 1) : 0;
}
