#!/usr/bin/env node
// Builds src/volume-profile.json, the VWAP strategy's bundled intraday volume profile,
// from real Binance BTC/USDT spot 1-minute candles (data.binance.vision daily klines, as
// converted in the shared Tranche data set; format in its SOURCES.md, section 2).
//
//   node scripts/build-volume-profile.mjs [candles.csv.gz ...]
//
// Default inputs: ../../../shared/data/ohlcv/binance-spot_BTCUSDT_1m_2024-11.csv.gz and
// ..._2022-11.csv.gz (60 days). Method, per UTC day: each minute's share of the day's
// base volume (so busy days do not dominate); per minute of the day: the 10%-trimmed
// mean of those shares over the days (robust to news spikes); then a centred 5-minute
// moving average. The day-of-week rows use the days of that weekday only (8–9 per
// weekday here), smoothed over 15 minutes and shrunk halfway towards the all-days
// profile, since so few days are noisy. Weights are scaled to a mean of 1.
import { createReadStream, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const sharedOhlcv = resolve(here, '../../../../shared/data/ohlcv');
const inputs = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : [join(sharedOhlcv, 'binance-spot_BTCUSDT_1m_2024-11.csv.gz'), join(sharedOhlcv, 'binance-spot_BTCUSDT_1m_2022-11.csv.gz')];
const output = join(here, '..', 'src', 'volume-profile.json');
const MINUTES = 1440;
const DAY_MS = 86_400_000;

/** day index (epoch days) -> Float64Array(1440) of base volume */
const days = new Map();
for (const file of inputs) {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header;
  for await (const line of lines) {
    if (!header) {
      header = line.split(',');
      if (header[0] !== 'open_time_ms' || header[5] !== 'volume') throw new Error(`${file}: unexpected header ${line}`);
      continue;
    }
    const cells = line.split(',');
    const openTime = Number(cells[0]);
    const volume = Number(cells[5]);
    if (!Number.isFinite(openTime) || !Number.isFinite(volume)) throw new Error(`${file}: bad row ${line}`);
    const day = Math.floor(openTime / DAY_MS);
    const minute = Math.floor((openTime % DAY_MS) / 60_000);
    if (!days.has(day)) days.set(day, new Float64Array(MINUTES));
    days.get(day)[minute] += volume;
  }
}

const complete = [...days.entries()].filter(([, minutes]) => minutes.reduce((sum, value) => sum + value, 0) > 0);
const shares = complete.map(([day, minutes]) => {
  const total = minutes.reduce((sum, value) => sum + value, 0);
  return { day, weekday: (day + 4) % 7, shares: Array.from(minutes, (value) => value / total) };
});

function trimmedMean(values, trim = 0.1) {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * trim);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, value) => sum + value, 0) / kept.length;
}
function profileOf(rows) {
  return Array.from({ length: MINUTES }, (_, minute) => trimmedMean(rows.map((row) => row.shares[minute])));
}
function smooth(values, width) {
  const half = Math.floor(width / 2);
  return values.map((_, index) => {
    let sum = 0;
    for (let offset = -half; offset <= half; offset++) sum += values[(index + offset + MINUTES) % MINUTES];
    return sum / (2 * half + 1);
  });
}
function toMeanOne(values) {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.map((value) => Number((value / mean).toFixed(4)));
}

const allDays = smooth(profileOf(shares), 5);
const byWeekday = Array.from({ length: 7 }, (_, weekday) => {
  const rows = shares.filter((row) => row.weekday === weekday);
  const own = smooth(profileOf(rows), 15);
  const ownMean = own.reduce((sum, value) => sum + value, 0) / MINUTES;
  const allMean = allDays.reduce((sum, value) => sum + value, 0) / MINUTES;
  return toMeanOne(own.map((value, minute) => 0.5 * (value / ownMean) + 0.5 * (allDays[minute] / allMean)));
});
const first = Math.min(...complete.map(([day]) => day));
const last = Math.max(...complete.map(([day]) => day));
const iso = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const profile = {
  description: `Binance BTC/USDT spot 1m volume, ${complete.length} UTC days (${[...new Set(inputs.map((file) => file.split('/').pop()))].join(', ')}; ${iso(first)}..${iso(last)}), per-day shares, 10%-trimmed mean per minute, 5-minute smoothing; weekday rows 15-minute smoothed and shrunk halfway to all days`,
  minuteOfDay: toMeanOne(allDays),
  dayOfWeek: byWeekday,
};
writeFileSync(output, `${JSON.stringify(profile)}\n`);
const peak = profile.minuteOfDay.indexOf(Math.max(...profile.minuteOfDay));
const trough = profile.minuteOfDay.indexOf(Math.min(...profile.minuteOfDay));
const hhmm = (minute) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
console.log(`wrote ${output}: ${complete.length} days; peak ${hhmm(peak)} ×${profile.minuteOfDay[peak]}, trough ${hhmm(trough)} ×${profile.minuteOfDay[trough]}`);
