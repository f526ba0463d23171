import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDataDir } from '@tranche/feed-replay';
import { EXIT_INVALID_INPUT, main, type MarketStateTimeline } from '../src/index.js';
import { captureIo } from './capture-io.js';

const candleDir = join(bundledDataDir(), 'candles');

async function marketState(...args: string[]): Promise<{ code: number; timeline?: MarketStateTimeline; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(['market-state', ...args], io);
  const json = args.includes('--json') && code === 0;
  return { code, stdout: io.out.text, stderr: io.err.text, ...(json ? { timeline: JSON.parse(io.out.text) as MarketStateTimeline } : {}) };
}

function expectValidTimeline(timeline: MarketStateTimeline): void {
  const shares = Object.values(timeline.summary);
  expect(shares.length).toBeGreaterThan(0);
  for (const share of shares) {
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThanOrEqual(1);
  }
  expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 5);
  expect(timeline.states.length).toBeGreaterThan(0);
  for (const entry of timeline.states) {
    expect(['normal', 'volatile', 'trending', 'illiquid', 'ranging']).toContain(entry.state);
    expect(entry.confidence).toBeGreaterThanOrEqual(0);
    expect(entry.confidence).toBeLessThanOrEqual(1);
  }
  const times = timeline.states.map((entry) => entry.ts);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe('tranche market-state', () => {
  it('classifies every bundled candle file, with shares of time that sum to 1', async () => {
    const files = readdirSync(candleDir).filter((file) => file.endsWith('.csv.gz'));
    for (const file of files) {
      const { code, timeline } = await marketState('--candles', join(candleDir, file), '--json');
      expect(code, file).toBe(0);
      expectValidTimeline(timeline!);
      expect(timeline!.symbol).toBe('BTC/USDT');
    }
  });

  it('labels the thin first days of BTC/USDT illiquid and a quiet 2023 Saturday ranging', async () => {
    const thin = await marketState('--candles', join(candleDir, 'binance-spot_BTCUSDT_1m_2017-08-26.csv.gz'), '--json');
    expect(largest(thin.timeline!.summary)).toBe('illiquid');
    const quiet = await marketState('--candles', join(candleDir, 'binance-spot_BTCUSDT_1m_2023-09-09.csv.gz'), '--json');
    expect(largest(quiet.timeline!.summary)).toBe('ranging');
  });

  it('in causal mode reports what the live monitor would have said, with a --window', async () => {
    const { code, timeline } = await marketState('--candles', join(candleDir, 'binance-spot_BTCUSDT_1m_2024-11-01_07.csv.gz'), '--json', '--mode', 'causal', '--window', '720');
    expect(code).toBe(0);
    expect(timeline!.mode).toBe('causal');
    expect(timeline!.windowMinutes).toBe(720);
    expectValidTimeline(timeline!);
  });

  it('classifies a recorded tick session (trades + book)', async () => {
    const { code, timeline } = await marketState('--data', bundledDataDir(), '--symbol', 'BTC/USDT', '--json');
    expect(code).toBe(0);
    expectValidTimeline(timeline!);
    expect(timeline!.evaluations).toBeGreaterThanOrEqual(5);
  });

  it('prints a readable timeline without --json', async () => {
    const { code, stdout } = await marketState('--candles', join(candleDir, 'binance-spot_BTCUSDT_1m_2020-03-16.csv.gz'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/Market states of BTC\/USDT/);
    expect(stdout).toMatch(/Share of time/);
  });

  it('refuses bad input with one line naming it', async () => {
    for (const [args, message] of [
      [[], /give either --candles <csv> or --data <dir>/],
      [['--candles', join(candleDir, 'nope.csv')], /cannot read market data file/],
      [['--candles', join(candleDir, 'binance-spot_BTCUSDT_1m_2020-03-16.csv.gz'), '--window', '-5'], /--window.*got "-5"/],
    ] as const) {
      const { code, stderr, stdout } = await marketState(...args);
      expect(code).toBe(EXIT_INVALID_INPUT);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});

function largest(summary: Record<string, number>): string {
  return Object.entries(summary).sort((left, right) => right[1] - left[1])[0]![0];
}
