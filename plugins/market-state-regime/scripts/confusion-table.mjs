#!/usr/bin/env node
// Prints the validation tables of the README: the RegimeClassifier (default config)
// run over the labelled real days of test/data through the monitor's pipeline
// (candles → feature window → classifier → hysteresis, each file from scratch), as
// confusion tables by share of time and by per-file majority, plus the hour-by-hour
// check of normal days and, when the shared data is present, the distribution of
// verdicts over the unlabelled days of ../shared/data/ohlcv/days.
// Usage (from the package folder, after `npx tsc -b tsconfig.lib.json`):
//   node scripts/confusion-table.mjs [--days <dir>] [--window <minutes>] [--files]
import 'reflect-metadata';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { RegimeClassifier, RegimeConfigSchema, classifyCandleSeries } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const dataDir = new URL('../test/data/', import.meta.url).pathname;
const daysDir = option('--days', new URL('../../../../shared/data/ohlcv/days/', import.meta.url).pathname);
const windowMs = Number(option('--window', '1440')) * 60_000;
const STATES = ['normal', 'volatile', 'trending', 'illiquid', 'ranging'];

function readCandles(path) {
  const raw = readFileSync(path);
  const lines = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split(/\r?\n/);
  const header = lines[0].split(',');
  const at = (name) => header.indexOf(name);
  const [o, h, l, c, v, t0, t1, q, n, tb] = ['open', 'high', 'low', 'close', 'volume', 'open_time_ms', 'close_time_ms', 'quote_volume', 'trades', 'taker_buy_base_volume'].map(at);
  return lines
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const x = line.split(',');
      const end = Number(x[t1]) + 1;
      return {
        type: 'candle', symbol: 'BTC/USDT', ts: end, openTime: Number(x[t0]), intervalMs: end - Number(x[t0]),
        open: +x[o], high: +x[h], low: +x[l], close: +x[c], volume: +x[v], quoteVolume: +x[q], trades: +x[n], takerBuyVolume: +x[tb],
      };
    });
}

const classifier = new RegimeClassifier(RegimeConfigSchema.parse({}));
const run = (candles) => classifyCandleSeries(candles, { classifier, windowMs });
const pct = (value) => `${(100 * value).toFixed(0)}%`;
const shares = (summary) => STATES.filter((s) => summary[s]).map((s) => `${s} ${pct(summary[s])}`).join(', ');

const labels = JSON.parse(readFileSync(join(dataDir, 'labels.json'), 'utf8'));
const time = new Map(); // label -> state -> bars
const votes = new Map(); // label -> state -> files
let agreeFiles = 0;
let agreeBars = 0;
let totalBars = 0;
const hand = { files: 0, agreeFiles: 0, bars: 0, agreeBars: 0 };
const perFile = [];
for (const file of labels) {
  const result = run(readCandles(join(dataDir, file.file)));
  const bars = result.states.length;
  const row = time.get(file.label) ?? new Map();
  for (const [state, share] of Object.entries(result.summary)) row.set(state, (row.get(state) ?? 0) + share * bars);
  time.set(file.label, row);
  const vote = votes.get(file.label) ?? new Map();
  vote.set(result.verdict, (vote.get(result.verdict) ?? 0) + 1);
  votes.set(file.label, vote);
  if (result.verdict === file.label) agreeFiles++;
  agreeBars += (result.summary[file.label] ?? 0) * bars;
  totalBars += bars;
  if (file.source.startsWith('regimes/')) {
    hand.files++;
    hand.bars += bars;
    hand.agreeBars += (result.summary[file.label] ?? 0) * bars;
    if (result.verdict === file.label) hand.agreeFiles++;
  }
  perFile.push(`| ${file.file.replace('binance-spot_BTCUSDT_1m_', '').replace('.csv.gz', '')} | ${file.label} | ${result.verdict === file.label ? '' : '**'}${result.verdict}${result.verdict === file.label ? '' : '**'} | ${shares(result.summary)} |`);
}
const order = STATES.filter((s) => time.has(s));
console.log(`Window ${windowMs / 60_000} min, default thresholds, ${labels.length} files, ${totalBars} one-minute bars.\n`);
console.log('By share of time (row: true label; cells: share of that label\'s minutes in each predicted state)\n');
console.log(`| true \\ predicted | ${STATES.join(' | ')} | minutes |`);
console.log(`|---|${STATES.map(() => '---:').join('|')}|---:|`);
for (const label of order) {
  const row = time.get(label);
  const total = [...row.values()].reduce((a, b) => a + b, 0);
  console.log(`| ${label} | ${STATES.map((s) => (row.get(s) ? pct(row.get(s) / total) : '·')).join(' | ')} | ${Math.round(total)} |`);
}
console.log(`\nAgreement by time: ${pct(agreeBars / totalBars)} of labelled minutes.\n`);
console.log('By per-file majority (row: true label; cells: files whose largest share is that state)\n');
console.log(`| true \\ predicted | ${STATES.join(' | ')} | files |`);
console.log(`|---|${STATES.map(() => '---:').join('|')}|---:|`);
for (const label of order) {
  const row = votes.get(label);
  const total = [...row.values()].reduce((a, b) => a + b, 0);
  console.log(`| ${label} | ${STATES.map((s) => row.get(s) ?? '·').join(' | ')} | ${total} |`);
}
console.log(`\nAgreement by file: ${agreeFiles}/${labels.length} = ${pct(agreeFiles / labels.length)}.`);
console.log(`Hand-labelled files only (regimes/): ${hand.agreeFiles}/${hand.files} files = ${pct(hand.agreeFiles / hand.files)}, ${pct(hand.agreeBars / hand.bars)} of their minutes.\n`);
if (args.includes('--files')) {
  console.log('| file | label | verdict | shares of time |\n|---|---|---|---|');
  console.log(perFile.join('\n'));
  console.log();
}

