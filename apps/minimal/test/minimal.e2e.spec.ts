import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT_INTERRUPTED, EXIT_OK, main, type MinimalReport } from '../src/index.js';
import { captureIo } from './capture.js';

/** Runs the CLI in-process and parses its `--json` report. */
async function runJson(argv: string[]): Promise<{ code: number; report: MinimalReport; stderr: string }> {
  const io = captureIo();
  const code = await main(['--json', ...argv], io, new EventEmitter());
  return { code, report: JSON.parse(io.out.text) as MinimalReport, stderr: io.err.text };
}

describe('tranche-minimal end to end (bundled Binance BTC/USDT data, virtual time)', () => {
  it('buys 1 BTC over 5 minutes with a TWAP and fills it completely', async () => {
    const { code, report, stderr } = await runJson(['--side', 'buy', '--quantity', '1', '--duration', '5m', '--slices', '5']);
    expect(code).toBe(EXIT_OK);
    expect(report.strategy).toBe('twap');
    expect(report.status).toBe('filled');
    expect(report.filledQuantity).toBeCloseTo(1, 8);
    expect(report.fillRatio).toBeCloseTo(1, 8);
    expect(report.childOrders).toBeGreaterThanOrEqual(5);
    expect(report.fills).toBeGreaterThan(0);
    // Prices of the bundled capture (2024-08-08, 23:54 UTC): BTC around 61,800 USDT.
    expect(report.averagePrice).toBeGreaterThan(60_000);
    expect(report.averagePrice).toBeLessThan(64_000);
    expect(report.startedAt.startsWith('2024-08-0')).toBe(true);
    // Data time: a 5-minute window ends about 5 minutes after it started (not wall time).
    const elapsedMs = Date.parse(report.endedAt) - Date.parse(report.startedAt);
    expect(elapsedMs).toBeGreaterThan(60_000);
    expect(elapsedMs).toBeLessThanOrEqual(5 * 60_000 + 60_000);
    expect(stderr).toMatch(/^started \S+: buy 1 BTC\/USDT with twap/m);
  });

  it('sells too, and gives the same report on every run (deterministic replay)', async () => {
    const first = await runJson(['--side', 'sell', '--quantity', '0.3', '--duration', '3m']);
    const second = await runJson(['--side', 'sell', '--quantity', '0.3', '--duration', '3m']);
    expect(first.code).toBe(EXIT_OK);
    expect(first.report.order).toBe('sell BTC/USDT');
    expect(first.report.filledQuantity).toBeCloseTo(0.3, 8);
    expect(second.report).toEqual(first.report);
  });

  it('keeps a buy limit price: no fill above it', async () => {
    const { code, report } = await runJson(['--quantity', '0.5', '--duration', '2m', '--limit-price', '61700']);
    expect(code).toBe(EXIT_OK);
    expect(report.filledQuantity).toBeLessThanOrEqual(0.5 + 1e-9);
    if (report.averagePrice !== null) expect(report.averagePrice).toBeLessThanOrEqual(61_700);
  });

  it('prints a compact text report without --json', async () => {
    const io = captureIo();
    const code = await main(['--quantity', '0.2', '--duration', '2m'], io, new EventEmitter());
    expect(code).toBe(EXIT_OK);
    expect(io.out.text).toMatch(/buy BTC\/USDT with twap: filled/);
    expect(io.out.text).toMatch(/filled {6}0\.2 of 0\.2 \(100\.0%\)/);
    expect(io.out.text).toMatch(/slippage .* bps vs arrival/);
  });

  it('SIGINT cancels the running execution and still prints its report (exit 130)', async () => {
    const signals = new EventEmitter();
    // The interrupt arrives as soon as the execution has started, before its window is over.
    const io = captureIo((chunk) => {
      if (chunk.startsWith('started ')) signals.emit('SIGINT');
    });
    const code = await main(['--json', '--quantity', '2', '--duration', '30m'], io, signals);
    expect(code).toBe(EXIT_INTERRUPTED);
    const report = JSON.parse(io.out.text) as MinimalReport;
    expect(report.status).toBe('cancelled');
    expect(report.endReason).toMatch(/SIGINT/);
    expect(report.filledQuantity).toBeLessThan(2);
    expect(io.err.text).toMatch(/SIGINT: cancelling the execution/);
    // The handler is removed once the run is over.
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('property: whatever the side, size and window, a run never overfills and a filled run fills exactly the request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('buy', 'sell'),
        fc.integer({ min: 1, max: 200 }).map((hundredths) => hundredths / 100),
        fc.integer({ min: 1, max: 5 }),
        async (side, quantity, minutes) => {
          const { code, report } = await runJson(['--side', side, '--quantity', String(quantity), '--duration', `${minutes}m`]);
          expect(code).toBe(EXIT_OK);
          // BTC/USDT's step is 0.00001: half a step of tolerance.
          expect(report.filledQuantity).toBeLessThanOrEqual(quantity + 0.000005);
          expect(report.fillRatio).toBeGreaterThanOrEqual(0);
          expect(report.fillRatio).toBeLessThanOrEqual(1 + 1e-9);
          if (report.status === 'filled') expect(report.filledQuantity).toBeCloseTo(quantity, 5);
          expect(report.childOrders).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 12, seed: 20241204 },
    );
  });
});
