import { toFixedNumber } from '../util/to-fixed-number.js';

/** A quantity or price for a note: at most `decimals` decimals, no float noise, no trailing zeros. */
export function formatAlgoNumber(value: number, decimals = 8): string {
  return Number.isFinite(value) ? String(toFixedNumber(value, decimals)) : String(value);
}

/** `00`…`99` and `000`…`999`: a time of day is four look-ups (a slice's note and its children's reasons each write one). */
const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1_000 }, (_, value) => String(value).padStart(3, '0'));

/** `HH:MM:SS.mmm` UTC of an epoch-ms time, for notes (no `Date`: time only comes from the clock). */
export function formatUtcTime(epochMs: number): string {
  const dayMs = ((Math.round(epochMs) % 86_400_000) + 86_400_000) % 86_400_000;
  if (dayMs >= 0) {
    return `${TWO_DIGITS[Math.floor(dayMs / 3_600_000)]}:${TWO_DIGITS[Math.floor(dayMs / 60_000) % 60]}:${TWO_DIGITS[Math.floor(dayMs / 1_000) % 60]}.${THREE_DIGITS[dayMs % 1_000]}`;
  }
  // Not a finite time (NaN): written as before, field by field.
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(Math.floor(dayMs / 3_600_000))}:${pad(Math.floor(dayMs / 60_000) % 60)}:${pad(Math.floor(dayMs / 1_000) % 60)}.${pad(dayMs % 1_000, 3)}`;
}
