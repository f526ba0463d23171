import { afterAll, describe, expect, it } from 'vitest';
import { DEPTH_HEADER, temporaryDir, writeCsv } from '../test/helpers.js';
import { bundledDataDir } from './bundled-data-dir.js';
import { findCaptures } from './capture-catalog.js';
import { selectCaptures } from './select-captures.js';

describe('findCaptures / selectCaptures', () => {
  const temporary = temporaryDir();
  afterAll(() => temporary.cleanup());
  for (const name of [
    'binance-usdm_BTCUSDT_20240808',
    'binance-spot_BTCUSDT_20240718-19',
    'binance-spot_BTCUSDT_20240808-09',
    'binance-usdm_ETHUSDT_20240718-19',
    'binance-usdm_ETHUSDT_20240808',
  ]) {
    writeCsv(temporary.dir, name, 'depth', DEPTH_HEADER, []);
  }
  // Trades without depth are not a capture.
  writeCsv(temporary.dir, 'binance-spot_SOLUSDT_20240808', 'trades', 'local_ts_ns', []);

  it('lists the bundled captures with their files', () => {
    const captures = findCaptures(bundledDataDir());
    expect(captures.map((capture) => [capture.name, capture.symbol, Boolean(capture.trades), Boolean(capture.bookTicker)])).toEqual([
      ['binance-spot_BTCUSDT_20240808-09', 'BTC/USDT', true, true],
      ['binance-usdm_ETHUSDT_20240808', 'ETH/USDT', true, false],
    ]);
  });

  it('picks one capture per symbol: spot before usdm, then the newest', () => {
    const chosen = selectCaptures(findCaptures(temporary.dir));
    expect(chosen.map((capture) => capture.name)).toEqual(['binance-spot_BTCUSDT_20240808-09', 'binance-usdm_ETHUSDT_20240808']);
  });

  it('filters by symbol, in unified or exchange spelling', () => {
    expect(selectCaptures(findCaptures(temporary.dir), { symbols: ['ETH/USDT'] }).map((c) => c.name)).toEqual(['binance-usdm_ETHUSDT_20240808']);
    expect(selectCaptures(findCaptures(temporary.dir), { symbols: ['BTCUSDT'] }).map((c) => c.name)).toEqual(['binance-spot_BTCUSDT_20240808-09']);
  });

  it('takes named datasets in the given order', () => {
    const chosen = selectCaptures(findCaptures(temporary.dir), { datasets: ['binance-usdm_ETHUSDT_20240718-19', 'binance-usdm_BTCUSDT_20240808'] });
    expect(chosen.map((capture) => capture.symbol)).toEqual(['ETH/USDT', 'BTC/USDT']);
  });

  it('rejects unknown datasets, unknown symbols, two captures of one symbol and a missing directory', () => {
    const captures = findCaptures(temporary.dir);
    expect(() => selectCaptures(captures, { datasets: ['nope'] })).toThrow(/dataset "nope" not found/);
    expect(() => selectCaptures(captures, { symbols: ['SOL/USDT'] })).toThrow(/symbol "SOL\/USDT" has no recorded data/);
    expect(() => selectCaptures(captures, { datasets: ['binance-usdm_BTCUSDT_20240808', 'binance-spot_BTCUSDT_20240808-09'] })).toThrow(/both provide BTC\/USDT/);
    expect(() => findCaptures(`${temporary.dir}/missing`)).toThrow(/does not exist/);
  });
});
