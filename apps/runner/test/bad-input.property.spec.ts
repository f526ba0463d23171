import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrancheError, type TranchePlugin } from '@tranche/core';
import { InMemoryVenue, TestBench } from '@tranche/testkit';
import adaptiveStrategy from '@tranche/strategy-adaptive';
import icebergStrategy from '@tranche/strategy-iceberg';
import limitStrategy from '@tranche/strategy-limit';
import marketStrategy from '@tranche/strategy-market';
import twapStrategy from '@tranche/strategy-twap';
import vwapStrategy from '@tranche/strategy-vwap';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';
import { GOOD_ORDER, scratch } from './bad-input-fixtures.js';

/**
 * Property tests of bad input: for any order request broken in one field (a bad value of
 * any kind, or an unknown field), `ExecutionManager.executeOrder` rejects with ONE
 * validation `TrancheError` whose message names that field, no execution starts and no
 * order reaches the (in-memory) venue; `tranche execute` exits 2 with one line and
 * creates nothing on disk.
 */

const STRATEGIES = [marketStrategy, limitStrategy, twapStrategy, vwapStrategy, icebergStrategy, adaptiveStrategy] as TranchePlugin<unknown>[];

/** A value that is not a valid positive finite number (what JSON or a careless caller can carry). */
const badNumber = fc.oneof(
  fc.constantFrom<unknown>(0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, true, 'NaN', 'Infinity', '1e400', '1', '', [], {}),
  fc.double({ max: 0, noNaN: true }),
  fc.string(),
  fc.array(fc.integer(), { maxLength: 3 }),
);
/** Text that is not a BASE/QUOTE symbol: unicode, look-alikes, case, separators. */
const badSymbol = fc.oneof(
  fc.constantFrom<unknown>('BТC/USDT', 'BTC／USDT', 'BTC/USDТ', 'btc/usdt', 'BTCUSDT', 'BTC-USDT', 'BTC/USDT ', ' BTC/USDT', 'BTC/USDT\u200b', '🚀/USDT', '', 42, null, ['BTC/USDT']),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((text) => !/^[A-Z0-9]{2,}\/[A-Z0-9]{2,}$/.test(text)),
);
const badSide = fc.oneof(fc.constantFrom<unknown>('BUY', 'Sell', 'long', '', 1, null), fc.string().filter((text) => text !== 'buy' && text !== 'sell'));
const unknownKey = fc.string({ minLength: 1, maxLength: 16 }).filter((key) => !['symbol', 'side', 'type', 'quantity', 'price', 'params', 'id', 'clientId', 'timeInForce'].includes(key) && /^[\x20-\x7e]+$/.test(key));

/** Valid params of each built-in strategy, for cases that break one more field. */
const VALID_PARAMS = {
  market: {},
  limit: {},
  twap: { durationMs: 60_000 },
  vwap: { durationMs: 60_000 },
  iceberg: { durationMs: 60_000, displayQuantity: 0.001 },
  adaptive: { durationMs: 60_000 },
} as const;

/** One broken field of an otherwise valid order, and what the error must name. */
const brokenOrder = fc.oneof(
  badNumber.map((value) => ({ order: { ...GOOD_ORDER, quantity: value }, field: 'quantity' })),
  badNumber.map((value) => ({ order: { ...GOOD_ORDER, type: 'limit', price: value }, field: 'price' })),
  badSymbol.map((value) => ({ order: { ...GOOD_ORDER, symbol: value }, field: 'symbol' })),
  badSide.map((value) => ({ order: { ...GOOD_ORDER, side: value }, field: 'side' })),
  unknownKey.map((key) => ({ order: { ...GOOD_ORDER, [key]: 1 }, field: key })),
  fc.string({ minLength: 25, maxLength: 400 }).map((id) => ({ order: { ...GOOD_ORDER, id }, field: 'id' })),
  fc
    .tuple(fc.constantFrom('twap', 'vwap', 'adaptive'), fc.constantFrom('durationMs', 'slices', 'randomization', 'limitPrice'), badNumber)
    .filter(([, key, value]) => !(key === 'randomization' && value === 0))
    .map(([type, key, value]) => ({ order: { ...GOOD_ORDER, type, params: { durationMs: 60_000, [key]: value } }, field: `params.${key}` })),
  fc.tuple(badNumber).map(([value]) => ({ order: { ...GOOD_ORDER, type: 'iceberg', price: 60_000, params: { durationMs: 60_000, displayQuantity: value } }, field: 'params.displayQuantity' })),
  fc.tuple(fc.constantFrom(...(Object.keys(VALID_PARAMS) as Array<keyof typeof VALID_PARAMS>)), unknownKey).map(([type, key]) => ({
    order: { ...GOOD_ORDER, type, price: 60_000, params: { ...VALID_PARAMS[type], [key]: 1 } },
    field: `params.${key}`,
  })),
);

/** `field` as it appears in a message: quoted (unknown keys) or bare. */
function names(message: string, field: string): boolean {
  return message.includes(`"${field}"`) || message.includes(`${field} `) || message.includes(JSON.stringify(field).slice(1, -1));
}

describe('ExecutionManager.executeOrder: any order broken in one field', () => {
  let bench: TestBench;
  beforeAll(async () => {
    bench = await TestBench.create({ plugins: STRATEGIES });
  });
  afterAll(async () => {
    await bench.close();
  });

  it('rejects with one validation error naming the field; nothing starts, nothing reaches the venue', async () => {
    await fc.assert(
      fc.asyncProperty(brokenOrder, async ({ order, field }) => {
        const error = await bench.manager.executeOrder(order).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(TrancheError);
        const failure = error as TrancheError;
        expect(failure.kind).toBe('validation');
        expect(failure.message).toMatch(/^invalid order: /);
        expect(failure.message).not.toContain('\n');
        expect(names(failure.message, field), `${failure.message} should name ${field}`).toBe(true);
        expect(bench.manager.activeExecutions()).toEqual([]);
        expect((bench.venue as InMemoryVenue).allOrders()).toEqual([]);
        expect(bench.events.filter((event) => event.type === 'execution-started')).toEqual([]);
      }),
      { numRuns: 400, seed: 8 },
    );
  });
});

describe('tranche execute: any order broken in one field', () => {
  it('exits 2 with one line naming the field, nothing on stdout, nothing on disk', async () => {
    const dir = scratch('tranche-bad-prop-');
    const config = dir.config();
    await fc.assert(
      fc.asyncProperty(brokenOrder, async ({ order, field }) => {
        const io = captureIo();
        // JSON carries no NaN or Infinity: as a user would write them, "NaN" and 1e400 / -1e400.
        const text = JSON.stringify(order, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? (Number.isNaN(value) ? 'NaN' : `@${value > 0 ? '' : '-'}1e400@`) : value)).replace(/"@(-?1e400)@"/g, '$1');
        const code = await main(['execute', '--json', '--config', config, '--order', text], io);
        expect(code, io.err.text).toBe(EXIT_INVALID_INPUT);
        expect(io.out.text).toBe('');
        const lines = io.err.text.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(names(lines[0]!, field), `${lines[0]} should name ${field}`).toBe(true);
      }),
      { numRuns: 60, seed: 8 },
    );
    expect(existsSync(dir.db)).toBe(false);
  }, 120_000);
});
