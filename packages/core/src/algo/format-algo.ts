import { toFixedNumber } from '../util/to-fixed-number.js';

/** A quantity or price for a note: at most `decimals` decimals, no float noise, no trailing zeros. */
export function formatAlgoNumber(value: number, decimals = 8): string {
  return Number.isFinite(value) ? String(toFixedNumber(value, decimals)) : String(value);
}

/** `HH:MM:SS.mmm` UTC of an epoch-ms time, for notes (no `Date`: time only comes from the clock). */
export function formatUtcTime(epochMs: number): string {
  const dayMs = ((Math.round(epochMs) % 86_400_000) + 86_400_000) % 86_400_000;
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(Math.floor(dayMs / 3_600_000))}:${pad(Math.floor(dayMs / 60_000) % 60)}:${pad(Math.floor(dayMs / 1_000) % 60)}.${pad(dayMs % 1_000, 3)}`;
}
