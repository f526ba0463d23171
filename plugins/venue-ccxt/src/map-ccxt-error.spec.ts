import * as ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { errorClassNames, exchangeErrorCode, mapCcxtError, parseRetryAfter, type CcxtOperation } from './map-ccxt-error.js';

const at = (operation: CcxtOperation) => ({ operation, now: 1_700_000_000_000, backoffMs: 1_500, banBackoffMs: 90_000 });

/** ccxt before 4.x: RateLimitExceeded under DDoSProtection under NetworkError. */
class OldNetworkError extends Error {}
Object.defineProperty(OldNetworkError, 'name', { value: 'NetworkError' });
class OldDDoSProtection extends OldNetworkError {}
Object.defineProperty(OldDDoSProtection, 'name', { value: 'DDoSProtection' });
class OldRateLimitExceeded extends OldDDoSProtection {}
Object.defineProperty(OldRateLimitExceeded, 'name', { value: 'RateLimitExceeded' });

describe('mapCcxtError', () => {
  it.each([
    ['RateLimitExceeded (ccxt 4.5: under NetworkError)', new ccxt.RateLimitExceeded('binance 429'), 'submit', 'rate-limited', true],
    ['RateLimitExceeded (old place: under DDoSProtection)', new OldRateLimitExceeded('slow down'), 'submit', 'rate-limited', true],
    ['DDoSProtection (418 / 429 on Binance)', new ccxt.DDoSProtection('binance 429 Too Many Requests'), 'query', 'rate-limited', true],
    ['RequestTimeout on a submit', new ccxt.RequestTimeout('timed out'), 'submit', 'timeout-ambiguous', true],
    ['RequestTimeout on a cancel', new ccxt.RequestTimeout('timed out'), 'cancel', 'timeout-ambiguous', true],
    ['RequestTimeout on a query', new ccxt.RequestTimeout('timed out'), 'query', 'venue-unavailable', true],
    ['NetworkError (dropped connection) on a submit', new ccxt.NetworkError('fetch failed: ECONNRESET'), 'submit', 'timeout-ambiguous', true],
    ['OperationFailed (503)', new ccxt.OperationFailed('binance 503'), 'submit', 'venue-unavailable', true],
    ['ExchangeNotAvailable', new ccxt.ExchangeNotAvailable('binance 502'), 'submit', 'venue-unavailable', true],
    ['OnMaintenance', new ccxt.OnMaintenance('System is under maintenance.'), 'query', 'venue-unavailable', true],
    ['InsufficientFunds', new ccxt.InsufficientFunds('Account has insufficient balance for requested action.'), 'submit', 'insufficient-funds', false],
    ['InvalidOrder', new ccxt.InvalidOrder('binance order amount should be evenly divisible by lot size'), 'submit', 'venue-rejected', false],
    ['OrderNotFound', new ccxt.OrderNotFound('Order does not exist.'), 'query', 'venue-rejected', false],
    ['BadRequest', new ccxt.BadRequest('bad'), 'submit', 'venue-rejected', false],
    ['AuthenticationError', new ccxt.AuthenticationError('Invalid API-key'), 'submit', 'venue-rejected', false],
    ['a plain ExchangeError carrying -1013 (filter failure, another host)', new ccxt.ExchangeError('binance {"code":-1013,"msg":"Filter failure: NOTIONAL"}'), 'submit', 'venue-rejected', false],
    ['a BadRequest carrying -2010 insufficient balance', new ccxt.BadRequest('binance {"code":-2010,"msg":"Account has insufficient balance for requested action."}'), 'submit', 'insufficient-funds', false],
    ['an ExchangeError carrying -1003', new ccxt.ExchangeError('binance {"code":-1003,"msg":"Too much request weight used"}'), 'submit', 'rate-limited', true],
    ['an ExchangeError carrying -1001 (disconnected)', new ccxt.ExchangeError('binance {"code":-1001,"msg":"Internal error"}'), 'submit', 'venue-unavailable', true],
    ['an ExchangeError carrying -1007 on a submit (status unknown)', new ccxt.ExchangeError('binance {"code":-1007,"msg":"Timeout waiting for response"}'), 'submit', 'timeout-ambiguous', true],
    ['an ExchangeError carrying -2011', new ccxt.ExchangeError('binance {"code":-2011,"msg":"Unknown order sent."}'), 'cancel', 'venue-rejected', false],
    ['an unknown ExchangeError', new ccxt.ExchangeError('binance something odd'), 'submit', 'venue-rejected', false],
    ['a socket error outside ccxt on a submit', new Error('socket hang up'), 'submit', 'timeout-ambiguous', true],
    ['a bug in a query', new TypeError('x is undefined'), 'query', 'internal', false],
    // ccxt failing while parsing a malformed answer to a submit: the exchange may hold the order, so it is looked up, not abandoned.
    ['a TypeError on a submit', new TypeError('x is undefined'), 'submit', 'timeout-ambiguous', true],
    ['a SyntaxError (BigInt of NaN) on a cancel', new SyntaxError('Cannot convert NaN to a BigInt'), 'cancel', 'timeout-ambiguous', true],
  ] as const)('%s → %s', (_name, error, operation, kind, retryable) => {
    const mapped = mapCcxtError(error, at(operation));
    expect(mapped).toBeInstanceOf(TrancheError);
    expect(mapped.kind).toBe(kind);
    expect(mapped.retryable).toBe(retryable);
  });

  it('names the filter of a Binance filter failure', () => {
    expect(mapCcxtError(new ccxt.BadRequest('binance {"code":-1013,"msg":"Filter failure: LOT_SIZE"}'), at('submit')).message).toMatch(/filter failure \(LOT_SIZE\)/);
  });

  it('takes the wait from Retry-After, a 418 ban end, or the configured back-off', () => {
    const withHeader = Object.assign(new ccxt.DDoSProtection('binance 429'), { trancheRetryAfterMs: 2_000 });
    expect(mapCcxtError(withHeader, at('submit')).retryAfterMs).toBe(2_000);
    const banned = new ccxt.DDoSProtection('binance 418 {"code":-1003,"msg":"Way too many requests; IP banned until 1700000030000."}');
    expect(mapCcxtError(new ccxt.DDoSProtection('binance 418 IP banned until 1700000030000'), at('submit')).retryAfterMs).toBe(30_000);
    expect(mapCcxtError(banned, { ...at('submit'), now: 1_700_000_010_000 }).retryAfterMs).toBe(20_000);
    expect(mapCcxtError(new ccxt.DDoSProtection('binance 418 I am a teapot'), at('submit')).retryAfterMs).toBe(90_000);
    expect(mapCcxtError(new ccxt.RateLimitExceeded('binance 429'), at('submit')).retryAfterMs).toBe(1_500);
  });

  it('redacts secrets and signatures from the message and keeps no raw cause', () => {
    const error = new ccxt.RequestTimeout('binance POST https://api.binance.com/api/v3/order?apiKey=AKEY123456&timestamp=1&signature=deadbeefcafe request timed out SECRET98765');
    const mapped = mapCcxtError(error, { ...at('submit'), secrets: ['AKEY123456', 'SECRET98765'] });
    expect(mapped.message).not.toMatch(/AKEY123456|SECRET98765|deadbeefcafe/);
    expect(mapped.message).toContain('signature=***');
    expect(mapped.cause).toBeUndefined();
  });

  it('reads class names and exchange codes', () => {
    expect(errorClassNames(new ccxt.RateLimitExceeded('x')).slice(0, 3)).toEqual(['RateLimitExceeded', 'NetworkError', 'OperationFailed']);
    expect(errorClassNames(new OldRateLimitExceeded('x')).slice(0, 3)).toEqual(['RateLimitExceeded', 'DDoSProtection', 'NetworkError']);
    expect(exchangeErrorCode('binance {"code":-1013,"msg":"x"}')).toBe('-1013');
    expect(exchangeErrorCode('no code here')).toBeUndefined();
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000)).toBe(4_000);
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
