import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DEFAULT_PLUGINS } from '../src/index.js';
import { GOOD_ORDER, capturesWith, expectRefused, scratch } from './bad-input-fixtures.js';

/**
 * Bad input refused whole, end to end through `tranche`: every case gives exit code 2
 * and ONE `error:` line naming the field and the value, prints nothing on stdout, and
 * leaves nothing behind: no history/journal database (the config points it into a
 * scratch directory, which must hold nothing but the config afterwards) and, for the
 * cases that need the market (symbol, minimum quantity, a strategy's own checks), no
 * execution row in it. That no order reaches a venue
 * is proven at the engine level in bad-input-engine.spec.ts (in-memory venue).
 */

const order = (change: Record<string, unknown>): string => JSON.stringify({ ...GOOD_ORDER, ...change });
const twap = (params: Record<string, unknown>): string => order({ type: 'twap', params: { durationMs: 60_000, ...params } });

/** Refused before start-up: the order's shape is wrong. Nothing may be created. */
const SHAPE_CASES: Array<[string, string, RegExp]> = [
  ['malformed JSON', '{"symbol": "BTC/USDT",', /invalid order: malformed JSON in --order/],
  ['an order file that does not exist', '@/nonexistent/tranche-order.json', /invalid order: cannot read "\/nonexistent\/tranche-order\.json" \(ENOENT\)/],
  ['JSON with a trailing comma', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":0.01,}', /invalid order: malformed JSON in --order/],
  ['a duplicated key does not smuggle a second quantity', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":0.01,"quantity":-5}', /quantity must be greater than 0, got -5/],
  ['not an object', '[1,2]', /invalid order: value must be an object, got \[1,2\]/],
  ['null', 'null', /invalid order: value must be an object, got null/],
  ['negative quantity', order({ quantity: -1 }), /quantity must be greater than 0, got -1/],
  ['zero quantity', order({ quantity: 0 }), /quantity must be greater than 0, got 0/],
  ['quantity 1e400 (Infinity)', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":1e400}', /quantity must be a number, got Infinity/],
  ['quantity "NaN"', order({ quantity: 'NaN' }), /quantity must be a number, got "NaN"/],
  ['quantity "Infinity"', order({ quantity: 'Infinity' }), /quantity must be a number, got "Infinity"/],
  ['quantity as a numeric string', order({ quantity: '1' }), /quantity must be a number, got "1"/],
  ['quantity as a boolean', order({ quantity: true }), /quantity must be a number, got true/],
  ['price -1', order({ type: 'limit', price: -1 }), /price must be greater than 0, got -1/],
  ['price 1e400', '{"symbol":"BTC/USDT","side":"buy","type":"limit","quantity":0.01,"price":1e400}', /price must be a number, got Infinity/],
  ['price as text', order({ type: 'limit', price: 'abc' }), /price must be a number, got "abc"/],
  ['unknown side', order({ side: 'long' }), /side must be "buy" or "sell", got "long"/],
  ['unknown field', order({ qty: 1 }), /unknown key "qty"/],
  ['__proto__ field', '{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":0.01,"__proto__":{"admin":true}}', /unknown key "__proto__"/],
  ['Cyrillic look-alike symbol', order({ symbol: 'BТC/USDT' }), /symbol must look like BASE\/QUOTE .*got "BТC\/USDT"/],
  ['full-width slash symbol', order({ symbol: 'BTC／USDT' }), /symbol must look like BASE\/QUOTE .*got "BTC／USDT"/],
  ['emoji symbol', order({ symbol: '🚀/USDT' }), /symbol must look like BASE\/QUOTE .*got "🚀\/USDT"/],
  ['lower-case symbol', order({ symbol: 'btc/usdt' }), /symbol must look like BASE\/QUOTE .*got "btc\/usdt"/],
  ['symbol as a number', order({ symbol: 42 }), /symbol must be a string, got 42/],
  ['over-long id', order({ id: 'x'.repeat(5_000) }), /id must be 1-24 characters .*got "x{20,}\.\.\."/],
  ['id with a newline', order({ id: 'a\nb' }), /id must be 1-24 characters .*got "a\\nb"/],
  ['params as a list', order({ params: [] }), /params must be a record, got \[\]/],
];

/** Refused once the installed strategies and the market are known. */
const MARKET_CASES: Array<[string, string, RegExp]> = [
  ['unknown strategy', order({ type: 'teleport' }), /type "teleport" is not an installed strategy/],
  ['symbol without data', order({ symbol: 'DOGE/USDT' }), /symbol "DOGE\/USDT" has no market data/],
  ['quantity below the market minimum (1e-300)', order({ quantity: 1e-300 }), /quantity must be at least 0\.00001 on BTC\/USDT, got 1e-300/],
  ['market: unknown param', order({ params: { slippage: 1 } }), /unknown key "params\.slippage"/],
  ['limit: no price', order({ type: 'limit' }), /price is required for a limit order/],
  ['limit: price 1e-300 (below the tick)', order({ type: 'limit', price: 1e-300 }), /price must be at least the tick size 0\.01 of BTC\/USDT, got 1e-300/],
  ['limit: notional below the minimum', order({ type: 'limit', price: 1 }), /quantity 0\.01 at price 1 is below the minimum notional \d+ USDT of BTC\/USDT/],
  ['limit: expireAfterMs as text', order({ type: 'limit', price: 60_000, params: { expireAfterMs: 'soon' } }), /params\.expireAfterMs must be a number, got "soon"/],
  ['twap: negative duration', twap({ durationMs: -5 }), /params\.durationMs must be >0, got -5/],
  ['twap: duration 1e400', '{"symbol":"BTC/USDT","side":"buy","type":"twap","quantity":0.01,"params":{"durationMs":1e400}}', /params\.durationMs must be a number, got Infinity/],
  ['twap: 1e12 slices', twap({ slices: 1e12 }), /params\.slices must be <=10000, got 1000000000000/],
  ['twap: misspelt param', order({ type: 'twap', params: { durationMS: 60_000 } }), /unknown key "params\.durationMS"/],
  ['vwap: param of another strategy', order({ type: 'vwap', params: { durationMs: 60_000, participationRate: 5 } }), /unknown key "params\.participationRate"/],
  ['iceberg: negative display quantity', order({ type: 'iceberg', price: 60_000, params: { displayQuantity: -1 } }), /params\.displayQuantity must be greater than 0, got -1/],
  ['adaptive: unknown urgency', order({ type: 'adaptive', params: { durationMs: 60_000, urgency: 'now' } }), /params\.urgency must be one of "low"\|"medium"\|"high", got "now"/],
];

function historyRows(db: string): number {
  if (!existsSync(db)) return 0;
  const handle = new Database(db, { readonly: true });
  try {
    const tables = handle.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables.reduce((sum, { name }) => sum + (name.startsWith('sqlite_') || name === 'schema_version' ? 0 : (handle.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n), 0);
  } finally {
    handle.close();
  }
}

describe('tranche execute --order with bad input', () => {
  for (const [name, text, message] of SHAPE_CASES) {
    it(`${name}: exit 2, the field and value named, nothing created`, async () => {
      const dir = scratch();
      const config = dir.config();
      await expectRefused(['execute', '--json', '--config', config, '--order', text], message);
      expect(existsSync(dir.db)).toBe(false);
      expect(dir.files()).toEqual([config.slice(dir.dir.length + 1)]);
    });
  }
  for (const [name, text, message] of MARKET_CASES) {
    it(`${name}: exit 2, the field and value named, no history row`, async () => {
      const dir = scratch();
      await expectRefused(['execute', '--json', '--config', dir.config(), '--order', text], message);
      expect(historyRows(dir.db)).toBe(0);
      // A strategy's params are checked before start-up too: not even the database file is created.
      if (/params\./.test(message.source)) expect(existsSync(dir.db)).toBe(false);
    });
  }
});

describe('tranche --config with bad config files', () => {
  const cases: Array<[string, 'json' | 'yaml', string, RegExp]> = [
    ['unknown top-level key', 'json', JSON.stringify({ max_retires: 3 }), /unknown key "max_retires"/],
    ['unknown nested key', 'json', JSON.stringify({ strategy_optimizer: { min_sampels: 3 } }), /unknown key "strategy_optimizer\.min_sampels"/],
    ['wrong type', 'json', JSON.stringify({ asset_cache: { cache_ttl: 'x' } }), /asset_cache\.cache_ttl must be a number, got "x"/],
    ['Infinity (1e400)', 'json', '{"max_retries": 1e400}', /max_retries must be a number, got Infinity/],
    ['negative', 'json', JSON.stringify({ max_retries: -1 }), /max_retries must be >=0, got -1/],
    ['malformed JSON', 'json', '{"max_retries": 3,', /invalid config file ".*": malformed JSON/],
    ['empty JSON', 'json', '', /invalid config file ".*": malformed JSON/],
    ['a list', 'json', '[]', /invalid config: must be an object/],
    ['plugins not a list', 'json', JSON.stringify({ plugins: 'twap' }), /plugins must be a list of package names/],
    ['a plugin that does not exist', 'json', JSON.stringify({ plugins: ['@tranche/strategy-nope'] }), /plugins\[0\] "@tranche\/strategy-nope" cannot be imported/],
    ['a module that is not a plugin', 'json', JSON.stringify({ plugins: ['node:fs'] }), /plugins\[0\] "node:fs" does not default-export a Tranche plugin/],
    ['malformed YAML', 'yaml', 'a: [1, 2\nb: :', /invalid config file ".*": malformed YAML/],
    ['YAML unknown nested key', 'yaml', 'max_retries: 3\nasset_cache:\n  cache_tll: 5\n', /unknown key "asset_cache\.cache_tll"/],
    ['YAML wrong type', 'yaml', 'max_retries: three\n', /max_retries must be a number, got "three"/],
    ['YAML scalar', 'yaml', 'hello', /invalid config: must be an object/],
    ['YAML self-referencing alias', 'yaml', 'a: &x [*x]\n', /malformed YAML \(an alias refers to its own anchor/],
  ];
  for (const plugin of DEFAULT_PLUGINS) {
    cases.push([`unknown key in the ${plugin.name} section`, 'json', JSON.stringify({ [plugin.name]: { no_such_key: 1 } }), new RegExp(`unknown key "${plugin.name}\\.no_such_key"`)]);
    cases.push([`the ${plugin.name} section not an object`, 'yaml', `${plugin.name}: 5\n`, new RegExp(`${plugin.name} must be an object, got 5`)]);
  }
  for (const [name, ext, text, message] of cases) {
    it(`${name} (${ext}): exit 2, the key named, nothing created`, async () => {
      const dir = scratch();
      const config = dir.config({}, ext, text);
      await expectRefused(['execute', '--config', config, '--order', JSON.stringify(GOOD_ORDER)], message);
      expect(dir.files()).toEqual([config.slice(dir.dir.length + 1)]);
    });
  }
});

describe('recorded data files with bad content', () => {
  const cases: Array<[string, 'trades' | 'depth' | 'bookticker', (content: Buffer) => Buffer, RegExp]> = [
    ['truncated gzip', 'trades', (content) => content.subarray(0, Math.floor(content.length / 2)), /cannot read market data file .*_trades\.csv\.gz: unexpected end of file/],
    ['not gzip', 'depth', () => Buffer.from('hello'), /cannot read market data file .*_depth\.csv\.gz: incorrect header check/],
    ['wrong header', 'trades', () => gzipSync('foo,bar\n1,2\n'), /market data file .*_trades\.csv\.gz has no "local_ts_ns" column \(header: foo,bar\)/],
    ['empty file', 'depth', () => gzipSync(''), /market data file .*_depth\.csv\.gz has no "local_ts_ns" column/],
    [
      'non-numeric cells',
      'trades',
      () => gzipSync('local_ts_ns,exch_ts_ms,trade_id,price,qty,taker_side,is_buyer_maker\n1723161254087896568,1723161255342,1,abc,0.02,sell,true\n'),
      /market data file .*_trades\.csv\.gz: price must be a number, got "abc"/,
    ],
  ];
  for (const [name, kind, change, message] of cases) {
    it(`${name} (${kind}): exit 2 naming the file, nothing created`, async () => {
      const dir = scratch();
      const data = capturesWith(dir.dir, 'data', kind, change);
      const config = dir.config();
      await expectRefused(['execute', '--data', data, '--config', config, '--order', JSON.stringify(GOOD_ORDER)], message);
      expect(existsSync(dir.db)).toBe(false);
    });
  }
});

describe('tranche backtest with a bad grid or data', () => {
  const grid = (section: string): string => `{"journal-sqlite": {"path": "DB"}, "backtest": ${section}}`;
  const cases: Array<[string, string, RegExp]> = [
    ['unknown grid key', grid('{"size": [0.01]}'), /invalid backtest grid: unknown key "size"/],
    ['size above 1', grid('{"sizes": [2]}'), /invalid backtest grid: sizes\[0\] must be <=1, got 2/],
    ['negative duration', grid('{"durationsMs": [-1]}'), /invalid backtest grid: durationsMs\[0\] must be >0, got -1/],
    ['bad strategy id', grid('{"strategies": ["TWAP!"]}'), /invalid backtest grid: strategies\[0\] must be a strategy id .*got "TWAP!"/],
    ['Cyrillic look-alike symbol', grid('{"symbols": ["BТC/USDT"]}'), /invalid backtest grid: symbols\[0\] must look like BASE\/QUOTE .*got "BТC\/USDT"/],
    ['starts 1e400', grid('{"starts": 1e400}'), /invalid backtest grid: starts must be a number, got Infinity/],
    ['seed as text', grid('{"seed": "seven"}'), /invalid backtest grid: seed must be a number, got "seven"/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: exit 2, no HTML report, no history`, async () => {
      const dir = scratch();
      const html = `${dir.dir}/report.html`;
      const config = dir.config({}, 'json', text.replace('DB', dir.db));
      await expectRefused(['backtest', '--config', config, '--html', html, '--record'], message);
      expect(existsSync(html)).toBe(false);
      expect(existsSync(dir.db)).toBe(false);
    });
  }
});

describe('candle files with bad content (tranche backtest --candles, tranche market-state --candles)', () => {
  const bundled = fileURLToPath(new URL('../../../plugins/feed-replay/data/candles/', import.meta.url));
  const real = readFileSync(join(bundled, readdirSync(bundled).find((name) => name.endsWith('.csv.gz'))!));
  const header = 'open_time_ms,open,high,low,close,volume,close_time_ms,quote_volume,trades,taker_buy_base_volume,taker_buy_quote_volume';
  const cases: Array<[string, string, Buffer | string, RegExp]> = [
    ['truncated gzip', 'binance-spot_BTCUSDT_1m_2024-01-01.csv.gz', real.subarray(0, 2_000), /cannot read market data file .*_2024-01-01\.csv\.gz: unexpected end of file/],
    ['wrong header', 'binance-spot_BTCUSDT_1m_2024-01-02.csv', 'foo,bar\n1,2\n', /market data file .*_2024-01-02\.csv has no "open" column \(header: foo,bar\)/],
    ['non-numeric cell', 'binance-spot_BTCUSDT_1m_2024-01-03.csv', `${header}\n1704240000000,abc,1,1,1,1,1704240059999,1,1,1,1\n`, /candle file .*_2024-01-03\.csv: bar at 1704240000000 has open "abc"/],
  ];
  for (const [name, file, content, message] of cases) {
    for (const command of ['backtest', 'market-state'] as const) {
      it(`${name} (${command}): exit 2 naming the file and the cell`, async () => {
        const dir = scratch();
        const path = join(dir.dir, file);
        writeFileSync(path, content);
        const html = join(dir.dir, 'report.html');
        await expectRefused(command === 'backtest' ? ['backtest', '--candles', path, '--json', '--html', html] : ['market-state', '--candles', path, '--json'], message);
        expect(existsSync(html)).toBe(false);
      });
    }
  }
});
