import { describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { captureIo } from './capture-io.js';

describe('tranche demo (npm start)', () => {
  it('executes the TWAP on the recorded data and prints the report with its schedule', async () => {
    const io = captureIo();
    const code = await main(['demo', '--speed', 'max'], io);
    expect(code).toBe(0);
    expect(io.err.text).toMatch(/Tranche demo/);
    expect(io.err.text).toMatch(/Executing buy 2 BTC\/USDT with the twap strategy/);
    expect(io.out.text).toMatch(/Execution .*: buy 2 BTC\/USDT \(twap\)/);
    expect(io.out.text).toMatch(/status\s+FILLED/);
    expect(io.out.text).toMatch(/Schedule vs fills/);
    expect(io.out.text).toMatch(/slippage vs VWAP/);
    expect(io.out.text).toMatch(/Fills \(\d+/);
  });

  it('gives the same report on every run', async () => {
    const first = captureIo();
    const second = captureIo();
    await main(['demo', '--speed', 'max', '--json'], first);
    await main(['demo', '--speed', 'max', '--json'], second);
    expect(second.out.text).toBe(first.out.text);
    expect(JSON.parse(first.out.text).filledQuantity).toBeGreaterThan(0);
  });
});
