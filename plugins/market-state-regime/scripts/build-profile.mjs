#!/usr/bin/env node
// Generates profiles/binance-spot-btc-usdt.json, the bundled BTC/USDT baseline, from the
// long-run Binance spot history: the daily statistics file (one row per day, 2017-08-17 →
// 2025-11-30) for the monthly trailing medians, and the hourly file for the hour-of-day
// multipliers. Usage (from the package folder, after `npx tsc -b tsconfig.lib.json`):
//   node scripts/build-profile.mjs [dataDir] [out.json]
// dataDir defaults to ../../../shared/data/ohlcv (the files are not shipped in the package).
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildProfile } from '../dist/index.js';

const dir = process.argv[2] ?? new URL('../../../../shared/data/ohlcv', import.meta.url).pathname;
const out = process.argv[3] ?? new URL('../profiles/binance-spot-btc-usdt.json', import.meta.url).pathname;
const DAILY = 'binance-spot_BTCUSDT_1m_daily-stats_2017-2025.csv';
const HOURLY = 'binance-spot_BTCUSDT_1h_2017-08-17_2025-11-30_from1m.csv.gz';

function rows(text) {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((value, index) => [header[index], value])));
}

// day,bars,open,close,ret_pct,range_pct,rv_pct,eff_ratio,quote_vol_musd,trades,zero_vol_bars
const days = rows(readFileSync(join(dir, DAILY), 'utf8')).map((row) => {
  const bars = Number(row.bars);
  const close = Number(row.close);
  const quotePerMinute = (Number(row.quote_vol_musd) * 1e6) / bars;
  return {
    day: row.day,
    minutes: bars,
    realizedVolatilityPct: Number(row.rv_pct),
    quoteVolumePerMinute: quotePerMinute,
    // The file has no base volume: quote volume at the day's close is a close stand-in.
    volumePerMinute: quotePerMinute / close,
    tradesPerMinute: Number(row.trades) / bars,
    zeroVolumeShare: Number(row.zero_vol_bars) / bars,
  };
});

// open_time_ms,open,high,low,close,volume,quote_volume,trades,...,minutes_present
const hourly = rows(gunzipSync(readFileSync(join(dir, HOURLY))).toString('utf8'))
  .filter((row) => Number(row.minutes_present) >= 45)
  .map((row) => ({ openTime: Number(row.open_time_ms), high: Number(row.high), low: Number(row.low), volume: Number(row.quote_volume) }));

const profile = buildProfile(days, hourly, {
  symbol: 'BTC/USDT',
  source:
    'Binance spot BTCUSDT 1m klines 2017-08-17..2025-11-30 (data.binance.vision via Jan-Kluger/backtest_and_deploy@f26eda3c): ' +
    'monthly medians of the 90 days before each month (daily-stats file), hour-of-day multipliers per calendar year (hourly file); scripts/build-profile.mjs',
  trailingDays: 90,
});
writeFileSync(out, `${JSON.stringify(profile, null, 1)}\n`);
console.log(`${out}: ${profile.periods.length} periods (${profile.periods[0].from} .. ${profile.periods.at(-1).from}), ${profile.hourOfDay.length} years of seasonality`);
