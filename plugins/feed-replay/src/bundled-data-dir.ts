import { fileURLToPath } from 'node:url';

/**
 * Directory of the bundled Binance captures (`data/` of this package), resolved from
 * this module's location so it works from `src/` (tests) and `dist/` (installed).
 */
export function bundledDataDir(): string {
  return fileURLToPath(new URL('../data/', import.meta.url)).replace(/[\\/]$/, '');
}
