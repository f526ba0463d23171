import { join } from 'node:path';
import { z } from 'zod';
import { bundledDataDir } from './bundled-data-dir.js';
import { CandleModelSchema } from './candle-model.schema.js';

/** The `feed-replay` config section. Strict: unknown keys are errors. */
export const FeedReplayConfigSchema = z
  .object({
    /** Directory of flat CSV captures (default: the bundled Binance data). */
    data: z.string().min(1).default(() => bundledDataDir()).describe('Directory of flat CSV captures (default: the bundled Binance data).'),
    /** Capture names to replay (default: one per symbol, spot before futures, then the newest). */
    datasets: z.array(z.string().min(1)).min(1).optional().describe('Capture names to replay (default: one per symbol, spot before futures, then the newest).'),
    /** Only these symbols (default: every symbol of the chosen captures). */
    symbols: z.array(z.string().min(1)).min(1).optional().describe('Only these symbols (default: every symbol of the chosen captures).'),
    /** `max` (as fast as the CPU allows) or a factor of real time (1 = as recorded). */
    speed: z.union([z.literal('max'), z.number().finite().positive()]).default('max').describe('`max` (as fast as the CPU allows) or a factor of real time (1 = as recorded).'),
    /** Where decoded captures are cached column-wise; `false` disables the cache. */
    cacheDir: z.union([z.string().min(1), z.literal(false)]).default(() => join(process.cwd(), '.tranche', 'cache')).describe('Where decoded captures are cached column-wise; `false` disables the cache.'),
    /**
     * Candle CSVs to replay instead of tick captures: a file, a list of files, or
     * directories of `*.csv` / `*.csv.gz` files (Binance klines or timestamp files; the
     * symbol comes from each file's name). When set, `data` and `datasets` are not used.
     */
    candles: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Candle CSVs to replay instead of tick captures: a file, a list of files, or directories of `*.csv` / `*.csv.gz` files (Binance klines or timestamp files; the symbol comes from each file\'s name). When set, `data` and `datasets` are not used.'),
    /** How candles become book and trade events (spread, depth, trades per bar, intra-bar path). */
    candleModel: CandleModelSchema.prefault({}).describe('How candles become book and trade events (spread, depth, trades per bar, intra-bar path).'),
  })
  .strict()
  .refine((config) => config.candles === undefined || config.datasets === undefined, {
    error: 'give either candles or datasets, not both',
    path: ['datasets'],
  });
/** The parsed `feed-replay` config section. */
export type FeedReplayConfig = z.infer<typeof FeedReplayConfigSchema>;
/** Token under which the parsed `feed-replay` config section is bound. */
export const FeedReplayConfig = Symbol.for('tranche.feed-replay.config');
