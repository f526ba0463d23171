import { TrancheError } from '@tranche/core';
import type { CaptureFiles } from './capture-catalog.js';
import { toUnifiedSymbol } from './symbol-mapping.js';

/** Which captures to replay. */
export interface CaptureSelection {
  /** Capture names; default: one per symbol (spot before futures, then the newest). */
  readonly datasets?: readonly string[];
  /** Only these symbols (unified or exchange spelling). */
  readonly symbols?: readonly string[];
}

/**
 * Picks the captures to replay: the named ones, or one per symbol (spot preferred over
 * USDⓈ-M futures, then the newest period), filtered by `symbols`. Throws a validation
 * error for an unknown name or symbol, or two captures of one symbol.
 */
export function selectCaptures(captures: readonly CaptureFiles[], selection: CaptureSelection = {}): CaptureFiles[] {
  let chosen: CaptureFiles[];
  if (selection.datasets !== undefined) {
    chosen = selection.datasets.map((name) => {
      const capture = captures.find((candidate) => candidate.name === name);
      if (!capture) {
        throw new TrancheError('validation', `invalid config: dataset "${name}" not found (available: ${captures.map((c) => c.name).join(', ') || 'none'})`, {
          field: 'datasets',
          retryable: false,
        });
      }
      return capture;
    });
  } else {
    const best = new Map<string, CaptureFiles>();
    for (const capture of captures) {
      const current = best.get(capture.symbol);
      if (!current || preferable(capture, current)) best.set(capture.symbol, capture);
    }
    chosen = [...best.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }
  if (selection.symbols !== undefined) {
    const wanted = selection.symbols.map((symbol) => toUnifiedSymbol(symbol));
    for (const symbol of wanted) {
      if (!chosen.some((capture) => capture.symbol === symbol)) {
        throw new TrancheError(
          'validation',
          `invalid config: symbol "${symbol}" has no recorded data (available: ${[...new Set(chosen.map((c) => c.symbol))].join(', ') || 'none'})`,
          { field: 'symbols', retryable: false },
        );
      }
    }
    chosen = chosen.filter((capture) => wanted.includes(capture.symbol));
  }
  const seen = new Map<string, string>();
  for (const capture of chosen) {
    const other = seen.get(capture.symbol);
    if (other !== undefined) {
      throw new TrancheError('validation', `invalid config: datasets "${other}" and "${capture.name}" both provide ${capture.symbol}; pick one`, {
        field: 'datasets',
        retryable: false,
      });
    }
    seen.set(capture.symbol, capture.name);
  }
  return chosen;
}

/** Spot before USDⓈ-M before anything else; then the newest period; then the name. */
function preferable(candidate: CaptureFiles, current: CaptureFiles): boolean {
  const rank = marketRank(candidate.venue) - marketRank(current.venue);
  if (rank !== 0) return rank < 0;
  if (candidate.period !== current.period) return candidate.period > current.period;
  return candidate.name < current.name;
}

function marketRank(venue: string): number {
  if (venue.includes('spot')) return 0;
  if (venue.includes('usdm')) return 1;
  return 2;
}
