/**
 * Share of time spent in each state, from a time-ordered series of states: each entry
 * holds from its `ts` until the next entry's `ts`; the last holds until `endMs` (by
 * default for as long as the step before it, so a series of one evaluation per bar
 * weighs every bar alike). Shares sum to 1; an empty series gives `{}`.
 */
export function shareOfTime(series: readonly { ts: number; state: string }[], endMs?: number): Record<string, number> {
  if (series.length === 0) return {};
  const durations = new Map<string, number>();
  const lastStep = series.length > 1 ? series[series.length - 1]!.ts - series[series.length - 2]!.ts : 1;
  const end = endMs ?? series[series.length - 1]!.ts + Math.max(1, lastStep);
  let total = 0;
  for (let index = 0; index < series.length; index++) {
    const entry = series[index]!;
    const until = index + 1 < series.length ? series[index + 1]!.ts : end;
    const duration = Math.max(0, until - entry.ts);
    durations.set(entry.state, (durations.get(entry.state) ?? 0) + duration);
    total += duration;
  }
  if (total === 0) return { [series[series.length - 1]!.state]: 1 };
  const shares: Record<string, number> = {};
  for (const [state, duration] of durations) if (duration > 0) shares[state] = duration / total;
  return shares;
}
