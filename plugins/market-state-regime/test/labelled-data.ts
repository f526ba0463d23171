import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandleEvent } from '@tranche/core';
import { readCandles } from './read-candles.js';

/** One labelled file of `test/data` (see `labels.json` and `SOURCES.md`). */
export interface LabelledFile {
  file: string;
  /** Seed state the file should be classified as. */
  label: string;
  /** The finer label of the source (`trend_up`, `volatile_crash`, …). */
  fineLabel: string;
  source: string;
  /** Normal days cut from a monthly file: also judged hour by hour. */
  hourly?: boolean;
}

/** Folder of the labelled test data. */
export const DATA_DIR = join(import.meta.dirname, 'data');

/** The labelled files. */
export function labelledFiles(): LabelledFile[] {
  return JSON.parse(readFileSync(join(DATA_DIR, 'labels.json'), 'utf8')) as LabelledFile[];
}

/** The candles of a labelled file. */
export function candlesOf(file: LabelledFile): CandleEvent[] {
  return readCandles(join(DATA_DIR, file.file));
}
