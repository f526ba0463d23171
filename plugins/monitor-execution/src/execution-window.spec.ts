import { describe, expect, it } from 'vitest';
import { readExecutionWindow } from './execution-window.js';

const request = { symbol: 'BTC/USDT', side: 'buy' as const, type: 'twap', quantity: 1 };

describe('readExecutionWindow', () => {
  it('ends durationMs after the start, or at endTime', () => {
    expect(readExecutionWindow({ ...request, params: { durationMs: 60_000 } }, 1_000)).toEqual({ windowStart: 1_000, endTime: 61_000 });
    expect(readExecutionWindow({ ...request, params: { endTime: 90_000 } }, 1_000)).toEqual({ windowStart: 1_000, endTime: 90_000 });
  });

  it('counts a duration from a future startTime', () => {
    expect(readExecutionWindow({ ...request, params: { startTime: 10_000, durationMs: 5_000 } }, 1_000)).toEqual({ windowStart: 10_000, endTime: 15_000 });
  });

  it('has no end time without those params, and ignores values that are not numbers', () => {
    expect(readExecutionWindow(request, 1_000)).toEqual({ windowStart: 1_000, endTime: null });
    expect(readExecutionWindow({ ...request, params: { durationMs: '60s' } }, 1_000)).toEqual({ windowStart: 1_000, endTime: null });
  });
});