// Normal days cut from the monthly files, judged hour by hour, each hour from scratch.
const hourly = new Map();
let hours = 0;
for (const file of labels.filter((entry) => entry.hourly)) {
  const candles = readCandles(join(dataDir, file.file));
  for (let start = 0; start < candles.length; start += 60) {
    const verdict = run(candles.slice(start, start + 60)).verdict;
    hourly.set(verdict, (hourly.get(verdict) ?? 0) + 1);
    hours++;
  }
}
console.log(`Single hours of normal days (each hour a file of its own): ${[...hourly.entries()].map(([s, n]) => `${s} ${n}`).join(', ')} of ${hours}.\n`);

// Whole months (shared data only): how much of a month is normal, with the run's own baseline blended in as it grows.
for (const month of ['2022-11', '2024-11']) {
  const path = join(daysDir, '..', `binance-spot_BTCUSDT_1m_${month}.csv.gz`);
  if (!existsSync(path)) continue;
  const candles = readCandles(path);
  const started = performance.now();
  const result = run(candles);
  const ms = performance.now() - started;
  console.log(`Month ${month} as one file (${candles.length} bars, ${ms.toFixed(0)} ms): ${shares(result.summary)}`);
  const perHour = new Map();
  for (let start = 0; start < candles.length; start += 60) {
    const verdict = run(candles.slice(start, start + 60)).verdict;
    perHour.set(verdict, (perHour.get(verdict) ?? 0) + 1);
  }
  console.log(`Month ${month}, each hour a file of its own: ${STATES.filter((s) => perHour.get(s)).map((s) => `${s} ${perHour.get(s)}`).join(', ')} of ${Math.ceil(candles.length / 60)}`);
}
console.log();

if (existsSync(daysDir)) {
  const daily = new Map();
  const statsFile = join(daysDir, '..', 'binance-spot_BTCUSDT_1m_daily-stats_2017-2025.csv');
  const stats = existsSync(statsFile)
    ? new Map(readFileSync(statsFile, 'utf8').trim().split(/\r?\n/).slice(1).map((line) => { const c = line.split(','); return [c[0], { ret: c[4], range: c[5], rv: c[6], er: c[7], zero: c[10] }]; }))
    : new Map();
  const rows = [];
  for (const name of readdirSync(daysDir).filter((f) => f.endsWith('.csv.gz')).sort()) {
    const result = run(readCandles(join(daysDir, name)));
    daily.set(result.verdict, (daily.get(result.verdict) ?? 0) + 1);
    const day = name.match(/(\d{4}-\d{2}-\d{2})/)[1];
    const s = stats.get(day);
    rows.push(`| ${day} | ${result.verdict} | ${shares(result.summary)} | ${s ? `${s.ret}% / ${s.range}% / ${s.rv} / ${s.er} / ${s.zero}` : ''} |`);
  }
  console.log(`Unlabelled days (${rows.length}): ${STATES.filter((s) => daily.get(s)).map((s) => `${s} ${daily.get(s)}`).join(', ')}\n`);
  console.log('| day | verdict | shares of time | return / range / rv / eff. ratio / zero-volume bars |\n|---|---|---|---|');
  console.log(rows.join('\n'));
}

// Sensitivity: each threshold moved alone by ±25 %; agreement should not hinge on one value.
if (args.includes('--sensitivity')) {
  const labelled = labels.map((file) => ({ file, candles: readCandles(join(dataDir, file.file)) }));
  const variants = [['defaults', {}]];
  for (const [key, value] of [['volatileRatio', 2], ['rangingRatio', 0.5], ['trendMoveSigmas', 2], ['trendDriftTStat', 1], ['illiquidZeroVolumeShare', 0.2]]) {
    variants.push([`${key} ${+(value * 0.75).toFixed(3)}`, { [key]: value * 0.75 }], [`${key} ${+(value * 1.25).toFixed(3)}`, { [key]: value * 1.25 }]);
  }
  variants.push(['priorMinutes 30', 'prior30'], ['priorMinutes 120', 'prior120']);
  console.log('\n| variant | files agreeing (of 21) | minutes agreeing |\n|---|---:|---:|');
  for (const [name, thresholds] of variants) {
    const config = typeof thresholds === 'string' ? { priorMinutes: Number(thresholds.slice(5)) } : { thresholds };
    const variant = new RegimeClassifier(RegimeConfigSchema.parse(config));
    let files = 0;
    let good = 0;
    let all = 0;
    for (const { file, candles } of labelled) {
      const result = classifyCandleSeries(candles, { classifier: variant, windowMs });
      if (result.verdict === file.label) files++;
      good += (result.summary[file.label] ?? 0) * result.states.length;
      all += result.states.length;
    }
    console.log(`| ${name} | ${files} | ${pct(good / all)} |`);
  }
}
