import type { CandlePath } from './candle-model.schema.js';

/** The prices of a bar a path visits, in order: open, the two extremes, close. */
export interface BarPrices {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * The four vertices of a bar's intra-bar path. `by-direction` visits the low first
 * when the bar closed at or above its open (open → low → high → close) and the high
 * first otherwise (open → high → low → close), so the path makes the longest plausible
 * walk and never ends on the extreme it started towards. The extremes are widened to
 * contain open and close, so a slightly inconsistent bar still gives a sane path.
 */
export function candleVertices(bar: BarPrices, path: CandlePath): [number, number, number, number] {
  const high = Math.max(bar.high, bar.open, bar.close);
  const low = Math.min(bar.low, bar.open, bar.close);
  const lowFirst = path === 'low-first' || (path === 'by-direction' && bar.close >= bar.open);
  return lowFirst ? [bar.open, low, high, bar.close] : [bar.open, high, low, bar.close];
}

/**
 * `count` prices along a polyline through `vertices`: every vertex, plus the other
 * points spread over the segments in proportion to their length (largest remainder;
 * evenly when the path is flat), evenly spaced inside each segment. `count` must be
 * at least the number of vertices.
 */
export function pathPrices(vertices: readonly number[], count: number): number[] {
  const segments = vertices.length - 1;
  const interior = Math.max(0, count - vertices.length);
  const lengths: number[] = [];
  for (let index = 0; index < segments; index++) lengths.push(Math.abs(vertices[index + 1]! - vertices[index]!));
  const shares = allocate(interior, lengths);
  const prices = [vertices[0]!];
  for (let segment = 0; segment < segments; segment++) {
    const from = vertices[segment]!;
    const to = vertices[segment + 1]!;
    const inside = shares[segment]!;
    for (let point = 1; point <= inside; point++) prices.push(from + ((to - from) * point) / (inside + 1));
    prices.push(to);
  }
  return prices;
}

/** Splits `total` whole points over weights by largest remainder (ties to the first); evenly when every weight is 0. */
function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((left, right) => left + right, 0);
  if (!(sum > 0)) return weights.map((_, index) => Math.floor(total / weights.length) + (index < total % weights.length ? 1 : 0));
  const exact = weights.map((weight) => (total * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    shares[index]!++;
    left--;
  }
  return shares;
}
